/* Output files under temporary names: renamed when complete, removed on failure,
   so a failed or killed run never leaves a file that looks finished. */
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include "gepcli.h"
#include "gepsys.h"

#define GEP_MAX_TEMP_FILES 16
static char *temp_files[GEP_MAX_TEMP_FILES];

PetscErrorCode GepTempFileRegister(const char tmp[])
{
  PetscFunctionBegin;
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++)
    if (!temp_files[i]) {
      PetscCall(PetscStrallocpy(tmp, &temp_files[i]));
      PetscFunctionReturn(0);
    }
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_PLIB, "Too many temporary output files");
}

/* Collective: rank 0 renames once every rank is done writing. */
PetscErrorCode GepTempFileCommit(MPI_Comm comm, const char tmp[], const char final[])
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCall(GepOutputCheckNotInput(comm, final));
  PetscCallMPI(MPI_Barrier(comm));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) PetscCheck(rename(tmp, final) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "output %s: cannot rename %s to it", final, tmp);
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++) {
    PetscBool eq;
    if (!temp_files[i]) continue;
    PetscCall(PetscStrcmp(temp_files[i], tmp, &eq));
    if (eq) PetscCall(PetscFree(temp_files[i]));
  }
  PetscCallMPI(MPI_Barrier(comm));
  PetscFunctionReturn(0);
}

void GepTempFilesRemoveAll(void)
{
  for (int i = 0; i < GEP_MAX_TEMP_FILES; i++) {
    if (!temp_files[i]) continue;
    (void)unlink(temp_files[i]);
    (void)PetscFree(temp_files[i]);
  }
}

PetscErrorCode GepSiblingPath(const char base[], const char suffix[], char path[], size_t len)
{
  char *dot;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(path, base, len));
  PetscCall(PetscStrrchr(path, '.', &dot));
  if (dot != path && !strcmp(dot, "h5")) dot[-1] = 0;
  PetscCall(PetscStrlcat(path, suffix, len));
  PetscFunctionReturn(0);
}
