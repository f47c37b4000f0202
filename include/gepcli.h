/* gepsim command line: subcommands and deck handling (src/cli). */
#pragma once
#include <petscsys.h>

/* A deck (PETSc options file or YAML) inserted under the command-line options. */
PETSC_EXTERN PetscErrorCode GepDeckLoad(MPI_Comm, const char path[]);
/* a deck's text before PETSc reads it: not empty, not binary, YAML that parses (src/cli/deck_check.c) */
PETSC_EXTERN PetscErrorCode GepDeckCheckText(const char path[], const char text[], size_t n, PetscBool yaml);
PETSC_EXTERN PetscErrorCode GepDeckGetText(const char **path, const char **text);
/* Error on any option no object has read, except options of other subcommands;
   solver options (-ts_, -ksp_, ...) only when solvers is true (after their setup). */
PETSC_EXTERN PetscErrorCode GepDeckCheckUnused(MPI_Comm, const char command[], PetscBool solvers);
PETSC_EXTERN PetscErrorCode GepDeckDestroy(void);

/* Output files are written under a temporary name; on failure main() removes them. */
PETSC_EXTERN PetscErrorCode GepTempFileRegister(const char tmp[]);
PETSC_EXTERN PetscErrorCode GepTempFileCommit(MPI_Comm, const char tmp[], const char final[]);
PETSC_EXTERN void           GepTempFilesRemoveAll(void);
PETSC_EXTERN void           GepTempFilesKeep(void);
PETSC_EXTERN void           GepTempFilesCatchSignals(void);
/* path = base without a trailing ".h5", then suffix (figures beside an output) */
PETSC_EXTERN PetscErrorCode GepSiblingPath(const char base[], const char suffix[], char path[], size_t len);

PETSC_EXTERN PetscErrorCode GepCommandSimulate(MPI_Comm);
PETSC_EXTERN PetscErrorCode GepCommandFactor(MPI_Comm);
PETSC_EXTERN PetscErrorCode GepCommandImport(MPI_Comm);
PETSC_EXTERN PetscErrorCode GepCommandTrain(MPI_Comm);
PETSC_EXTERN PetscErrorCode GepCommandPredict(MPI_Comm);
PETSC_EXTERN PetscErrorCode GepCommandSBMLTest(MPI_Comm, const char cases[], const char id[], const char outdir[], const char level[], const char version[]);
PETSC_EXTERN PetscErrorCode GepCommandVersion(MPI_Comm);
