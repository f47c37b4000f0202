/* Input and output files: the input files a run reads, by device and inode (an
   output may not be one of them: a rename over it would destroy the input,
   whatever the path says), and the output's directory checked before any work. */
#include <sys/stat.h>
#include <unistd.h>
#include "gepsys.h"

typedef struct {
  dev_t dev;
  ino_t ino;
} FileId;

static FileId  *inputs;
static PetscInt ninputs, maxinputs;

static PetscErrorCode InputFilesClear(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(inputs));
  ninputs = maxinputs = 0;
  PetscFunctionReturn(0);
}

PetscErrorCode GepInputFileRegister(const char path[])
{
  struct stat st;

  PetscFunctionBegin;
  if (stat(path, &st) != 0) PetscFunctionReturn(0); /* the reader reports a missing file */
  for (PetscInt i = 0; i < ninputs; i++)
    if (inputs[i].dev == st.st_dev && inputs[i].ino == st.st_ino) PetscFunctionReturn(0);
  if (ninputs == maxinputs) {
    if (!maxinputs) PetscCall(PetscRegisterFinalize(InputFilesClear));
    maxinputs = 2 * maxinputs + 8;
    PetscCall(PetscRealloc(maxinputs * sizeof(FileId), &inputs));
  }
  inputs[ninputs].dev = st.st_dev;
  inputs[ninputs].ino = st.st_ino;
  ninputs++;
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckNotInput(void *ctx)
{
  const char *output = (const char *)ctx;
  struct stat st;

  PetscFunctionBegin;
  if (stat(output, &st) != 0) PetscFunctionReturn(0); /* a new file */
  for (PetscInt i = 0; i < ninputs; i++)
    PetscCheck(inputs[i].dev != st.st_dev || inputs[i].ino != st.st_ino, PETSC_COMM_SELF, PETSC_ERR_USER,
               "output %s is an input file of this run: choose another -o", output);
  PetscFunctionReturn(0);
}

/* Collective: every rank checks the inputs it read. */
PetscErrorCode GepOutputCheckNotInput(MPI_Comm comm, const char output[])
{
  PetscFunctionBegin;
  PetscCall(GepRunShared(comm, CheckNotInput, (void *)output));
  PetscFunctionReturn(0);
}

typedef struct {
  MPI_Comm    comm;
  const char *output;
} OutputOnComm;

static PetscErrorCode CheckWritable(void *ctx)
{
  const char *output = ((OutputOnComm *)ctx)->output;
  char        dir[PETSC_MAX_PATH_LEN], *slash;
  struct stat st;
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(((OutputOnComm *)ctx)->comm, &rank));
  if (rank) PetscFunctionReturn(0); /* rank 0 of comm renames the outputs into place */
  PetscCheck(output[0], PETSC_COMM_SELF, PETSC_ERR_USER, "no output file: give -o FILE.h5");
  PetscCheck(stat(output, &st) != 0 || !S_ISDIR(st.st_mode), PETSC_COMM_SELF, PETSC_ERR_USER,
             "output %s is a directory", output);
  PetscCall(PetscStrncpy(dir, output, sizeof(dir)));
  PetscCall(PetscStrrchr(dir, '/', &slash));
  if (slash == dir) PetscCall(PetscStrncpy(dir, ".", sizeof(dir))); /* no directory part */
  else if (slash == dir + 1) dir[1] = 0;                            /* "/name": the root */
  else slash[-1] = 0;
  PetscCheck(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), PETSC_COMM_SELF, PETSC_ERR_USER,
             "output %s: the directory %s does not exist", output, dir);
  PetscCheck(access(dir, W_OK) == 0, PETSC_COMM_SELF, PETSC_ERR_USER, "output %s: the directory %s is not writable",
             output, dir);
  PetscFunctionReturn(0);
}

/* Collective, before any work: the output's directory exists and can be written. */
PetscErrorCode GepOutputCheckWritable(MPI_Comm comm, const char output[])
{
  OutputOnComm oc = {comm, output};

  PetscFunctionBegin;
  PetscCall(GepRunShared(comm, CheckWritable, &oc));
  PetscFunctionReturn(0);
}
