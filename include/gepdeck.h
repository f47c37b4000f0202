/* gepsim: decks. A deck (PETSc options file or YAML, src/sys/deck.c) is inserted under
   the command-line options, after its text is checked (src/sys/deck_check.c). */
#pragma once
#include <petscsys.h>

PETSC_EXTERN PetscErrorCode GepDeckLoad(MPI_Comm, const char path[]);
/* a deck's text before PETSc reads it: not empty, not binary, YAML that parses (src/sys/deck_check.c) */
PETSC_EXTERN PetscErrorCode GepDeckCheckText(const char path[], const char text[], size_t n, PetscBool yaml);
PETSC_EXTERN PetscErrorCode GepDeckGetText(const char **path, const char **text);
PETSC_EXTERN PetscErrorCode GepDeckHasOption(const char name[], PetscBool *);
PETSC_EXTERN PetscErrorCode GepDeckDestroy(void);
