/* What a caller may give an ensemble instead of its options: the output times, every
   member's parameters, doses, a monitor that may end a part's integration early, and
   whether a lone member's failure is an error. GepScreen gives all of these. */
#include "ensembleimpl.h"

PetscErrorCode GepEnsembleSetOutputTimes(GepEnsemble e, PetscInt n, const PetscReal t[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscCheck(!e->setup, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetOutputTimes() before GepEnsembleSetUp()");
  PetscCheck(n >= 2, e->comm, PETSC_ERR_ARG_OUTOFRANGE, "An ensemble needs at least 2 output times, got %" PetscInt_FMT,
             n);
  for (PetscInt k = 1; k < n; k++)
    PetscCheck(t[k] > t[k - 1], e->comm, PETSC_ERR_ARG_OUTOFRANGE,
               "Output times must increase: t[%" PetscInt_FMT "] = %g after %g", k, (double)t[k], (double)t[k - 1]);
  PetscCall(PetscFree(e->tgiven));
  PetscCall(PetscMalloc1(n, &e->tgiven));
  PetscCall(PetscArraycpy(e->tgiven, t, n));
  e->t0     = t[0];
  e->tfinal = t[n - 1];
  e->steps  = n - 1;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetParameters(GepEnsemble e, PetscInt N, const PetscReal p[])
{
  PetscInt np;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscCheck(e->model, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetModel() before GepEnsembleSetParameters()");
  PetscCheck(!e->setup, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetParameters() before GepEnsembleSetUp()");
  PetscCall(GepModelSetUp(e->model));
  PetscCall(GepModelGetNumParameters(e->model, &np));
  PetscCall(GepEnsembleSetSize(e, N));
  PetscCall(PetscFree(e->pgiven));
  PetscCall(PetscMalloc1(N * np, &e->pgiven));
  PetscCall(PetscArraycpy(e->pgiven, p, N * np));
  e->ngiven = N;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetInitialStates(GepEnsemble e, PetscInt N, const PetscReal x0[])
{
  PetscInt ns;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscCheck(e->model, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetModel() before GepEnsembleSetInitialStates()");
  PetscCheck(!e->setup, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetInitialStates() before GepEnsembleSetUp()");
  PetscCall(GepModelSetUp(e->model));
  PetscCall(GepModelGetNumStates(e->model, &ns));
  PetscCall(PetscFree(e->xgiven));
  PetscCall(PetscMalloc1(N * ns + 1, &e->xgiven));
  PetscCall(PetscArraycpy(e->xgiven, x0, N * ns));
  e->nxgiven = N;
  PetscFunctionReturn(0);
}

/* the local slices of the given initial states, and room for the final ones (at set-up) */
PetscErrorCode GepEnsembleInitialStatesSetUp(GepEnsemble e)
{
  PetscFunctionBegin;
  if (!e->xgiven) PetscFunctionReturn(0);
  PetscCheck(e->nxgiven == e->N, e->comm, PETSC_ERR_ARG_SIZ,
             "Initial states given for %" PetscInt_FMT " members, the ensemble has %" PetscInt_FMT, e->nxgiven, e->N);
  PetscCall(PetscMalloc1(e->nloc * e->ns + 1, &e->x0));
  PetscCall(PetscMalloc1(e->nloc * e->ns + 1, &e->xfinal));
  PetscCall(PetscArraycpy(e->x0, e->xgiven + e->first * e->ns, e->nloc * e->ns));
  for (PetscInt i = 0; i < e->nloc * e->ns; i++) e->xfinal[i] = (PetscReal)NAN;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleGetFinalStates(GepEnsemble e, const PetscReal **x)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscCheck(e->xfinal, e->comm, PETSC_ERR_ORDER, "Final states are kept only when initial states are given");
  *x = e->xfinal;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetDoses(GepEnsemble e, PetscInt N, const PetscInt first[], const GepDose doses[])
{
  PetscInt nd = first[N] - first[0];

  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscCheck(!e->setup, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetDoses() before GepEnsembleSetUp()");
  PetscCheck(N == e->N, e->comm, PETSC_ERR_ARG_SIZ,
             "Doses for %" PetscInt_FMT " members, the ensemble has %" PetscInt_FMT, N, e->N);
  PetscCall(PetscFree(e->dgiven));
  PetscCall(PetscFree(e->dgiven_first));
  PetscCall(PetscMalloc1(N + 1, &e->dgiven_first));
  PetscCall(PetscMalloc1(nd + 1, &e->dgiven));
  for (PetscInt m = 0; m <= N; m++) e->dgiven_first[m] = first[m] - first[0];
  PetscCall(PetscArraycpy(e->dgiven, doses + first[0], nd));
  for (PetscInt m = 0; m < N; m++)
    for (PetscInt i = e->dgiven_first[m] + 1; i < e->dgiven_first[m + 1]; i++)
      PetscCheck(e->dgiven[i].time >= e->dgiven[i - 1].time, e->comm, PETSC_ERR_ARG_OUTOFRANGE,
                 "Member %" PetscInt_FMT "'s doses are not in time order", m);
  e->ndgiven = N;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetMonitor(GepEnsemble e, GepEnsembleMonitorFn fn, void *ctx)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  e->monitor     = fn;
  e->monitor_ctx = ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetConservative(GepEnsemble e, PetscBool flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscCheck(!e->setup, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetConservative() before GepEnsembleSetUp()");
  e->conservative = flg;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetErrorIfMemberFails(GepEnsemble e, PetscBool flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  e->errorif_lone = flg;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleGetFailureReason(GepEnsemble e, PetscInt i, const char **why)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscCheck(i >= 0 && i < e->nloc, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "Local member %" PetscInt_FMT " out of range", i);
  *why = e->reason && e->reason[i] ? e->reason[i] : "";
  PetscFunctionReturn(0);
}
