/* Doses while integrating: each member's doses in time order, given when the
   integration reaches their time (it is cut there), after which the stepper's
   history restarts as it does after an event. A part of the ensemble (a chunk)
   reads its parent's doses in place. */
#include "ensembleimpl.h"

/* the parent keeps its local members' doses; a chunk points into them */
PetscErrorCode GepEnsembleDosesSetUp(GepEnsemble e)
{
  PetscFunctionBegin;
  if (!e->child && e->dgiven) {
    PetscInt a = e->dgiven_first[e->first], n = e->dgiven_first[e->first + e->nloc] - a;
    PetscCall(PetscMalloc1(e->nloc + 1, &e->dose_first));
    PetscCall(PetscMalloc1(n + 1, &e->doses));
    PetscCall(PetscArraycpy(e->doses, e->dgiven + a, n));
    for (PetscInt i = 0; i <= e->nloc; i++) e->dose_first[i] = e->dgiven_first[e->first + i] - a;
    for (PetscInt i = 0; i < n; i++)
      PetscCheck(e->doses[i].state >= 0 && e->doses[i].state < e->ns, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
                 "A dose of state %" PetscInt_FMT " in a model of %" PetscInt_FMT " states", e->doses[i].state, e->ns);
  }
  if (e->dose_first && e->nloc) {
    PetscCall(PetscMalloc1(e->nloc, &e->dose_next));
    for (PetscInt i = 0; i < e->nloc; i++) e->dose_next[i] = e->dose_first[i];
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleDosesNextTime(GepEnsemble e, PetscReal *t)
{
  PetscReal local = PETSC_MAX_REAL;

  PetscFunctionBegin;
  for (PetscInt i = 0; e->dose_next && i < e->nloc; i++)
    if (e->dose_next[i] < e->dose_first[i + 1]) local = PetscMin(local, e->doses[e->dose_next[i]].time);
  if (e->synchronized) PetscCallMPI(MPI_Allreduce(&local, t, 1, MPIU_REAL, MPI_MIN, e->scomm));
  else *t = local;
  PetscFunctionReturn(0);
}

/* the doses due at time t (within rounding), into the member-major states x */
PetscErrorCode GepEnsembleDosesGive(GepEnsemble e, PetscReal t, PetscScalar x[], PetscBool *given)
{
  PetscReal tol  = 1e-12 * PetscMax(1.0, PetscAbsReal(t));
  PetscBool mine = PETSC_FALSE;

  PetscFunctionBegin;
  for (PetscInt i = 0; e->dose_next && i < e->nloc; i++) {
    for (; e->dose_next[i] < e->dose_first[i + 1] && e->doses[e->dose_next[i]].time <= t + tol; e->dose_next[i]++) {
      const GepDose *d = &e->doses[e->dose_next[i]];
      PetscScalar   *s = &x[i * e->ns + d->state];
      *s               = d->set ? d->amount : *s + d->amount;
      mine             = PETSC_TRUE;
    }
  }
  if (e->synchronized) PetscCallMPI(MPI_Allreduce(&mine, given, 1, MPIU_BOOL, MPI_LOR, e->scomm));
  else *given = mine;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleDosesDestroy(GepEnsemble e)
{
  PetscFunctionBegin;
  if (!e->child) {
    PetscCall(PetscFree(e->doses));
    PetscCall(PetscFree(e->dose_first));
  }
  PetscCall(PetscFree(e->dose_next));
  PetscCall(PetscFree(e->dgiven));
  PetscCall(PetscFree(e->dgiven_first));
  PetscFunctionReturn(0);
}
