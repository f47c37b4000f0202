/* Solver options with defaults of gepsim's own, without editing the global options
   database: a solver reads a private database that holds the defaults and, on top,
   every global option under its prefix; what it read counts as read globally. */
#include <ctype.h>
#include <string.h>
#include "gepsys.h"

static PetscBool IsOptionName(const char *tok)
{
  return (PetscBool)(tok[0] == '-' && isalpha((unsigned char)tok[1]));
}

PetscErrorCode GepSolverOptionsCreate(const char prefix[], const char defaults[], PetscOptions *opts)
{
  char  *all, *save, *tok, *next;
  size_t plen;

  PetscFunctionBegin;
  PetscCall(PetscStrlen(prefix, &plen));
  PetscCall(PetscOptionsCreate(opts));
  if (defaults) PetscCall(PetscOptionsInsertString(*opts, defaults));
  PetscCall(PetscOptionsGetAll(NULL, &all));
  for (tok = strtok_r(all, " ", &save); tok; tok = next) {
    const char *value = NULL;

    next = strtok_r(NULL, " ", &save);
    if (!IsOptionName(tok)) continue;
    if (next && !IsOptionName(next)) {
      value = next;
      next  = strtok_r(NULL, " ", &save);
    }
    /* -help too: the solver then lists its options */
    if (!strncmp(tok + 1, prefix, plen) || !strcmp(tok, "-help")) PetscCall(PetscOptionsSetValue(*opts, tok, value));
  }
  PetscCall(PetscFree(all));
  PetscFunctionReturn(0);
}

/* Every global option that the solver read from its private database is marked read
   (looking it up marks it), so that the deck check and -options_left see it. */
PetscErrorCode GepSolverOptionsMarkUsed(PetscOptions opts)
{
  PetscInt N;
  char   **names, **values;

  PetscFunctionBegin;
  PetscCall(PetscOptionsLeftGet(NULL, &N, &names, &values));
  for (PetscInt i = 0; i < N; i++) {
    const char *name = names[i][0] == '-' ? names[i] + 1 : names[i];
    char        dashed[256];
    PetscBool   used, has;

    PetscCall(PetscSNPrintf(dashed, sizeof(dashed), "-%s", name));
    PetscCall(PetscOptionsUsed(opts, name, &used)); /* PETSc 3.18 looks it up without the dash */
    if (used) PetscCall(PetscOptionsHasName(NULL, NULL, dashed, &has));
  }
  PetscCall(PetscOptionsLeftRestore(NULL, &N, &names, &values));
  PetscFunctionReturn(0);
}
