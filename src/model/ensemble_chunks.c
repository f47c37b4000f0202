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

/* chunk c: members, parameters and results are views of the parent's arrays */
static PetscErrorCode ChunkCreate(GepEnsemble e, PetscInt c)
{
  GepEnsemble ch;
  PetscInt    first = e->first + c * e->chunk;
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(e->comm, &rank));
  PetscCall(GepEnsembleCreate(PETSC_COMM_SELF, &ch));
  ch->model    = e->model;
  ch->N        = e->N;
  ch->t0       = e->t0;
  ch->tfinal   = e->tfinal;
  ch->steps    = e->steps;
  ch->seed     = e->seed;
  ch->B        = e->B;
  ch->jtype    = e->jtype;
  ch->child    = PETSC_TRUE;
  ch->first    = first;
  ch->nloc     = PetscMin(e->chunk, e->first + e->nloc - first);
  ch->p        = e->p + (first - e->first) * e->np;
  ch->results  = e->results + (first - e->first) * (e->steps + 1) * e->nout;
  /* a lone chunk on rank 0 reports its own progress through time */
  ch->progress = (PetscBool)(e->progress && rank == 0 && e->nchunks == 1);
  PetscCall(GepEnsembleSetTolerances(ch, e->rtol, e->atol));
  PetscCall(GepEnsembleSetUp(ch));
  e->chunks[c] = ch;
  PetscFunctionReturn(0);
}

/* The first chunk is set up here (its solver options checked, viewable); the others
   when they are solved, each destroyed once done: the solvers' memory is one chunk's,
   not the rank's share of the ensemble (their scratch is about 4 MB a chunk). */
PetscErrorCode GepEnsembleChunksSetUp(GepEnsemble e)
{
  PetscFunctionBegin;
  PetscCall(PetscCalloc1(e->nchunks + 1, &e->chunks));
  if (e->nchunks) PetscCall(ChunkCreate(e, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleChunksSolve(GepEnsemble e)
{
  PetscMPIInt    rank;
  PetscLogDouble now;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(e->comm, &rank));
  for (PetscInt c = 0; c < e->nchunks; c++) {
    GepEnsemble ch;

    if (!e->chunks[c]) PetscCall(ChunkCreate(e, c));
    ch          = e->chunks[c];
    ch->started = e->started;
    PetscCall(GepEnsembleSolveLocal(ch));
    PetscCall(GepEnsembleDestroy(&e->chunks[c]));
    if (e->progress && rank == 0 && e->nchunks > 1 && (10 * (c + 1)) / e->nchunks != (10 * c) / e->nchunks) {
      PetscCall(PetscTime(&now));
      PetscCall(PetscPrintf(PETSC_COMM_SELF, "  %3d %% of rank 0's members (chunk %" PetscInt_FMT " of %" PetscInt_FMT ")  %8.2f s\n", (int)(100 * (c + 1) / e->nchunks), c + 1, e->nchunks, now - e->started));
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
