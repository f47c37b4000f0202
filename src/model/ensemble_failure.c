/* A failed integration as one line a user can act on: the reason, the time, and
   where it went wrong: the first member and state whose value or derivative is
   not finite, else the state that changes fastest (a blow-up). */
#include "ensembleimpl.h"

/* the local index of the first non-finite state or derivative, else of the largest |dx/dt| */
static void Culprit(PetscInt n, const PetscScalar x[], const PetscScalar f[], PetscInt *where, PetscBool *finite)
{
  PetscReal fmax = -1;

  *where  = -1;
  *finite = PETSC_TRUE;
  for (PetscInt i = 0; i < n; i++) {
    if (PetscIsInfOrNanReal(x[i]) || PetscIsInfOrNanReal(f[i])) {
      *where  = i;
      *finite = PETSC_FALSE;
      return;
    }
    if (PetscAbsReal(f[i]) > fmax) {
      fmax   = PetscAbsReal(f[i]);
      *where = i;
    }
  }
}

/* the culprit of the rates at time t into where[]; *found when a state or rate is not finite or blows up */
static PetscErrorCode Describe(GepEnsemble e, Vec F, PetscReal t, const char *when, char where[], size_t len,
                               PetscBool *found)
{
  const PetscScalar *x, *f;
  PetscInt           n, i;
  PetscBool          finite;
  const char        *state;

  PetscFunctionBegin;
  PetscCall(TSComputeRHSFunction(e->ts, t, e->X, F));
  PetscCall(VecGetLocalSize(e->X, &n));
  PetscCall(VecGetArrayRead(e->X, &x));
  PetscCall(VecGetArrayRead(F, &f));
  Culprit(n, x, f, &i, &finite);
  *found = PETSC_FALSE;
  if (i >= 0) {
    PetscCall(GepModelGetStateName(e->model, i % e->ns, &state));
    if (!finite)
      PetscCall(PetscSNPrintf(where, len, "; member %" PetscInt_FMT ": %s or its rate is not a number %s",
                              e->first + i / e->ns, state, when));
    else if (PetscAbsReal(f[i]) > 1e6 * (1 + PetscAbsReal(x[i])))
      PetscCall(PetscSNPrintf(where, len, "; member %" PetscInt_FMT ": %s = %g grows without bound (rate %g)",
                              e->first + i / e->ns, state, (double)x[i], (double)f[i]));
    *found = (PetscBool)(!finite || where[0]);
  }
  PetscCall(VecRestoreArrayRead(F, &f));
  PetscCall(VecRestoreArrayRead(e->X, &x));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleIntegrationFailure(GepEnsemble e, PetscReal t, TSConvergedReason reason)
{
  Vec         F;
  PetscInt    steps;
  PetscBool   found;
  const char *file;
  char        where[512] = "";

  PetscFunctionBegin;
  PetscCall(GepModelGetFile(e->model, &file));
  if (reason == TS_CONVERGED_ITS) {
    PetscCall(TSGetMaxSteps(e->ts, &steps));
    SETERRQ(
      PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED,
      "model %s: integration stopped at t = %g: the maximum number of steps (-ensemble_ts_max_steps %" PetscInt_FMT
      ") was taken",
      file, (double)t, steps);
  }
  if (reason == TS_CONVERGED_USER) {
    PetscReal span = 1e-9 * (e->tfinal - e->t0);
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED,
            "model %s: events stop the integration 1000 times within %g of t = %g: an event whose trigger re-arms at "
            "once (a Zeno cascade)",
            file, (double)span, (double)t);
  }
  PetscCall(VecDuplicate(e->X, &F));
  PetscCall(Describe(e, F, t, "at this time", where, sizeof(where), &found));
  /* the rejected steps tried times just after t: a rate undefined there shows at t + h */
  if (!found)
    PetscCall(Describe(e, F, t + PetscMax(1e-10, 1e-8 * PetscAbsReal(t)), "just after this time", where, sizeof(where),
                       &found));
  if (!found)
    PetscCall(
      PetscStrncpy(where, "; the step size collapsed (a rate undefined or discontinuous just ahead?)", sizeof(where)));
  PetscCall(VecDestroy(&F));
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED, "model %s: integration failed at t = %g (%s)%s", file, (double)t,
          TSConvergedReasons[reason], where);
}
