/* gepsim command line: subcommands and deck handling (src/cli). */
#pragma once
#include <petscsys.h>

/* A deck (PETSc options file or YAML) inserted under the command-line options. */
PETSC_EXTERN PetscErrorCode GepDeckLoad(MPI_Comm, const char path[]);
/* a deck's text before PETSc reads it: not empty, not binary, YAML that parses (src/cli/deck_check.c) */
PETSC_EXTERN PetscErrorCode GepDeckCheckText(const char path[], const char text[], size_t n, PetscBool yaml);
PETSC_EXTERN PetscErrorCode GepDeckGetText(const char **path, const char **text);
PETSC_EXTERN PetscErrorCode GepDeckHasOption(const char name[], PetscBool *);
/* Error on any option that neither this command nor another reads (src/cli/deck_unused.c).
   Options of the command's own solvers are checked once those are set up, and the few
   that PETSc reads only when solving (-..._view, -..._converged_reason) after the solve. */
typedef enum { GEP_DECK_BEFORE_SETUP, GEP_DECK_AFTER_SETUP, GEP_DECK_AFTER_SOLVE } GepDeckStage;
PETSC_EXTERN PetscErrorCode GepDeckCheckUnused(MPI_Comm, const char command[], GepDeckStage);
PETSC_EXTERN PetscErrorCode GepDeckDestroy(void);

/* Output files are written under a temporary name; on failure main() removes them. */
PETSC_EXTERN PetscErrorCode GepTempFileRegister(const char tmp[]);
PETSC_EXTERN PetscErrorCode GepTempFileCommit(MPI_Comm, const char tmp[], const char final[]);
PETSC_EXTERN void           GepTempFilesRemoveAll(void);
PETSC_EXTERN void           GepTempFilesKeep(void);
PETSC_EXTERN void           GepTempFilesCatchSignals(void);
/* path = base without a trailing ".h5", then suffix (figures beside an output) */
PETSC_EXTERN PetscErrorCode GepSiblingPath(const char base[], const char suffix[], char path[], size_t len);

/* A subcommand. With run false it reads every option it knows and does nothing else:
   for -help (PETSc lists the options as they are read), and for the options registry
   (an option in a shared deck is accepted if some command reads it). */
typedef PetscErrorCode (*GepCommandFunction)(MPI_Comm, const char *const args[], PetscBool run);
typedef struct {
  const char        *name;
  int                nargs; /* positional arguments; one is a deck, which may be left out */
  const char        *usage, *help;
  GepCommandFunction function;
  const char *const *prefixes;        /* the options prefixes it owns */
  const char *const *solver_prefixes; /* those of its PETSc solvers */
} GepCommandInfo;

/* the table (src/cli/commands.c), ended by a NULL name */
PETSC_EXTERN const GepCommandInfo *GepCommandList(void);
PETSC_EXTERN const GepCommandInfo *GepCommandFind(const char name[]);
PETSC_EXTERN void                  GepCommandPrintUsage(FILE *);

PETSC_EXTERN PetscErrorCode GepCommandSimulate(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandFactor(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandImport(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandTrain(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandPredict(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandSBMLTest(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandVersion(MPI_Comm, const char *const args[], PetscBool run);
