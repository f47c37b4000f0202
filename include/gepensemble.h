/* gepsim: GepEnsemble — N copies of a GepModel with their own parameters,
 * spread over the ranks and integrated by one PETSc TS per rank over the whole
 * chunk of members (block-diagonal Jacobian, error norm maximal over the
 * chunk's members); chunks are fixed blocks of the global order, so results do
 * not depend on the number of ranks. Synchronized: one TS over all members.
 *
 * Options (prefix -ensemble_): size, t0, tfinal, steps, seed, vary,
 * parameters_file, batch_size, progress, synchronized, chunk_size. See docs/deck-reference.md. */
#pragma once
#include <petscts.h>
#include "gepmodel.h"

typedef struct _p_GepEnsemble *GepEnsemble;

/* A parameter's variation NAME:DIST:ARGS (lognormal:S, normal:S, uniform:LO:HI, loguniform:LO:HI,
   as factors of the nominal value); option names the option in messages. */
typedef enum { GEP_DIST_LOGNORMAL, GEP_DIST_NORMAL, GEP_DIST_UNIFORM, GEP_DIST_LOGUNIFORM } GepDistribution;
typedef struct {
  PetscInt        param;
  GepDistribution dist;
  PetscReal       a, b;
} GepVariation;
PETSC_EXTERN PetscErrorCode GepVariationParse(GepModel, const char option[], const char spec[], GepVariation *);
PETSC_EXTERN PetscErrorCode GepVariationDraw(PetscRandom, const GepVariation *, PetscReal nominal, PetscReal *);

/* A PETSc object (class GEPENSEMBLE_CLASSID): reference counted (it holds a reference to its
   model), options prefix (its TS's prefix is it then ensemble_), -ensemble_view. */
PETSC_EXTERN PetscClassId   GEPENSEMBLE_CLASSID;
PETSC_EXTERN PetscErrorCode GepEnsembleCreate(MPI_Comm, GepEnsemble *);
PETSC_EXTERN PetscErrorCode GepEnsembleSetOptionsPrefix(GepEnsemble, const char[]);
PETSC_EXTERN PetscErrorCode GepEnsembleSetModel(GepEnsemble, GepModel);
PETSC_EXTERN PetscErrorCode GepEnsembleSetSize(GepEnsemble, PetscInt);
PETSC_EXTERN PetscErrorCode GepEnsembleSetTimes(GepEnsemble, PetscReal t0, PetscReal tfinal, PetscInt steps);
PETSC_EXTERN PetscErrorCode GepEnsembleSetSeed(GepEnsemble, PetscInt);
PETSC_EXTERN PetscErrorCode GepEnsembleSetBatchSize(GepEnsemble, PetscInt);
PETSC_EXTERN PetscErrorCode GepEnsembleSetTolerances(GepEnsemble, PetscReal rtol, PetscReal atol);
PETSC_EXTERN PetscErrorCode GepEnsembleSetProgress(GepEnsemble, PetscBool);
PETSC_EXTERN PetscErrorCode GepEnsembleSetSynchronized(GepEnsemble, PetscBool);
PETSC_EXTERN PetscErrorCode GepEnsembleSetChunkSize(GepEnsemble, PetscInt);
/* Output times given as a list (increasing; the first is the start time) instead of a uniform grid. */
PETSC_EXTERN PetscErrorCode GepEnsembleSetOutputTimes(GepEnsemble, PetscInt n, const PetscReal t[]);
/* Every member's parameters given (N x nparams, member-major, copied) instead of drawn. */
PETSC_EXTERN PetscErrorCode GepEnsembleSetParameters(GepEnsemble, PetscInt N, const PetscReal p[]);
/* Every member's initial state (N x nstates, member-major, copied) instead of the model's initial
   values; the parameters still set everything else (compartment sizes, rates). The states at the end
   are then kept: GepEnsembleGetFinalStates (nlocal x nstates; NaN for a member that failed). */
PETSC_EXTERN PetscErrorCode GepEnsembleSetInitialStates(GepEnsemble, PetscInt N, const PetscReal x0[]);
PETSC_EXTERN PetscErrorCode GepEnsembleGetFinalStates(GepEnsemble, const PetscReal **);
/* Doses: at a time, a state is increased by an amount (or set to it). Member m's doses are
   doses[first[m] .. first[m+1]) of the N + 1 offsets (copied); the integration stops at each. */
typedef struct {
  PetscReal time;
  PetscInt  state;
  PetscBool set; /* set the state to amount instead of adding it */
  PetscReal amount;
} GepDose;
PETSC_EXTERN PetscErrorCode GepEnsembleSetDoses(GepEnsemble, PetscInt N, const PetscInt first[], const GepDose doses[]);
/* Called on each independent part (a chunk: GetSizes, GetTimes and GetOutputs answer for it) after
   output time k is recorded; stop ends that part's integration (its later outputs are NaN). */
typedef PetscErrorCode (*GepEnsembleMonitorFn)(GepEnsemble part, PetscInt k, PetscBool *stop, void *ctx);
PETSC_EXTERN PetscErrorCode GepEnsembleSetMonitor(GepEnsemble, GepEnsembleMonitorFn, void *ctx);
/* Keep the model's conserved amounts (linear invariants) to round-off: BDF of order at most 2 and a
   Jacobian at every Newton iteration (the tissue's cells, whose uptake must equal the grid's loss) */
PETSC_EXTERN PetscErrorCode GepEnsembleSetConservative(GepEnsemble, PetscBool);
/* Whether a lone member's failure is an error (the default): otherwise every failure is recorded. */
PETSC_EXTERN PetscErrorCode GepEnsembleSetErrorIfMemberFails(GepEnsemble, PetscBool);
/* the per-member Jacobian: dense blocks, or sparse with a sparse direct solver (large models) */
typedef enum {
  GEP_ENSEMBLE_JACOBIAN_AUTO,
  GEP_ENSEMBLE_JACOBIAN_DENSE,
  GEP_ENSEMBLE_JACOBIAN_SPARSE
} GepEnsembleJacobianType;
PETSC_EXTERN const char *const GepEnsembleJacobianTypes[];
PETSC_EXTERN PetscErrorCode    GepEnsembleSetJacobianType(GepEnsemble, GepEnsembleJacobianType);
PETSC_EXTERN PetscErrorCode    GepEnsembleSetFromOptions(GepEnsemble);
PETSC_EXTERN PetscErrorCode    GepEnsembleSetUp(GepEnsemble);
PETSC_EXTERN PetscErrorCode    GepEnsembleSolve(GepEnsemble);
PETSC_EXTERN PetscErrorCode    GepEnsembleView(GepEnsemble, PetscViewer);
PETSC_EXTERN PetscErrorCode    GepEnsembleViewFromOptions(GepEnsemble, PetscObject, const char name[]);
PETSC_EXTERN PetscErrorCode    GepEnsembleDestroy(GepEnsemble *);

/* members that failed to integrate (an ensemble of several goes on without them): 0/1 per local member */
PETSC_EXTERN PetscErrorCode GepEnsembleGetStatus(GepEnsemble, const PetscInt **status, PetscInt *nfailed,
                                                 const char **first_failure);
/* why local member i failed ("" if it did not) */
PETSC_EXTERN PetscErrorCode GepEnsembleGetFailureReason(GepEnsemble, PetscInt i, const char **why);
PETSC_EXTERN PetscErrorCode GepEnsembleGetSizes(GepEnsemble, PetscInt *N, PetscInt *nlocal, PetscInt *first);
PETSC_EXTERN PetscErrorCode GepEnsembleGetTimes(GepEnsemble, PetscInt *ntimes, const PetscReal **times);
/* Local results: nlocal x ntimes x noutputs, member-major. */
PETSC_EXTERN PetscErrorCode GepEnsembleGetOutputs(GepEnsemble, const PetscReal **);
/* Local parameter sets: nlocal x nparams; and which parameters were varied. */
PETSC_EXTERN PetscErrorCode GepEnsembleGetParameters(GepEnsemble, const PetscReal **);
PETSC_EXTERN PetscErrorCode GepEnsembleGetVaried(GepEnsemble, PetscInt *nvaried, const PetscInt **index);
