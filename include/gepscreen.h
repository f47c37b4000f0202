/* gepsim: GepScreen — an in-silico screen: conditions = genotypes x environments x
 * swept parameters x replicates of one model, each integrated as a member of batched
 * ensemble chunks that are handed out to the ranks (or groups of ranks) as they
 * finish, with readouts per condition committed to an HDF5 table as they arrive.
 *
 * Options (prefix -screen_): genotypes, environments, sweep, knockouts, pairs,
 * readouts, replicates, vary, seed, lhs_samples, t0, tfinal, steps, ss_rtol, ss_atol,
 * ss_tmax, chunk_size, ranks_per_condition, csv, commit_interval, progress.
 * See docs/deck-reference.md and docs/formats.md. */
#pragma once
#include "gepperturb.h"

typedef struct _p_GepScreen *GepScreen;

PETSC_EXTERN PetscClassId   GEPSCREEN_CLASSID;
PETSC_EXTERN PetscErrorCode GepScreenInitializePackage(void);
PETSC_EXTERN PetscErrorCode GepScreenCreate(MPI_Comm, GepScreen *);
PETSC_EXTERN PetscErrorCode GepScreenSetModel(GepScreen, GepModel);
PETSC_EXTERN PetscErrorCode GepScreenSetPerturbation(GepScreen, GepPerturbation);
/* the results file (HDF5), written as path.part while the screen runs */
PETSC_EXTERN PetscErrorCode GepScreenSetOutput(GepScreen, const char path[]);
PETSC_EXTERN PetscErrorCode GepScreenSetFromOptions(GepScreen);
/* parses the readouts and sweeps, sets the model up, enumerates the conditions */
PETSC_EXTERN PetscErrorCode GepScreenSetUp(GepScreen);
/* runs every condition and writes the results */
PETSC_EXTERN PetscErrorCode GepScreenSolve(GepScreen);
/* the results files of slices of this screen (-screen_slice) into its output, as one run's */
PETSC_EXTERN PetscErrorCode GepScreenMerge(GepScreen, PetscInt n, char *files[]);
PETSC_EXTERN PetscErrorCode GepScreenView(GepScreen, PetscViewer);
PETSC_EXTERN PetscErrorCode GepScreenDestroy(GepScreen *);

PETSC_EXTERN PetscErrorCode GepScreenGetNumConditions(GepScreen, PetscInt *);
/* the screen stopped on SIGTERM: its file is PATH.part, to be finished with -screen_resume */
PETSC_EXTERN PetscBool GepScreenInterrupted(GepScreen);
/* rank 0 after GepScreenSolve: the table (N x nreadouts, row-major) and each condition's status
   (0 not run, 1 ok, 2 failed); other ranks get NULL */
PETSC_EXTERN PetscErrorCode GepScreenGetResults(GepScreen, PetscInt *nreadouts, const PetscReal **table,
                                                const PetscInt **status);

/* A 4-parameter Hill fit of a dose-response curve (Tao, TAOBRGN):
   f(x) = bottom + (top - bottom) / (1 + (x / ic50)^hill); rms is the fit's root-mean-square residual. */
typedef struct {
  PetscReal bottom, top, ic50, hill, rms;
  PetscBool converged;
} GepHillFit;
PETSC_EXTERN PetscErrorCode GepScreenFitHill(PetscInt n, const PetscReal dose[], const PetscReal response[],
                                             GepHillFit *);
PETSC_EXTERN PetscReal      GepScreenHillValue(const GepHillFit *, PetscReal dose);
