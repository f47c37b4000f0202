/* Decks: a PETSc options file or YAML under the command line (the check that
   every option given is read by some command is in deck_unused.c). */
#include <string.h>
#include "gepdeck.h"
#include "gepsys.h"

static char        *deck_path, *deck_text;
static PetscOptions deck_options; /* the deck alone, to say where an option came from */

static PetscBool IsYAML(const char path[])
{
  size_t n = strlen(path);
  return (PetscBool)((n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml")));
}

static PetscErrorCode ReadText(const char path[], char **text, size_t *got)
{
  FILE *fp = fopen(path, "rb");
  long  n;

  PetscFunctionBegin;
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "deck %s: cannot open", path);
  fseek(fp, 0, SEEK_END);
  n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  PetscCheck(n >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "deck %s: cannot read", path);
  PetscCall(PetscMalloc1(n + 1, text));
  *got          = fread(*text, 1, (size_t)n, fp);
  (*text)[*got] = 0;
  fclose(fp);
  PetscFunctionReturn(0);
}

static PetscErrorCode InsertDeck(MPI_Comm comm, PetscOptions opts, const char path[])
{
  PetscFunctionBegin;
  if (IsYAML(path)) PetscCall(PetscOptionsInsertFileYAML(comm, opts, path, PETSC_TRUE));
  else PetscCall(PetscOptionsInsertFile(comm, opts, path, PETSC_TRUE));
  PetscFunctionReturn(0);
}

PetscErrorCode GepDeckLoad(MPI_Comm comm, const char path[])
{
  char  *cmdline;
  size_t n = 0;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("deck", path));
  PetscCall(PetscStrallocpy(path, &deck_path));
  PetscCall(ReadText(path, &deck_text, &n));
  PetscCall(GepDeckCheckText(path, deck_text, n, IsYAML(path)));
  PetscCall(PetscOptionsCreate(&deck_options));
  PetscCall(InsertDeck(comm, deck_options, path));
  /* deck first, then the command line again on top of it */
  PetscCall(PetscOptionsGetAll(NULL, &cmdline));
  PetscCall(InsertDeck(comm, NULL, path));
  PetscCall(PetscOptionsInsertString(NULL, cmdline));
  PetscCall(PetscFree(cmdline));
  PetscFunctionReturn(0);
}

PetscErrorCode GepDeckGetText(const char **path, const char **text)
{
  PetscFunctionBegin;
  *path = deck_path ? deck_path : "";
  *text = deck_text ? deck_text : "";
  PetscFunctionReturn(0);
}

PetscErrorCode GepDeckDestroy(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(deck_path));
  PetscCall(PetscFree(deck_text));
  if (deck_options) PetscCall(PetscOptionsDestroy(&deck_options));
  PetscFunctionReturn(0);
}

/* Whether the deck itself (not the command line) gives an option. */
PetscErrorCode GepDeckHasOption(const char name[], PetscBool *has)
{
  PetscFunctionBegin;
  *has = PETSC_FALSE;
  if (deck_options) PetscCall(PetscOptionsHasName(deck_options, NULL, name, has));
  PetscFunctionReturn(0);
}
