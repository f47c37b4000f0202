/* gepsim: GepFA — group factor analysis as MOFA+ defines it (variational Bayes;
 * ARD priors on weights per view and factor and optionally on factors per group;
 * spike-and-slab weights; noise precision per feature and group), on a GepOmics
 * dataset whose samples are spread over the ranks. Weights are replicated on
 * every rank; factors stay with their samples; every update is local work plus
 * one MPI_Allreduce of sufficient statistics.
 *
 * Options (prefix -fa_): factors, likelihoods, convergence_mode, maxiter, seed,
 * drop_factor_threshold, ard_weights, ard_factors, spikeslab_weights,
 * start_sparsity, init, init_power_iterations. See docs/deck-reference.md. */
#pragma once
#include "gepomics.h"

typedef struct _p_GepFA *GepFA;

/* A PETSc object (class GEPFA_CLASSID): reference counted (it holds a reference to its
   data), options prefix, -fa_view. */
PETSC_EXTERN PetscClassId   GEPFA_CLASSID;
PETSC_EXTERN PetscErrorCode GepFAInitializePackage(void);
PETSC_EXTERN PetscErrorCode GepFAViewFromOptions(GepFA, PetscObject, const char[]);
PETSC_EXTERN PetscErrorCode GepFASetOptionsPrefix(GepFA, const char[]);

PETSC_EXTERN PetscErrorCode GepFACreate(MPI_Comm, GepFA *);
PETSC_EXTERN PetscErrorCode GepFASetOmics(GepFA, GepOmics);
PETSC_EXTERN PetscErrorCode GepFASetNumFactors(GepFA, PetscInt);
PETSC_EXTERN PetscErrorCode GepFASetConvergenceMode(GepFA, const char mode[]);
PETSC_EXTERN PetscErrorCode GepFASetMaxIterations(GepFA, PetscInt);
PETSC_EXTERN PetscErrorCode GepFASetSeed(GepFA, PetscInt);
PETSC_EXTERN PetscErrorCode GepFASetProgress(GepFA, PetscBool);
PETSC_EXTERN PetscErrorCode GepFASetFromOptions(GepFA);
PETSC_EXTERN PetscErrorCode GepFASetUp(GepFA);
PETSC_EXTERN PetscErrorCode GepFASolve(GepFA);
PETSC_EXTERN PetscErrorCode GepFAView(GepFA, PetscViewer);
/* The trained model in MOFA+'s HDF5 layout (factors sorted by variance explained). */
PETSC_EXTERN PetscErrorCode GepFAWrite(GepFA, const char path[]);
PETSC_EXTERN PetscErrorCode GepFADestroy(GepFA *);
/* Figures BASE-variance.svg, BASE-factors.svg (factors 1 and 2 coloured by
   category[] of all N samples, or by group if NULL), BASE-elbo.svg. */
PETSC_EXTERN PetscErrorCode GepFAWriteFigures(GepFA, const char base[], char *const category[], const char catname[]);

PETSC_EXTERN PetscErrorCode GepFAGetNumFactors(GepFA, PetscInt *);
/* the name of view m's likelihood (after set-up) */
PETSC_EXTERN PetscErrorCode GepFAGetLikelihood(GepFA, PetscInt m, const char **);
PETSC_EXTERN PetscErrorCode GepFAGetIterations(GepFA, PetscInt *, PetscBool *converged);
/* Variance explained in percent: r2 per factor (G x M x K) and total (G x M). */
PETSC_EXTERN PetscErrorCode GepFAGetVarianceExplained(GepFA, PetscReal **perfactor, PetscReal **total);
