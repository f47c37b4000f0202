/* GepEnsemble: one PETSc TS over all local members. The state vector is
   member-major (block size = number of states), the Jacobian block-diagonal
   BAIJ, solved exactly by point-block Jacobi; the step-size controller takes
   the maximum error over members, so every member meets the tolerances.
   Members are independent, so by default the ensemble is cut into chunks of
   -ensemble_chunk_size consecutive members, each integrated by its own TS on
   PETSC_COMM_SELF (ensemble_chunks.c): no reduction per Newton iteration, no
   rank waits for a slower one, each chunk's steps follow its own hardest
   member, and since chunks are fixed blocks of the global member order the
   results are identical on any number of ranks. With -ensemble_synchronized
   one TS on comm covers all members (every member takes the same steps). */
#include "ensembleimpl.h"

PetscErrorCode GepEnsembleCreate(MPI_Comm comm, GepEnsemble *ens)
{
  GepEnsemble e;

  PetscFunctionBegin;
  PetscValidPointer(ens, 2);
  PetscCall(GepModelInitializePackage());
  PetscCall(PetscHeaderCreate(e, GEPENSEMBLE_CLASSID, "GepEnsemble", "Ensemble of model copies", "GepEnsemble", comm,
                              GepEnsembleDestroy, GepEnsembleView));
  e->comm         = PetscObjectComm((PetscObject)e);
  e->scomm        = PETSC_COMM_SELF;
  e->N            = 1;
  e->t0           = 0.0;
  e->tfinal       = 10.0;
  e->steps        = 100;
  e->seed         = 1;
  e->B            = 64;
  e->rtol         = 1e-6;
  e->atol         = 1e-10;
  e->chunk        = 500;
  e->errorif_lone = PETSC_TRUE;
  *ens            = e;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetModel(GepEnsemble e, GepModel m)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscValidHeaderSpecific(m, GEPMODEL_CLASSID, 2);
  PetscCheck(!e->setup, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetModel() before GepEnsembleSetUp()");
  PetscCall(PetscObjectReference((PetscObject)m));
  PetscCall(GepModelDestroy(&e->model));
  e->model = m;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetOptionsPrefix(GepEnsemble e, const char prefix[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)e, prefix));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetSize(GepEnsemble e, PetscInt N)
{
  PetscFunctionBegin;
  PetscCheck(N >= 1, e->comm, PETSC_ERR_USER, "-ensemble_size must be at least 1, got %" PetscInt_FMT, N);
  e->N = N;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetTimes(GepEnsemble e, PetscReal t0, PetscReal tfinal, PetscInt steps)
{
  PetscFunctionBegin;
  PetscCheck(tfinal > t0, e->comm, PETSC_ERR_USER, "-ensemble_tfinal (%g) must be greater than -ensemble_t0 (%g)",
             (double)tfinal, (double)t0);
  PetscCheck(steps >= 1, e->comm, PETSC_ERR_USER, "-ensemble_steps must be at least 1, got %" PetscInt_FMT, steps);
  e->t0     = t0;
  e->tfinal = tfinal;
  e->steps  = steps;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetSeed(GepEnsemble e, PetscInt seed)
{
  PetscFunctionBegin;
  e->seed = seed;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetBatchSize(GepEnsemble e, PetscInt B)
{
  PetscFunctionBegin;
  PetscCheck(B >= 1, e->comm, PETSC_ERR_USER, "-ensemble_batch_size must be at least 1, got %" PetscInt_FMT, B);
  e->B = B;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetTolerances(GepEnsemble e, PetscReal rtol, PetscReal atol)
{
  PetscFunctionBegin;
  PetscCheck(rtol > 0, e->comm, PETSC_ERR_USER, "-ensemble_ts_rtol must be positive");
  PetscCheck(atol > 0, e->comm, PETSC_ERR_USER, "-ensemble_ts_atol must be positive");
  e->rtol = rtol;
  e->atol = atol;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetProgress(GepEnsemble e, PetscBool flg)
{
  PetscFunctionBegin;
  e->progress = flg;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetSynchronized(GepEnsemble e, PetscBool flg)
{
  PetscFunctionBegin;
  PetscCheck(!e->setup, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetSynchronized() before GepEnsembleSetUp()");
  e->synchronized = flg;
  e->scomm        = flg ? e->comm : PETSC_COMM_SELF;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetChunkSize(GepEnsemble e, PetscInt C)
{
  PetscFunctionBegin;
  PetscCheck(C >= 1, e->comm, PETSC_ERR_USER, "-ensemble_chunk_size must be at least 1, got %" PetscInt_FMT, C);
  e->chunk = C;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetFromOptions(GepEnsemble e)
{
  char      file[PETSC_MAX_PATH_LEN];
  PetscBool set;
  PetscInt  nmax = 256, N = e->N, steps = e->steps, B = e->B;
  PetscReal t0 = e->t0, tf = e->tfinal;
  PetscBool sync = e->synchronized, view;
  PetscInt  C    = e->chunk;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)e);
  PetscCall(PetscOptionsInt("-ensemble_size", "Number of members", "GepEnsembleSetSize", N, &N, NULL));
  PetscCall(PetscOptionsReal("-ensemble_t0", "Start time", "GepEnsembleSetTimes", t0, &t0, NULL));
  PetscCall(PetscOptionsReal("-ensemble_tfinal", "End time", "GepEnsembleSetTimes", tf, &tf, NULL));
  PetscCall(PetscOptionsInt("-ensemble_steps", "Number of output intervals (steps + 1 output times)",
                            "GepEnsembleSetTimes", steps, &steps, NULL));
  PetscCall(
    PetscOptionsInt("-ensemble_seed", "Seed of the parameter draws", "GepEnsembleSetSeed", e->seed, &e->seed, NULL));
  PetscCall(PetscOptionsInt("-ensemble_batch_size", "Members evaluated together by the tapes",
                            "GepEnsembleSetBatchSize", B, &B, NULL));
  PetscCall(PetscOptionsBool("-ensemble_progress", "Print a progress line every 10 % of the time span",
                             "GepEnsembleSetProgress", e->progress, &e->progress, NULL));
  PetscCall(PetscOptionsBool("-ensemble_synchronized",
                             "All ranks take the same time steps (results independent of the rank count; slower)",
                             "GepEnsembleSetSynchronized", sync, &sync, NULL));
  PetscCall(PetscOptionsInt("-ensemble_chunk_size", "Members per independent time stepper (unless synchronized)",
                            "GepEnsembleSetChunkSize", C, &C, NULL));
  PetscCall(PetscOptionsName("-ensemble_view", "View the ensemble, its model and solvers after set-up ([ascii][:file])",
                             "GepEnsembleViewFromOptions", &view));
  PetscCall(PetscOptionsEnum("-ensemble_jacobian",
                             "Per-member Jacobian: auto (sparse from 50 states when at most a quarter is nonzero), "
                             "dense blocks, or sparse with a sparse direct solver",
                             "GepEnsembleSetJacobianType", GepEnsembleJacobianTypes, (PetscEnum)e->jtype,
                             (PetscEnum *)&e->jtype, NULL));
  PetscCall(PetscMalloc1(nmax, &e->vary_spec));
  e->nvary_spec = nmax;
  PetscCall(PetscOptionsStringArray(
    "-ensemble_vary",
    "Parameter variations NAME:DIST:ARGS,... (lognormal:S, normal:S, uniform:LO:HI, loguniform:LO:HI)",
    "GepEnsembleSetFromOptions", e->vary_spec, &e->nvary_spec, &set));
  if (!set) e->nvary_spec = 0;
  PetscCall(PetscOptionsString("-ensemble_parameters_file",
                               "TSV of parameter sets (header of names, one row per member)",
                               "GepEnsembleSetFromOptions", "", file, sizeof(file), &set));
  if (set) PetscCall(PetscStrallocpy(file, &e->params_file));
  PetscOptionsEnd();
  PetscCall(GepEnsembleReadSolverOptions(e));
  PetscCall(GepEnsembleSetSize(e, N));
  PetscCall(GepEnsembleSetTimes(e, t0, tf, steps));
  PetscCall(GepEnsembleSetBatchSize(e, B));
  PetscCall(GepEnsembleSetSynchronized(e, sync));
  PetscCall(GepEnsembleSetChunkSize(e, C));
  PetscFunctionReturn(0);
}

static PetscErrorCode RHSFunction(TS ts, PetscReal t, Vec U, Vec F, void *ctx)
{
  GepEnsemble        e = (GepEnsemble)ctx;
  const PetscScalar *u;
  PetscScalar       *f;

  PetscFunctionBegin;
  (void)ts;
  PetscCall(VecGetArrayRead(U, &u));
  PetscCall(VecGetArrayWrite(F, &f));
  for (PetscInt b = 0; b < e->nbatch; b++)
    PetscCall(GepModelBatchRHS(e->batch[b], t, u + b * e->B * e->ns, f + b * e->B * e->ns));
  PetscCall(VecRestoreArrayRead(U, &u));
  PetscCall(VecRestoreArrayWrite(F, &f));
  PetscFunctionReturn(0);
}

static PetscErrorCode RHSJacobian(TS ts, PetscReal t, Vec U, Mat A, Mat P, void *ctx)
{
  GepEnsemble        e = (GepEnsemble)ctx;
  const PetscScalar *u;

  PetscFunctionBegin;
  (void)ts;
  PetscCall(VecGetArrayRead(U, &u));
  PetscCall(GepEnsembleJacobianFill(e, t, u, P));
  PetscCall(VecRestoreArrayRead(U, &u));
  PetscCall(MatAssemblyBegin(P, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(P, MAT_FINAL_ASSEMBLY));
  if (A != P) {
    PetscCall(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateTS(GepEnsemble e)
{
  SNES      snes;
  KSP       ksp;
  PC        pc;
  PetscReal rtol, atol;

  PetscFunctionBegin;
  PetscCall(VecCreate(e->scomm, &e->X));
  PetscCall(VecSetSizes(e->X, e->nloc * e->ns, PETSC_DETERMINE));
  PetscCall(VecSetBlockSize(e->X, e->ns));
  PetscCall(VecSetType(e->X, VECSTANDARD));
  PetscCall(TSCreate(e->scomm, &e->ts));
  PetscCall(GepEnsembleConfigureTS(e, e->ts));
  PetscCall(TSSetRHSFunction(e->ts, NULL, RHSFunction, e));
  PetscCall(TSGetSNES(e->ts, &snes));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(GepEnsembleJacobianCreate(e, pc)); /* the matrix and its exact solver */
  PetscCall(TSSetRHSJacobian(e->ts, e->J, e->J, RHSJacobian, e));
  PetscCall(TSSetFromOptions(e->ts));
  PetscCall(GepSolverOptionsMarkUsed(e->solver_options));
  PetscCall(TSGetTolerances(e->ts, &atol, NULL, &rtol, NULL));
  PetscCall(GepEnsembleSetTolerances(e, rtol, atol));
  PetscFunctionReturn(0);
}

static PetscErrorCode ChunksSetUp(void *ctx)
{
  PetscFunctionBegin;
  PetscCall(GepEnsembleChunksSetUp((GepEnsemble)ctx));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSetUp(GepEnsemble e)
{
  PetscFunctionBegin;
  if (e->setup) PetscFunctionReturn(0);
  PetscCheck(e->model, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetModel() first");
  PetscCall(GepModelSetUp(e->model));
  PetscCall(GepModelGetNumStates(e->model, &e->ns));
  PetscCall(GepModelGetNumParameters(e->model, &e->np));
  PetscCall(GepModelGetNumOutputs(e->model, &e->nout));
  if (!e->solver_options) PetscCall(GepEnsembleSolverOptionsCreate(e));
  PetscCall(PetscMalloc1(e->steps + 1, &e->times));
  for (PetscInt k = 0; k <= e->steps; k++)
    e->times[k] = e->tgiven ? e->tgiven[k] : e->t0 + (e->tfinal - e->t0) * (PetscReal)k / (PetscReal)e->steps;
  if (!e->child) { /* a chunk has its members, parameters and results from its parent */
    if (e->synchronized) {
      e->nloc = PETSC_DECIDE;
      PetscCall(PetscSplitOwnership(e->comm, &e->nloc, &e->N));
      PetscCallMPI(MPI_Scan(&e->nloc, &e->first, 1, MPIU_INT, MPI_SUM, e->comm));
      e->first -= e->nloc;
    } else PetscCall(GepEnsembleChunksDistribute(e));
    PetscCall(PetscMalloc1(e->nloc * e->np + 1, &e->p));
    PetscCall(GepEnsembleDrawParameters(e));
    PetscCall(GepEnsembleInitialStatesSetUp(e));
    PetscCall(PetscCalloc1(e->nloc * (e->steps + 1) * e->nout + 1, &e->results));
    PetscCall(PetscCalloc1(e->nloc + 1, &e->status));
    PetscCall(PetscCalloc1(e->nloc + 1, &e->reason));
    PetscCall(GepEnsembleDosesSetUp(e));
    if (!e->synchronized) {
      /* a rank may hold no chunk: an error in the solvers' options (found where a TS is
         made) must end every rank, not leave those waiting in the next collective */
      PetscCall(GepRunShared(e->comm, ChunksSetUp, e));
      e->ops->solvelocal = GepEnsembleChunksSolve;
      PetscCall(PetscObjectChangeTypeName((PetscObject)e, "chunked"));
      e->setup = PETSC_TRUE;
      PetscFunctionReturn(0);
    }
  }
  e->nbatch = (e->nloc + e->B - 1) / e->B;
  PetscCall(PetscMalloc1(e->nbatch + 1, &e->batch));
  for (PetscInt b = 0; b < e->nbatch; b++) PetscCall(GepModelBatchCreate(e->model, e->B, &e->batch[b]));
  if (e->ns > 0) PetscCall(CreateTS(e));
  else PetscCall(TSCreate(e->scomm, &e->ts)); /* nothing to integrate: outputs depend on time only */
  PetscCall(GepEnsembleEventsSetUp(e));
  if (e->child) PetscCall(GepEnsembleDosesSetUp(e));
  e->ops->solvelocal = GepEnsembleSolveLocal;
  PetscCall(PetscObjectChangeTypeName((PetscObject)e, e->child ? "chunk" : "synchronized"));
  e->setup = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/* Outputs of all local members at time t from the states in x. */
static PetscErrorCode RecordOutputs(GepEnsemble e, PetscInt k, const PetscScalar x[])
{
  PetscReal *buf;
  PetscInt   T = e->steps + 1;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_Output, 0, 0, 0, 0));
  PetscCall(PetscMalloc1(e->B * e->nout + 1, &buf));
  for (PetscInt b = 0; b < e->nbatch; b++) {
    PetscInt nb = PetscMin(e->B, e->nloc - b * e->B);
    PetscCall(GepModelBatchOutputs(e->batch[b], e->times[k], x + b * e->B * e->ns, buf));
    for (PetscInt m = 0; m < nb; m++)
      PetscCall(PetscArraycpy(e->results + ((b * e->B + m) * T + k) * e->nout, buf + m * e->nout, e->nout));
  }
  PetscCall(PetscFree(buf));
  PetscCall(PetscLogEventEnd(GEP_Output, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

static PetscErrorCode Progress(GepEnsemble e, PetscInt k)
{
  PetscInt       nsteps = 0;
  PetscLogDouble now;

  PetscFunctionBegin;
  if (e->ns > 0) PetscCall(TSGetStepNumber(e->ts, &nsteps));
  PetscCall(PetscTime(&now));
  PetscCall(PetscPrintf(e->comm, "  t = %-10g %3d %%  %8" PetscInt_FMT " steps  %8.2f s\n", (double)e->times[k],
                        (int)(100 * k / e->steps), nsteps, now - e->started));
  PetscFunctionReturn(0);
}

/* the caller's monitor after output k; once it says stop, the later outputs are NaN */
static PetscErrorCode Monitor(GepEnsemble e, PetscInt k, PetscBool *stop)
{
  PetscBool mine = PETSC_FALSE;
  PetscInt  T    = e->steps + 1;

  PetscFunctionBegin;
  if (!e->monitor) PetscFunctionReturn(0);
  PetscCall((*e->monitor)(e, k, &mine, e->monitor_ctx));
  if (e->synchronized) PetscCallMPI(MPI_Allreduce(&mine, stop, 1, MPIU_BOOL, MPI_LOR, e->scomm));
  else *stop = mine;
  if (!*stop) PetscFunctionReturn(0);
  for (PetscInt m = 0; m < e->nloc; m++)
    for (PetscInt j = (k + 1) * e->nout; j < T * e->nout; j++) e->results[m * T * e->nout + j] = (PetscReal)NAN;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSolveLocal(GepEnsemble e)
{
  PetscScalar      *x;
  const char       *file;
  PetscBool         executed, given, stop = PETSC_FALSE;
  TSConvergedReason reason;

  PetscFunctionBegin;
  if (e->ns > 0) PetscCall(VecGetArray(e->X, &x));
  else PetscCall(PetscMalloc1(1, &x));
  for (PetscInt b = 0; b < e->nbatch; b++) {
    PetscInt nb = PetscMin(e->B, e->nloc - b * e->B);
    PetscCall(GepModelBatchSetParameters(e->batch[b], nb, e->t0, e->p + b * e->B * e->np, x + b * e->B * e->ns));
  }
  if (e->x0) PetscCall(PetscArraycpy(x, e->x0, e->nloc * e->ns)); /* GepEnsembleSetInitialStates */
  for (PetscInt i = 0; i < e->nloc * e->ns; i++) {
    if (!PetscIsInfOrNanReal(x[i])) continue;
    PetscCall(GepModelGetFile(e->model, &file));
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER,
            "model %s: the initial value of a state is not a number (member %" PetscInt_FMT ")", file,
            e->first + i / e->ns);
  }
  PetscCall(GepEnsembleDosesGive(e, e->t0, x, &given));        /* doses at t0 count in the first output */
  PetscCall(GepEnsembleEventsProcess(e, e->t0, x, &executed)); /* triggers true at t0 */
  PetscCall(RecordOutputs(e, 0, x));
  if (e->ns > 0) PetscCall(VecRestoreArray(e->X, &x));
  PetscCall(Monitor(e, 0, &stop));
  /* one TSSolve per output interval, cut at pending event times and at trigger changes */
  for (PetscInt k = 1; k <= e->steps; k++) {
    if (e->ns > 0) {
      PetscReal t, tnext, tdose, tol = 1e-12 * PetscMax(1.0, PetscAbsReal(e->times[k])), tcut;
      PetscInt  cuts = 0;
      PetscCall(TSGetTime(e->ts, &t));
      tcut = t;
      while (t < e->times[k] - tol && !stop) {
        PetscCall(GepEnsembleEventsNextTime(e, &tnext));
        PetscCall(GepEnsembleDosesNextTime(e, &tdose));
        tnext = PetscMin(tnext, tdose);
        PetscCall(TSSetMaxTime(e->ts, PetscMin(e->times[k], PetscMax(tnext, t))));
        PetscCall(TSSolve(e->ts, e->X));
        PetscCall(TSGetConvergedReason(e->ts, &reason));
        PetscCall(TSGetTime(e->ts, &t));
        /* a failure, or the step limit reached short of the target (TSSolve would return at once ever after) */
        if (reason < 0 || (reason == TS_CONVERGED_ITS && t < e->times[k] - tol))
          PetscCall(GepEnsembleIntegrationFailure(e, t, reason));
        /* steps cut back at an event trigger over and over without time advancing: a cascade */
        if (reason == TS_CONVERGED_USER && t - tcut <= 1e-9 * (e->tfinal - e->t0)) {
          if (++cuts >= 1000) PetscCall(GepEnsembleIntegrationFailure(e, t, reason));
        } else {
          cuts = 0;
          tcut = t;
        }
        PetscCall(VecGetArray(e->X, &x));
        PetscCall(GepEnsembleDosesGive(e, t, x, &given));
        if (e->nev) PetscCall(GepEnsembleEventsProcess(e, t, x, &executed));
        PetscCall(VecRestoreArray(e->X, &x));
        /* no history across a cut-back step or a jump of the state */
        if (given || (e->nev && (executed || reason == TS_CONVERGED_USER))) PetscCall(TSRestartStep(e->ts));
      }
      PetscCall(VecGetArray(e->X, &x));
    }
    PetscCall(RecordOutputs(e, k, x));
    if (e->xfinal && k == e->steps) PetscCall(PetscArraycpy(e->xfinal, x, e->nloc * e->ns));
    if (e->ns > 0) PetscCall(VecRestoreArray(e->X, &x));
    PetscCall(Monitor(e, k, &stop));
    if (stop) break;
    if (e->progress && (10 * k) / e->steps != (10 * (k - 1)) / e->steps) PetscCall(Progress(e, k));
  }
  if (e->ns == 0) PetscCall(PetscFree(x));
  PetscFunctionReturn(0);
}

static PetscErrorCode SolveThisRank(void *ctx)
{
  GepEnsemble e = (GepEnsemble)ctx;

  PetscFunctionBegin;
  PetscCall((*e->ops->solvelocal)(e));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleSolve(GepEnsemble e)
{
  PetscFunctionBegin;
  PetscCall(GepEnsembleSetUp(e));
  PetscCall(PetscLogEventBegin(GEP_EnsembleSolve, 0, 0, 0, 0));
  PetscCall(PetscTime(&e->started));
  /* a failure may be local to a rank (a NaN, a diverging member): every rank learns of it */
  PetscCall(GepRunShared(e->comm, SolveThisRank, e));
  PetscCall(GepSolverOptionsMarkUsed(e->solver_options)); /* those read while solving (-ensemble_ts_view) */
  PetscCall(PetscLogEventEnd(GEP_EnsembleSolve, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleView(GepEnsemble e, PetscViewer v)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  if (!v) PetscCall(PetscViewerASCIIGetStdout(e->comm, &v));
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)e, v));
  PetscCall(PetscViewerASCIIPrintf(v,
                                   "  %" PetscInt_FMT " members, t = %g .. %g, %" PetscInt_FMT
                                   " output steps, %" PetscInt_FMT " varied parameters\n",
                                   e->N, (double)e->t0, (double)e->tfinal, e->steps, e->nvary));
  if (e->model) PetscCall(GepModelView(e->model, v));
  if (e->ns > 0) {
    GepEnsemble c   = e->nchunks && e->chunks[0] ? e->chunks[0] : e; /* the chunks choose alike */
    PetscInt    nnz = c->sparse && c->jrow ? c->jrow[c->ns] : c->ns * c->ns;
    TS          ts  = c->ts; /* a chunk's solver lives while the chunk is set up or solved */

    PetscCall(PetscViewerASCIIPrintf(
      v, "  per-member Jacobian: %s, %" PetscInt_FMT " entries a member\n",
      c->sparse ? "sparse (AIJ, sparse direct LU)" : "dense blocks (BAIJ, point-block Jacobi)", nnz));

    if (e->synchronized) PetscCall(TSView(ts, v));
    else { /* every chunk has its own TS, configured alike: rank 0 shows its first */ PetscViewer sv;
      PetscMPIInt                                                                                 rank;

      PetscCallMPI(MPI_Comm_rank(e->comm, &rank));
      PetscCall(PetscViewerGetSubViewer(v, PETSC_COMM_SELF, &sv));
      if (rank == 0 && ts) PetscCall(TSView(ts, sv));
      PetscCall(PetscViewerRestoreSubViewer(v, PETSC_COMM_SELF, &sv));
    }
  }
  PetscFunctionReturn(0);
}

/* -ensemble_view [ascii[:file]]: the ensemble, its model and its solvers (under its prefix) */
PetscErrorCode GepEnsembleViewFromOptions(GepEnsemble e, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  PetscCall(PetscObjectViewFromOptions((PetscObject)e, obj, name));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleDestroy(GepEnsemble *ens)
{
  GepEnsemble e = *ens;

  PetscFunctionBegin;
  if (!e) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(e, GEPENSEMBLE_CLASSID, 1);
  if (--((PetscObject)e)->refct > 0) {
    *ens = NULL;
    PetscFunctionReturn(0);
  }
  PetscCall(GepEnsembleChunksDestroy(e));
  for (PetscInt b = 0; b < e->nbatch; b++) PetscCall(GepModelBatchDestroy(&e->batch[b]));
  PetscCall(PetscFree(e->batch));
  for (PetscInt j = 0; j < e->nvary_spec; j++) PetscCall(PetscFree(e->vary_spec[j]));
  PetscCall(PetscFree(e->vary_spec));
  PetscCall(PetscFree(e->vary));
  PetscCall(PetscFree(e->varied));
  PetscCall(PetscFree(e->params_file));
  PetscCall(PetscFree(e->tgiven));
  PetscCall(PetscFree(e->pgiven));
  PetscCall(PetscFree(e->xgiven));
  PetscCall(GepEnsembleDosesDestroy(e));
  if (!e->child) {
    PetscCall(PetscFree(e->x0));
    PetscCall(PetscFree(e->xfinal));
    PetscCall(PetscFree(e->p));
    PetscCall(PetscFree(e->results));
    PetscCall(PetscFree(e->status));
    for (PetscInt i = 0; i < e->nloc && e->reason; i++) PetscCall(PetscFree(e->reason[i]));
    PetscCall(PetscFree(e->reason));
  }
  if (!e->child) PetscCall(PetscOptionsDestroy(&e->solver_options));
  PetscCall(PetscFree(e->times));
  PetscCall(PetscFree(e->jblock));
  PetscCall(GepEnsembleEventsDestroy(e));
  PetscCall(TSDestroy(&e->ts));
  PetscCall(VecDestroy(&e->X));
  PetscCall(GepEnsembleJacobianDestroy(e));
  PetscCall(GepModelDestroy(&e->model));
  PetscCall(PetscHeaderDestroy(ens));
  PetscFunctionReturn(0);
}

/* Collective: each local member's status (0 integrated, 1 failed: its results are NaN),
   the number failed over all ranks, and the first failure's message (rank 0's view) */
PetscErrorCode GepEnsembleGetStatus(GepEnsemble e, const PetscInt **status, PetscInt *nfailed,
                                    const char **first_failure)
{
  PetscInt    mine = 0;
  PetscMPIInt rank, size, who, lowest;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < e->nloc; i++) mine += e->status ? e->status[i] : 0;
  if (status) *status = e->status;
  if (nfailed) PetscCallMPI(MPI_Allreduce(&mine, nfailed, 1, MPIU_INT, MPI_SUM, e->comm));
  if (first_failure) { /* the lowest rank with a failure sends its message to rank 0 */
    PetscCallMPI(MPI_Comm_rank(e->comm, &rank));
    PetscCallMPI(MPI_Comm_size(e->comm, &size));
    who = mine ? rank : size;
    PetscCallMPI(MPI_Allreduce(&who, &lowest, 1, MPI_INT, MPI_MIN, e->comm));
    if (lowest < size && lowest != 0) {
      if (rank == lowest) PetscCallMPI(MPI_Send(e->failure, (int)sizeof(e->failure), MPI_CHAR, 0, 0, e->comm));
      if (rank == 0)
        PetscCallMPI(MPI_Recv(e->failure, (int)sizeof(e->failure), MPI_CHAR, lowest, 0, e->comm, MPI_STATUS_IGNORE));
    }
    *first_failure = e->failure;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleGetSizes(GepEnsemble e, PetscInt *N, PetscInt *nloc, PetscInt *first)
{
  PetscFunctionBegin;
  if (N) *N = e->N;
  if (nloc) *nloc = e->nloc;
  if (first) *first = e->first;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleGetTimes(GepEnsemble e, PetscInt *n, const PetscReal **t)
{
  PetscFunctionBegin;
  *n = e->steps + 1;
  *t = e->times;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleGetOutputs(GepEnsemble e, const PetscReal **r)
{
  PetscFunctionBegin;
  *r = e->results;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleGetParameters(GepEnsemble e, const PetscReal **p)
{
  PetscFunctionBegin;
  *p = e->p;
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleGetVaried(GepEnsemble e, PetscInt *n, const PetscInt **idx)
{
  PetscFunctionBegin;
  *n   = e->nvary;
  *idx = e->varied;
  PetscFunctionReturn(0);
}
