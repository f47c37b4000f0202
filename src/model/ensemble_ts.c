/* The ensemble's time stepper: its configuration, and its options (prefix -ensemble_),
   read from a private database so that gepsim's defaults never edit the global one. */
#include "ensembleimpl.h"

/* the ensemble's own prefix, then ensemble_ */
static PetscErrorCode SolverPrefix(GepEnsemble e, char prefix[], size_t len)
{
  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(prefix, len, "%s%s", ((PetscObject)e)->prefix ? ((PetscObject)e)->prefix : "",
                          GEP_ENSEMBLE_SOLVER_PREFIX));
  PetscFunctionReturn(0);
}

/* The solver's options: -ensemble_ts_..., -ensemble_snes_..., from a private database in which
   every member's error counts by default (the infinity norm over members; -ensemble_ts_adapt_wnormtype) */
PetscErrorCode GepEnsembleSolverOptionsCreate(GepEnsemble e)
{
  char prefix[256], defaults[300];

  PetscFunctionBegin;
  PetscCall(SolverPrefix(e, prefix, sizeof(prefix)));
  PetscCall(PetscSNPrintf(defaults, sizeof(defaults), "-%sts_adapt_wnormtype infinity", prefix));
  PetscCall(PetscOptionsDestroy(&e->solver_options));
  PetscCall(GepSolverOptionsCreate(prefix, defaults, &e->solver_options));
  PetscFunctionReturn(0);
}

/* BDF like CVODE's, configured before its options are read */
PetscErrorCode GepEnsembleConfigureTS(GepEnsemble e, TS ts)
{
  SNES           snes;
  SNESLineSearch ls;
  KSP            ksp;

  PetscFunctionBegin;
  PetscCall(TSSetOptionsPrefix(ts, ((PetscObject)e)->prefix));
  PetscCall(TSAppendOptionsPrefix(ts, GEP_ENSEMBLE_SOLVER_PREFIX));
  PetscCall(PetscObjectSetOptions((PetscObject)ts, e->solver_options));
  PetscCall(TSSetProblemType(ts, TS_NONLINEAR));
  PetscCall(TSSetType(ts, TSBDF));
  /* conservative: PETSc's variable-step BDF of order 3 and 4 keeps linear invariants only to about
     1e-11 a step, and a lagged Jacobian only to the Newton tolerance; order 2 with a fresh Jacobian
     keeps them to round-off */
  PetscCall(TSBDFSetOrder(ts, e->conservative ? 2 : 4));
  PetscCall(TSSetTime(ts, e->t0));
  PetscCall(TSSetTimeStep(ts, (e->tfinal - e->t0) / e->steps * 1e-3));
  PetscCall(TSSetMaxSteps(ts, PETSC_MAX_INT));
  PetscCall(TSSetExactFinalTime(ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSSetTolerances(ts, e->atol, NULL, e->rtol, NULL));
  PetscCall(TSSetMaxSNESFailures(ts, -1));
  /* a lagged Jacobian may need several tries, but a step size that collapses (a blow-up, a
     NaN in a rate) must end with an error, not retry forever: 500 rejections an output interval */
  PetscCall(TSSetMaxStepRejections(ts, 500));
  PetscCall(TSSetErrorIfStepFails(ts, PETSC_FALSE));
  PetscCall(TSGetSNES(ts, &snes));
  /* like CVODE: plain (modified) Newton reusing the Jacobian over a few solves */
  PetscCall(SNESGetLineSearch(snes, &ls));
  PetscCall(SNESLineSearchSetType(ls, SNESLINESEARCHBASIC));
  PetscCall(SNESSetLagJacobian(snes, e->conservative ? 1 : 4));
  PetscCall(SNESSetLagJacobianPersists(snes, PETSC_TRUE));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscFunctionReturn(0);
}

/* The solver's options read (and checked) before any work, on every rank, by a TS that
   is configured like the ensemble's and then thrown away. */
PetscErrorCode GepEnsembleReadSolverOptions(GepEnsemble e)
{
  TS        ts;
  SNES      snes;
  KSP       ksp;
  PC        pc;
  PetscReal rtol, atol;

  PetscFunctionBegin;
  PetscCall(GepEnsembleSolverOptionsCreate(e));
  PetscCall(TSCreate(PETSC_COMM_SELF, &ts));
  PetscCall(GepEnsembleConfigureTS(e, ts));
  PetscCall(TSGetSNES(ts, &snes));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCLU)); /* as the sparse Jacobian's: its factor options are read */
  PetscCall(TSSetFromOptions(ts));
  PetscCall(GepSolverOptionsMarkUsed(e->solver_options));
  PetscCall(TSGetTolerances(ts, &atol, NULL, &rtol, NULL));
  PetscCall(TSDestroy(&ts));
  PetscCall(GepEnsembleSetTolerances(e, rtol, atol));
  PetscFunctionReturn(0);
}
