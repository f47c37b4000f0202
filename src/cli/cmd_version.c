/* gepsim -version: gepsim's version and those of the libraries it runs on. */
#include <hdf5.h>
#include <sbml/common/libsbml-version.h>
#include "gepcli.h"

PetscErrorCode GepCommandVersion(MPI_Comm comm, const char *const args[], PetscBool run)
{
  char     petsc[256], mpi[MPI_MAX_LIBRARY_VERSION_STRING];
  int      len;
  unsigned maj, min, rel;

  PetscFunctionBegin;
  (void)args;
  if (!run) PetscFunctionReturn(0); /* no options */
  PetscCall(PetscGetVersion(petsc, sizeof(petsc)));
  PetscCallMPI(MPI_Get_library_version(mpi, &len));
  for (int i = 0; i < len; i++)
    if (mpi[i] == '\n' || mpi[i] == ',') {
      mpi[i] = 0;
      break;
    }
  GepCallHDF5(H5get_libversion, (&maj, &min, &rel));
  PetscCall(PetscPrintf(comm, "gepsim %s\n", GEPSIM_VERSION));
  PetscCall(PetscPrintf(comm, "PETSc   %s\n", petsc));
  PetscCall(PetscPrintf(comm, "MPI     %s\n", mpi));
  PetscCall(PetscPrintf(comm, "HDF5    %u.%u.%u\n", maj, min, rel));
  PetscCall(PetscPrintf(comm, "libSBML %s\n", getLibSBMLDottedVersion()));
  PetscFunctionReturn(0);
}
