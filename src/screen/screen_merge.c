/* gepsim screen-merge: the files of a screen run in slices (-screen_slice i/n, a job
   array's tasks) into one results file, as if the screen had run at once. Each file
   must be of the same screen (its fingerprint; the slice aside), each condition done
   in exactly one of them, and every condition in one. Rank 0 reads and writes. */
#include "screenimpl.h"

static PetscErrorCode MergeOne(GepScreen s, char *files[], PetscInt i, const char fingerprint[], PetscInt from[])
{
  const char *path = files[i];
  hid_t       file;
  PetscInt   *status, *ss;
  PetscReal  *table, *wall;
  char      **reason;

  PetscFunctionBegin;
  PetscCall(PetscMalloc4(s->N, &status, s->N, &ss, s->N * s->nread + 1, &table, s->N, &wall));
  PetscCall(GepScreenOpenResults(s, path, H5F_ACC_RDONLY, "-screen_merge", fingerprint, &file));
  PetscCall(GepScreenReadRows(s, file, status, ss, table, wall, &reason));
  GepCallHDF5(H5Fclose, (file));
  for (PetscInt c = 0; c < s->N; c++) {
    if (!status[c]) {
      PetscCall(PetscFree(reason[c]));
      continue;
    }
    PetscCheck(!s->status[c], PETSC_COMM_SELF, PETSC_ERR_USER,
               "-screen_merge: condition %" PetscInt_FMT " is done in both %s and %s", c, files[from[c]], path);
    from[c]          = i;
    s->status[c]     = status[c];
    s->ss_reached[c] = ss[c];
    s->wall[c]       = wall[c];
    s->reason[c]     = reason[c];
    PetscCall(PetscArraycpy(s->table + c * s->nread, table + c * s->nread, s->nread));
  }
  PetscCall(PetscFree(reason));
  PetscCall(PetscFree4(status, ss, table, wall));
  PetscFunctionReturn(0);
}

static PetscErrorCode MergeAll(GepScreen s, PetscInt n, char *files[])
{
  char      *fingerprint;
  PetscInt  *from;
  GepWriter *w;

  PetscFunctionBegin;
  PetscCall(GepScreenWriterOpen(s)); /* a new file: -screen_resume does not apply */
  w = (GepWriter *)s->writer;
  PetscCall(GepScreenFingerprint(s, &fingerprint));
  PetscCall(PetscCalloc1(s->N + 1, &from));
  for (PetscInt i = 0; i < n; i++) PetscCall(MergeOne(s, files, i, fingerprint, from));
  PetscCall(PetscFree(from));
  PetscCall(PetscFree(fingerprint));
  for (PetscInt c = 0; c < s->N; c++)
    PetscCheck(s->status[c], PETSC_COMM_SELF, PETSC_ERR_USER,
               "-screen_merge: condition %" PetscInt_FMT " (unit %" PetscInt_FMT
               ") is done in none of the %" PetscInt_FMT " files (a slice missing or unfinished?)",
               c, c / s->unit, n);
  for (PetscInt u = 0; u < s->nunit; u++) {
    s->unit_done[u] = PETSC_TRUE;
    w->pending[u]   = PETSC_TRUE;
  }
  PetscCall(GepScreenWriterClose(s));
  PetscFunctionReturn(0);
}

typedef struct {
  GepScreen s;
  PetscInt  n;
  char    **files;
} GepMergeCtx;

static PetscErrorCode MergeOnRankZero(void *ctx)
{
  GepMergeCtx *m = (GepMergeCtx *)ctx;
  PetscMPIInt  rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(m->s->comm, &rank));
  if (rank == 0) PetscCall(MergeAll(m->s, m->n, m->files));
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenMerge(GepScreen s, PetscInt n, char *files[])
{
  GepMergeCtx m = {s, n, files};
  PetscMPIInt rank;
  char        part[PETSC_MAX_PATH_LEN], journal[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(GepScreenSetUp(s));
  PetscCheck(n >= 1, s->comm, PETSC_ERR_USER, "-screen_merge: no files to merge");
  PetscCallMPI(MPI_Comm_rank(s->comm, &rank));
  PetscCall(PetscCalloc1(s->nunit + 1, &s->unit_done));
  s->resume = PETSC_FALSE;
  PetscCall(PetscSNPrintf(part, sizeof(part), "%s.part", s->out));
  PetscCall(PetscSNPrintf(journal, sizeof(journal), "%s.part.journal", s->out));
  PetscCall(GepTempFileRegister(part)); /* a failed merge leaves nothing */
  PetscCall(GepTempFileRegister(journal));
  PetscCall(GepRunShared(s->comm, MergeOnRankZero, &m));
  if (rank == 0 && s->csv) PetscCall(GepScreenWriteCSV(s));
  PetscCall(GepScreenSummaries(s));
  PetscCall(GepTempFileCommit(s->comm, part, s->out));
  if (rank == 0) PetscCall(GepScreenWriterDestroy(s)); /* which removes the journal */
  PetscCall(GepTempFileForget(journal));
  PetscFunctionReturn(0);
}
