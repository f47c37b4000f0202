/* GepEnsemble chunks: the members are cut into fixed blocks of -ensemble_chunk_size
   consecutive members of the global order; ranks own whole chunks and integrate
   each with its own TS on PETSC_COMM_SELF (a child GepEnsemble that borrows its
   parameters and results from the parent). A chunk's step sizes follow its own
   hardest member and do not depend on which rank integrates it, so results are
   identical on any number of ranks and no rank ever waits for another. */
#include "ensembleimpl.h"

PetscErrorCode GepEnsembleChunksDistribute(GepEnsemble e)
{
  PetscInt total = (e->N + e->chunk - 1) / e->chunk, nc = PETSC_DECIDE, c0;

  PetscFunctionBegin;
  PetscCall(PetscSplitOwnership(e->comm, &nc, &total));
  PetscCallMPI(MPI_Scan(&nc, &c0, 1, MPIU_INT, MPI_SUM, e->comm));
  c0 -= nc;
  e->nchunks = nc;
  e->first   = PetscMin(c0 * e->chunk, e->N);
  e->nloc    = PetscMin((c0 + nc) * e->chunk, e->N) - e->first;
  PetscFunctionReturn(0);
}

/* a chunk of n members from the global member first: its parameters and results are
   views of the parent's arrays */
static PetscErrorCode ChunkCreate(GepEnsemble e, PetscInt first, PetscInt n, GepEnsemble *chunk)
{
  GepEnsemble ch;
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(e->comm, &rank));
  PetscCall(GepEnsembleCreate(PETSC_COMM_SELF, &ch));
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)ch, ((PetscObject)e)->prefix)); /* its TS's prefix */
  PetscCall(GepEnsembleSetModel(ch, e->model));
  ch->N              = e->N;
  ch->t0             = e->t0;
  ch->tfinal         = e->tfinal;
  ch->steps          = e->steps;
  ch->seed           = e->seed;
  ch->B              = e->B;
  ch->jtype          = e->jtype;
  ch->solver_options = e->solver_options;
  ch->child          = PETSC_TRUE;
  ch->conservative   = e->conservative;
  ch->first          = first;
  ch->nloc           = n;
  ch->monitor        = e->monitor;
  ch->monitor_ctx    = e->monitor_ctx;
  if (e->dose_first) { /* its doses are read in place */
    ch->doses      = e->doses;
    ch->dose_first = e->dose_first + (first - e->first);
  }
  ch->p = e->p + (first - e->first) * e->np;
  if (e->x0) { /* given initial states, and the final ones, in place */
    ch->x0     = e->x0 + (first - e->first) * e->ns;
    ch->xfinal = e->xfinal + (first - e->first) * e->ns;
  }
  ch->results = e->results + (first - e->first) * (e->steps + 1) * e->nout;
  /* a lone chunk on rank 0 reports its own progress through time */
  ch->progress = (PetscBool)(e->progress && rank == 0 && e->nchunks == 1 && n == e->nloc);
  PetscCall(GepEnsembleSetTolerances(ch, e->rtol, e->atol));
  PetscCall(GepEnsembleSetOutputTimes(ch, e->steps + 1, e->times));
  PetscCall(GepEnsembleSetUp(ch));
  *chunk = ch;
  PetscFunctionReturn(0);
}

static PetscInt ChunkFirst(GepEnsemble e, PetscInt c)
{
  return e->first + c * e->chunk;
}

static PetscInt ChunkSize(GepEnsemble e, PetscInt c)
{
  return PetscMin(e->chunk, e->first + e->nloc - ChunkFirst(e, c));
}

/* A chunk that fails is integrated again member by member; a member that fails alone
   gets status 1, NaN results and its reason, and the others go on. A lone member's
   failure (N = 1) is the run's error unless GepEnsembleSetErrorIfMemberFails() says not. Errors here are quiet
   (GepRunShared): the message is kept. */
static PetscErrorCode SolveChunk(GepEnsemble e, PetscInt c)
{
  PetscErrorCode ierr;
  PetscInt       first = ChunkFirst(e, c), n = ChunkSize(e, c);

  PetscFunctionBegin;
  if (!e->chunks[c]) PetscCall(ChunkCreate(e, first, n, &e->chunks[c]));
  e->chunks[c]->started = e->started;
  ierr                  = GepEnsembleSolveLocal(e->chunks[c]);
  PetscCall(GepEnsembleDestroy(&e->chunks[c]));
  if (!ierr) PetscFunctionReturn(0);
  if (e->N == 1 && e->errorif_lone) PetscCall(ierr);
  for (PetscInt m = first; m < first + n; m++) {
    GepEnsemble one;
    PetscInt    i = m - e->first;

    PetscCall(ChunkCreate(e, m, 1, &one));
    ierr = GepEnsembleSolveLocal(one);
    PetscCall(GepEnsembleDestroy(&one));
    if (!ierr) continue;
    e->status[i] = 1;
    PetscCall(PetscFree(e->reason[i]));
    PetscCall(PetscStrallocpy(GepErrorGetLast(), &e->reason[i]));
    for (PetscInt k = 0; k < (e->steps + 1) * e->nout; k++)
      e->results[i * (e->steps + 1) * e->nout + k] = (PetscReal)NAN;
    if (!e->failure[0])
      PetscCall(PetscSNPrintf(e->failure, sizeof(e->failure), "member %" PetscInt_FMT ": %s", m, GepErrorGetLast()));
  }
  PetscFunctionReturn(0);
}

/* The first chunk is set up here (its solver options checked, viewable); the others
   when they are solved, each destroyed once done: the solvers' memory is one chunk's,
   not the rank's share of the ensemble (their scratch is about 4 MB a chunk). */
PetscErrorCode GepEnsembleChunksSetUp(GepEnsemble e)
{
  PetscFunctionBegin;
  PetscCall(PetscCalloc1(e->nchunks + 1, &e->chunks));
  if (e->nchunks) PetscCall(ChunkCreate(e, ChunkFirst(e, 0), ChunkSize(e, 0), &e->chunks[0]));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleChunksSolve(GepEnsemble e)
{
  PetscMPIInt    rank;
  PetscLogDouble now;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(e->comm, &rank));
  for (PetscInt c = 0; c < e->nchunks; c++) {
    PetscCall(SolveChunk(e, c));
    if (e->progress && rank == 0 && e->nchunks > 1 && (10 * (c + 1)) / e->nchunks != (10 * c) / e->nchunks) {
      PetscCall(PetscTime(&now));
      PetscCall(PetscPrintf(PETSC_COMM_SELF,
                            "  %3d %% of rank 0's members (chunk %" PetscInt_FMT " of %" PetscInt_FMT ")  %8.2f s\n",
                            (int)(100 * (c + 1) / e->nchunks), c + 1, e->nchunks, now - e->started));
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleChunksDestroy(GepEnsemble e)
{
  PetscFunctionBegin;
  for (PetscInt c = 0; c < e->nchunks && e->chunks; c++) PetscCall(GepEnsembleDestroy(&e->chunks[c]));
  PetscCall(PetscFree(e->chunks));
  e->nchunks = 0;
  PetscFunctionReturn(0);
}
