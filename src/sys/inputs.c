/* The input files a run reads, by device and inode: an output may not be one of
   them (a rename over it would destroy the input), whatever the path says. */
#include <sys/stat.h>
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
    PetscCheck(inputs[i].dev != st.st_dev || inputs[i].ino != st.st_ino, PETSC_COMM_SELF, PETSC_ERR_USER, "output %s is an input file of this run: choose another -o", output);
  PetscFunctionReturn(0);
}

/* Collective: every rank checks the inputs it read. */
PetscErrorCode GepOutputCheckNotInput(MPI_Comm comm, const char output[])
{
  PetscFunctionBegin;
  PetscCall(GepRunShared(comm, CheckNotInput, (void *)output));
  PetscFunctionReturn(0);
}
