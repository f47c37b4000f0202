/* One unit of a screen: consecutive conditions integrated as one GepEnsemble on the
   group's ranks (its chunks fixed blocks of -screen_chunk_size conditions, so that the
   numbers do not depend on who integrates them), then each condition's readouts. A
   condition whose integration fails, or whose outputs are not finite, is recorded as
   failed with its reason; the others go on. The unit's rows end on the group's leader. */
#include <string.h>
#include "screenimpl.h"

/* every condition's parameters and its environment's doses */
static PetscErrorCode UnitInputs(GepScreen s, PetscInt first, PetscInt n, PetscReal **p, PetscInt **dfirst,
                                 GepDose **doses)
{
  PetscInt *env, nd = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n * s->np, p));
  PetscCall(PetscMalloc1(n + 1, dfirst));
  PetscCall(PetscMalloc1(n, &env));
  for (PetscInt i = 0; i < n; i++) {
    PetscInt       k;
    const GepDose *d;
    PetscCall(GepScreenConditionParameters(s, first + i, *p + i * s->np));
    PetscCall(GepScreenConditionIndices(s, first + i, NULL, &env[i], NULL, NULL));
    PetscCall(GepPerturbationGetDoses(s->pert, env[i], &k, &d));
    (*dfirst)[i] = nd;
    nd += k;
  }
  (*dfirst)[n] = nd;
  PetscCall(PetscMalloc1(nd + 1, doses));
  for (PetscInt i = 0; i < n; i++) {
    PetscInt       k;
    const GepDose *d;
    PetscCall(GepPerturbationGetDoses(s->pert, env[i], &k, &d));
    PetscCall(PetscArraycpy(*doses + (*dfirst)[i], d, k));
  }
  PetscCall(PetscFree(env));
  PetscFunctionReturn(0);
}

/* the first output that is not finite up to the last time integrated, as a reason */
static PetscErrorCode NotFinite(GepScreen s, const PetscReal y[], PetscInt klast, char why[], size_t len)
{
  PetscFunctionBegin;
  why[0] = 0;
  for (PetscInt k = 0; k <= klast && !why[0]; k++)
    for (PetscInt o = 0; o < s->nout && !why[0]; o++)
      if (PetscIsInfOrNanReal(y[k * s->nout + o]))
        PetscCall(PetscSNPrintf(why, len, "%s is not finite at t = %g", s->outname[o], (double)s->times[k]));
  PetscFunctionReturn(0);
}

static PetscErrorCode AppendReason(GepScreen s, PetscInt i, const char why[])
{
  size_t need = strlen(why) + 32;

  PetscFunctionBegin;
  if (s->ureason_len + need >= s->ureason_cap) {
    s->ureason_cap = 2 * (s->ureason_len + need);
    PetscCall(PetscRealloc(s->ureason_cap, &s->ureason));
  }
  s->ureason_len += (size_t)snprintf(s->ureason + s->ureason_len, s->ureason_cap - s->ureason_len, "%d\t", (int)i);
  for (const char *c = why; *c; c++) s->ureason[s->ureason_len++] = (*c == '\n' || *c == '\t') ? ' ' : *c;
  s->ureason[s->ureason_len++] = '\n';
  s->ureason[s->ureason_len]   = 0;
  PetscFunctionReturn(0);
}

/* this rank's rows of the unit: readouts, status (1 ok, 2 failed), ss_reached, wall time */
static PetscErrorCode Rows(GepScreen s, GepEnsemble ens, const PetscInt kss[], PetscReal rows[])
{
  PetscInt         nloc, mfirst, W = s->nread + GEP_SCREEN_NEXTRA;
  const PetscReal *y;
  const PetscInt  *status;

  PetscFunctionBegin;
  PetscCall(GepEnsembleGetSizes(ens, NULL, &nloc, &mfirst));
  PetscCall(GepEnsembleGetOutputs(ens, &y));
  PetscCall(GepEnsembleGetStatus(ens, &status, NULL, NULL));
  for (PetscInt i = 0; i < nloc; i++) {
    PetscReal       *row = rows + i * W;
    const PetscReal *yi  = y + i * s->T * s->nout;
    const PetscInt  *ki  = kss + (mfirst + i) * s->nprim;
    PetscBool        settled;
    char             why[256];
    const char      *reason;

    PetscCall(GepEnsembleGetFailureReason(ens, i, &reason));
    if (status[i]) PetscCall(PetscStrncpy(why, reason[0] ? reason : "integration failed", sizeof(why)));
    else PetscCall(NotFinite(s, yi, s->kfinal, why, sizeof(why))); /* later times only for ss(), may be NaN */
    row[s->nread + 1] = 0;
    if (why[0]) {
      for (PetscInt r = 0; r < s->nread; r++) row[r] = (PetscReal)NAN;
      row[s->nread] = 2;
      PetscCall(AppendReason(s, mfirst + i, why));
      continue;
    }
    PetscCall(GepScreenReadoutsOf(s, yi, ki, row, &settled));
    row[s->nread]     = 1;
    row[s->nread + 1] = settled ? 1 : 0;
  }
  PetscFunctionReturn(0);
}

/* the group's rows and reasons to its leader (rank 0 of gcomm) */
static PetscErrorCode GatherToLeader(GepScreen s, PetscInt nloc, const PetscReal rows[], PetscInt n)
{
  PetscMPIInt gsize, grank, cnt, *counts = NULL, *displs = NULL, len;
  PetscInt    W   = s->nread + GEP_SCREEN_NEXTRA;
  char       *all = NULL;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(s->gcomm, &gsize));
  PetscCallMPI(MPI_Comm_rank(s->gcomm, &grank));
  if (gsize == 1) {
    PetscCall(PetscArraycpy(s->ubuf, rows, n * W));
    PetscFunctionReturn(0);
  }
  PetscCall(PetscMalloc2(gsize, &counts, gsize, &displs));
  PetscCall(PetscMPIIntCast(nloc * W, &cnt));
  PetscCallMPI(MPI_Gather(&cnt, 1, MPI_INT, counts, 1, MPI_INT, 0, s->gcomm));
  for (PetscMPIInt r = 0; r < gsize; r++) displs[r] = r ? displs[r - 1] + counts[r - 1] : 0;
  PetscCallMPI(MPI_Gatherv(rows, cnt, MPIU_REAL, s->ubuf, counts, displs, MPIU_REAL, 0, s->gcomm));
  PetscCall(PetscMPIIntCast(s->ureason_len, &len));
  PetscCallMPI(MPI_Gather(&len, 1, MPI_INT, counts, 1, MPI_INT, 0, s->gcomm));
  for (PetscMPIInt r = 0; r < gsize; r++) displs[r] = r ? displs[r - 1] + counts[r - 1] : 0;
  if (grank == 0) PetscCall(PetscMalloc1(displs[gsize - 1] + counts[gsize - 1] + 1, &all));
  PetscCallMPI(MPI_Gatherv(s->ureason, len, MPI_CHAR, all, counts, displs, MPI_CHAR, 0, s->gcomm));
  if (grank == 0) {
    all[displs[gsize - 1] + counts[gsize - 1]] = 0;
    PetscCall(PetscFree(s->ureason));
    s->ureason     = all;
    s->ureason_len = strlen(all);
    s->ureason_cap = s->ureason_len + 1;
  }
  PetscCall(PetscFree2(counts, displs));
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenRunUnit_Ensemble(GepScreen s, PetscInt u)
{
  PetscInt       first = u * s->unit, n = PetscMin(s->unit, s->N - first), nloc, *dfirst;
  PetscReal     *p, *rows;
  GepDose       *doses;
  GepEnsemble    ens;
  GepSteadyCtx   ctx = {s, NULL};
  PetscLogDouble t0, t1;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_ScreenUnit, 0, 0, 0, 0));
  PetscCall(PetscTime(&t0));
  PetscCall(UnitInputs(s, first, n, &p, &dfirst, &doses));
  PetscCall(GepEnsembleCreate(s->gcomm, &ens));
  PetscCall(GepEnsembleSetModel(ens, s->model));
  PetscCall(GepEnsembleSetChunkSize(ens, s->chunk));
  PetscCall(GepEnsembleSetOutputTimes(ens, s->T, s->times));
  PetscCall(GepEnsembleSetParameters(ens, n, p));
  if (dfirst[n]) PetscCall(GepEnsembleSetDoses(ens, n, dfirst, doses));
  PetscCall(GepEnsembleSetErrorIfMemberFails(ens, PETSC_FALSE));
  PetscCall(PetscMalloc1(n * s->nprim + 1, &ctx.kss));
  for (PetscInt i = 0; i < n * s->nprim; i++) ctx.kss[i] = -1;
  PetscCall(GepEnsembleSetMonitor(ens, GepScreenSteadyMonitor, &ctx)); /* ss(), and SIGTERM */
  PetscCall(GepEnsembleSolve(ens));
  PetscCall(GepEnsembleGetSizes(ens, NULL, &nloc, NULL));
  PetscCall(PetscMalloc1(nloc * (s->nread + GEP_SCREEN_NEXTRA) + 1, &rows));
  s->ureason_len = 0;
  if (s->ureason) s->ureason[0] = 0;
  PetscCall(Rows(s, ens, ctx.kss, rows));
  PetscCall(GatherToLeader(s, nloc, rows, n));
  PetscCall(PetscTime(&t1));
  for (PetscInt i = 0; i < n; i++)
    s->ubuf[i * (s->nread + GEP_SCREEN_NEXTRA) + s->nread + 2] = (t1 - t0) / (PetscReal)n;
  PetscCall(PetscFree(rows));
  PetscCall(PetscFree(ctx.kss));
  PetscCall(GepEnsembleDestroy(&ens));
  PetscCall(PetscFree(p));
  PetscCall(PetscFree(dfirst));
  PetscCall(PetscFree(doses));
  PetscCall(PetscLogEventEnd(GEP_ScreenUnit, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}
