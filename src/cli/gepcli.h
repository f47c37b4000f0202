/* gepsim command line (src/cli): the command table, the commands and the options registry. */
#pragma once
#include "gepsim.h"

/* Error on any option that neither this command nor another reads (src/cli/deck_unused.c).
   Options of the command's own solvers are checked once those are set up, and the few
   that PETSc reads only when solving (-..._view, -..._converged_reason) after the solve. */
typedef enum { GEP_DECK_BEFORE_SETUP, GEP_DECK_AFTER_SETUP, GEP_DECK_AFTER_SOLVE } GepDeckStage;
PETSC_EXTERN PetscErrorCode GepDeckCheckUnused(MPI_Comm, const char command[], GepDeckStage);

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
PETSC_EXTERN PetscErrorCode GepCommandScreen(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandScreenMerge(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandFactor(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandImport(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandTrain(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandPredict(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandSBMLTest(MPI_Comm, const char *const args[], PetscBool run);
PETSC_EXTERN PetscErrorCode GepCommandVersion(MPI_Comm, const char *const args[], PetscBool run);
