/* Running a screen. Units of conditions are handed out as the ranks (or groups of
   -screen_ranks_per_condition ranks) finish them: each group's leader takes the next
   unit from one counter on rank 0 (MPI_Fetch_and_op, a passive-target atomic, so no
   rank waits for rank 0 to serve it). A unit's rows go to rank 0, which also
   computes, keeps the table and commits it to the file as results arrive.
   SIGTERM (Slurm's --signal=B:TERM@60 forwarded by the job script) stops the screen:
   the units in flight are abandoned at their next output time, the counter is set
   past the end so that every group stops, rank 0 commits what arrived, and the run
   exits with status 75 (resume with -screen_resume). */
#include <signal.h>
#include <string.h>
#include "screenimpl.h"

#define TAG_ROWS   7101
#define TAG_REASON 7102
#define TAG_DONE   7103

static volatile sig_atomic_t stop_requested;

static void OnTerm(int sig)
{
  (void)sig;
  stop_requested = 1;
}

PetscBool GepScreenStopRequested(void)
{
  return stop_requested ? PETSC_TRUE : PETSC_FALSE;
}

typedef struct {
  MPI_Request req[2];
  PetscReal  *rows;
  char       *reasons;
} GepSend;

typedef struct {
  MPI_Win        win;
  PetscInt      *counter;
  PetscInt       todo, stored, reported, expected, delivered, ndone_msgs;
  GepSend       *send;
  PetscInt       nsend;
  PetscLogDouble started, committed;
} GepRunState;

/* the next unit not done before (a resumed screen), or nunit */
static PetscErrorCode NextUnit(GepScreen s, GepRunState *st, PetscInt *u)
{
  PetscInt one = 1;

  *u = 0;
  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_ScreenSchedule, 0, 0, 0, 0));
  if (stop_requested) { /* no group takes another unit */
    PetscInt end = s->nunit;
    PetscCallMPI(MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, st->win));
    PetscCallMPI(MPI_Fetch_and_op(&end, u, MPIU_INT, 0, 0, MPI_REPLACE, st->win));
    PetscCallMPI(MPI_Win_unlock(0, st->win));
    *u = s->nunit;
  }
  while (*u < s->nunit) {
    PetscCallMPI(MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, st->win));
    PetscCallMPI(MPI_Fetch_and_op(&one, u, MPIU_INT, 0, 0, MPI_SUM, st->win));
    PetscCallMPI(MPI_Win_unlock(0, st->win));
    if (*u >= s->nunit || (!s->unit_done[*u] && GepScreenUnitInSlice(s, *u))) break;
  }
  PetscCall(PetscLogEventEnd(GEP_ScreenSchedule, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

static PetscErrorCode Progress(GepScreen s, GepRunState *st)
{
  PetscLogDouble now;
  PetscInt       pct;

  PetscFunctionBegin;
  if (!s->progress || !st->todo) PetscFunctionReturn(0);
  pct = (10 * st->stored) / st->todo;
  if (pct == st->reported) PetscFunctionReturn(0);
  st->reported = pct;
  PetscCall(PetscTime(&now));
  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "gepsim screen: %3d %% of the units (%" PetscInt_FMT " of %" PetscInt_FMT ")  %8.2f s\n",
                        (int)(10 * pct), st->stored, st->todo, now - st->started));
  PetscFunctionReturn(0);
}

static PetscErrorCode Stored(GepScreen s, GepRunState *st)
{
  PetscLogDouble now;

  PetscFunctionBegin;
  st->stored++;
  PetscCall(Progress(s, st));
  PetscCall(PetscTime(&now));
  if (now - st->committed >= s->commit_interval) {
    PetscCall(GepScreenWriterCommit(s));
    st->committed = now;
  }
  PetscFunctionReturn(0);
}

/* rank 0: the rows other leaders sent, and their counts once they stop; block until one
   message arrives, or take what is there */
static PetscErrorCode Receive(GepScreen s, GepRunState *st, PetscBool block)
{
  MPI_Status  status;
  PetscMPIInt flag = 1, count;
  PetscReal  *rows;
  char       *reasons;

  PetscFunctionBegin;
  for (;;) {
    if (block) PetscCallMPI(MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, s->comm, &status));
    else PetscCallMPI(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, s->comm, &flag, &status));
    if (!flag) break;
    if (status.MPI_TAG == TAG_DONE) { /* a leader stopped, having sent this many units */
      PetscInt n;
      PetscCallMPI(MPI_Recv(&n, 1, MPIU_INT, status.MPI_SOURCE, TAG_DONE, s->comm, MPI_STATUS_IGNORE));
      st->expected += n;
      st->ndone_msgs++;
      if (block) break;
      continue;
    }
    PetscCheck(status.MPI_TAG == TAG_ROWS, PETSC_COMM_SELF, PETSC_ERR_PLIB, "Unexpected message (tag %d)",
               status.MPI_TAG);
    PetscCallMPI(MPI_Get_count(&status, MPIU_REAL, &count));
    PetscCall(PetscMalloc1(count, &rows));
    PetscCallMPI(MPI_Recv(rows, count, MPIU_REAL, status.MPI_SOURCE, TAG_ROWS, s->comm, MPI_STATUS_IGNORE));
    PetscCallMPI(MPI_Probe(status.MPI_SOURCE, TAG_REASON, s->comm, &status));
    PetscCallMPI(MPI_Get_count(&status, MPI_CHAR, &count));
    PetscCall(PetscMalloc1(count + 1, &reasons));
    PetscCallMPI(MPI_Recv(reasons, count, MPI_CHAR, status.MPI_SOURCE, TAG_REASON, s->comm, MPI_STATUS_IGNORE));
    reasons[count] = 0;
    PetscCall(GepScreenWriterStore(s, (PetscInt)rows[0], rows + 1, reasons));
    PetscCall(PetscFree(rows));
    PetscCall(PetscFree(reasons));
    PetscCall(Stored(s, st));
    if (block) break;
  }
  PetscFunctionReturn(0);
}

/* a leader's unit to rank 0 (kept, or sent without waiting) */
static PetscErrorCode Deliver(GepScreen s, GepRunState *st, PetscInt u)
{
  PetscMPIInt rank, n, len;
  PetscInt    first = u * s->unit, nc = PetscMin(s->unit, s->N - first), W = s->nread + GEP_SCREEN_NEXTRA;
  GepSend    *m;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(s->comm, &rank));
  st->delivered++;
  if (rank == 0) {
    PetscCall(GepScreenWriterStore(s, u, s->ubuf, s->ureason ? s->ureason : ""));
    PetscCall(Stored(s, st));
    PetscFunctionReturn(0);
  }
  PetscCall(PetscRealloc(sizeof(GepSend) * (size_t)(st->nsend + 1), &st->send));
  m = &st->send[st->nsend++];
  PetscCall(PetscMalloc1(1 + nc * W, &m->rows));
  m->rows[0] = (PetscReal)u;
  PetscCall(PetscArraycpy(m->rows + 1, s->ubuf, nc * W));
  PetscCall(PetscMPIIntCast(s->ureason_len, &len));
  PetscCall(PetscMalloc1(len + 1, &m->reasons));
  PetscCall(PetscArraycpy(m->reasons, s->ureason ? s->ureason : "", len));
  PetscCall(PetscMPIIntCast(1 + nc * W, &n));
  PetscCallMPI(MPI_Isend(m->rows, n, MPIU_REAL, 0, TAG_ROWS, s->comm, &m->req[0]));
  PetscCallMPI(MPI_Isend(m->reasons, len, MPI_CHAR, 0, TAG_REASON, s->comm, &m->req[1]));
  PetscFunctionReturn(0);
}

static PetscErrorCode WaitSends(GepRunState *st)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < st->nsend; i++) {
    PetscCallMPI(MPI_Waitall(2, st->send[i].req, MPI_STATUSES_IGNORE));
    PetscCall(PetscFree(st->send[i].rows));
    PetscCall(PetscFree(st->send[i].reasons));
  }
  PetscCall(PetscFree(st->send));
  st->nsend = 0;
  PetscFunctionReturn(0);
}

static PetscErrorCode Work(GepScreen s, GepRunState *st)
{
  PetscMPIInt grank, rank, size;
  PetscInt    u;
  PetscBool   abandoned;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(s->gcomm, &grank));
  PetscCallMPI(MPI_Comm_rank(s->comm, &rank));
  PetscCallMPI(MPI_Comm_size(s->comm, &size));
  for (;;) {
    PetscCall(GepCheckParentAlive(s->out)); /* mpirun killed: stop, leaving the file to -screen_resume */
    if (grank == 0) PetscCall(NextUnit(s, st, &u));
    PetscCallMPI(MPI_Bcast(&u, 1, MPIU_INT, 0, s->gcomm));
    if (u >= s->nunit) break;
    s->abandoned = PETSC_FALSE;
    PetscCall((*s->ops->rununit)(s, u));
    PetscCallMPI(MPI_Allreduce(&s->abandoned, &abandoned, 1, MPIU_BOOL, MPI_LOR, s->gcomm));
    if (grank == 0 && !abandoned) PetscCall(Deliver(s, st, u));
    if (rank == 0) { /* what other groups sent meanwhile (scheduling's share of the time) */
      PetscCall(PetscLogEventBegin(GEP_ScreenSchedule, 0, 0, 0, 0));
      PetscCall(Receive(s, st, PETSC_FALSE));
      PetscCall(PetscLogEventEnd(GEP_ScreenSchedule, 0, 0, 0, 0));
    }
  }
  if (grank == 0 && rank != 0) PetscCallMPI(MPI_Send(&st->delivered, 1, MPIU_INT, 0, TAG_DONE, s->comm));
  if (rank == 0) { /* until every other leader has stopped and all it sent is stored */
    st->expected += st->delivered;
    while (st->ndone_msgs < size / (PetscMPIInt)s->ranks_per - 1 || st->stored < st->expected)
      PetscCall(Receive(s, st, PETSC_TRUE));
  }
  PetscCall(WaitSends(st));
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenRun(GepScreen s)
{
  GepRunState st;
  PetscMPIInt rank, size;
  PetscInt    ndone;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&st, sizeof(st)));
  PetscCallMPI(MPI_Comm_rank(s->comm, &rank));
  PetscCallMPI(MPI_Comm_size(s->comm, &size));
  PetscCallMPI(MPI_Comm_split(s->comm, rank / (PetscMPIInt)s->ranks_per, rank, &s->gcomm));
  PetscCall(PetscCalloc1(s->nunit + 1, &s->unit_done));
  PetscCall(PetscLogEventBegin(GEP_ScreenCommit, 0, 0, 0, 0));
  if (rank == 0) PetscCall(GepScreenWriterOpen(s)); /* a resumed screen knows its done units here */
  PetscCall(PetscLogEventEnd(GEP_ScreenCommit, 0, 0, 0, 0));
  PetscCallMPI(MPI_Bcast(s->unit_done, (PetscMPIInt)s->nunit, MPIU_BOOL, 0, s->comm));
  ndone = 0;
  for (PetscInt u = 0; u < s->nunit; u++) ndone += s->unit_done[u];
  st.todo     = s->nunit - ndone;
  st.reported = -1;
  PetscCall(PetscMalloc1(s->unit * (s->nread + GEP_SCREEN_NEXTRA) + 1, &s->ubuf));
  PetscCallMPI(MPI_Win_allocate(rank == 0 ? (MPI_Aint)sizeof(PetscInt) : 0, sizeof(PetscInt), MPI_INFO_NULL, s->comm,
                                &st.counter, &st.win));
  if (rank == 0) {
    PetscCallMPI(MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, st.win));
    *st.counter = 0;
    PetscCallMPI(MPI_Win_unlock(0, st.win));
  }
  PetscCallMPI(MPI_Barrier(s->comm));
  PetscCall(PetscTime(&st.started));
  st.committed = st.started;
  if (ndone)
    PetscCall(PetscPrintf(s->comm,
                          "gepsim screen: resuming %s.part: %" PetscInt_FMT " of %" PetscInt_FMT " units done\n",
                          s->out, ndone, s->nunit));
  if (s->progress)
    PetscCall(PetscPrintf(s->comm,
                          "gepsim screen: %" PetscInt_FMT " conditions in %" PetscInt_FMT " units of %" PetscInt_FMT
                          " on %d group(s) of %" PetscInt_FMT " rank(s)%s\n",
                          s->N, s->nunit, s->unit, size / (PetscMPIInt)s->ranks_per, s->ranks_per,
                          ndone ? " (resumed)" : ""));
  {
    struct sigaction sa, old;
    PetscErrorCode   ierr;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = OnTerm;
    sigemptyset(&sa.sa_mask);
    stop_requested = 0;
    (void)sigaction(SIGTERM, &sa, &old);
    ierr = Work(s, &st);
    (void)sigaction(SIGTERM, &old, NULL);
    PetscCall(ierr);
  }
  PetscCallMPI(MPI_Win_free(&st.win));
  {
    PetscBool mine = stop_requested ? PETSC_TRUE : PETSC_FALSE;
    PetscCallMPI(MPI_Allreduce(&mine, &s->interrupted, 1, MPIU_BOOL, MPI_LOR, s->comm));
  }
  if (rank == 0) PetscCall(GepScreenWriterClose(s)); /* its last commit is in GepScreenCommit */
  PetscFunctionReturn(0);
}

/* The solvers' options, read (and so checked) once before any work: a one-condition
   ensemble is set up and thrown away. */
PetscErrorCode GepScreenCheckSolverOptions(GepScreen s)
{
  GepEnsemble ens;

  PetscFunctionBegin;
  PetscCall(GepEnsembleCreate(PETSC_COMM_SELF, &ens));
  PetscCall(GepEnsembleSetModel(ens, s->model));
  PetscCall(GepEnsembleSetOutputTimes(ens, s->T, s->times));
  PetscCall(GepEnsembleSetParameters(ens, 1, s->nominal));
  PetscCall(GepEnsembleSetUp(ens));
  PetscCall(GepEnsembleDestroy(&ens));
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenSolve(GepScreen s)
{
  PetscMPIInt rank;
  char        part[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(GepScreenSetUp(s));
  PetscCheck(s->out, s->comm, PETSC_ERR_ORDER, "Call GepScreenSetOutput() first");
  PetscCallMPI(MPI_Comm_rank(s->comm, &rank));
  PetscCall(GepScreenRun(s));
  if (s->interrupted) { /* the file stays NAME.part, whole, for -screen_resume */
    if (rank == 0) PetscCall(GepScreenWriterForget(s));
    PetscFunctionReturn(0);
  }
  if (rank == 0 && s->csv) PetscCall(GepScreenWriteCSV(s));
  PetscCall(GepScreenSummaries(s)); /* small: written in place, after the table */
  PetscCall(PetscSNPrintf(part, sizeof(part), "%s.part", s->out));
  PetscCall(GepTempFileCommit(s->comm, part, s->out));
  if (rank == 0) PetscCall(GepScreenWriterDestroy(s));
  PetscFunctionReturn(0);
}
