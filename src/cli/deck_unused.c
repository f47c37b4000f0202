/* The options registry: every option given (deck or command line) must be read by
   this command or by another (a deck may be shared by several); anything else is a
   typo, and an error naming it. Other commands are asked by running them with
   run = false, which reads their options and does nothing else. */
#include <string.h>
#include "gepcli.h"
#include "gepsys.h"

/* PETSc run-time options that are read outside any object. */
static const char *const petsc_globals[] = {"options_left",
                                            "malloc_dump",
                                            "malloc_debug",
                                            "malloc_test",
                                            "log_view",
                                            "log_view_memory",
                                            "info",
                                            "help",
                                            "on_error_abort",
                                            "fp_trap",
                                            "check_pointer_intensity",
                                            "memory_view",
                                            "options_view",
                                            "use_gpu_aware_mpi",
                                            "history",
                                            NULL};

static PetscBool HasPrefix(const char *const prefixes[], const char name[])
{
  for (int k = 0; prefixes && prefixes[k]; k++)
    if (!strncmp(name, prefixes[k], strlen(prefixes[k]))) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* Each other command reads its options once a run, quietly. One whose options do not
   even read (a bad value for it) is noted: its prefixes are then its own to check. */
static PetscBool queried, *query_failed;

static PetscErrorCode FreeQueries(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(query_failed));
  queried = PETSC_FALSE;
  PetscFunctionReturn(0);
}

static PetscErrorCode QueryOtherCommands(MPI_Comm comm, const GepCommandInfo *self)
{
  const GepCommandInfo *list      = GepCommandList();
  const char *const     noargs[5] = {"", "", "", "", ""};
  int                   n         = 0;
  PetscBool             quiet;

  PetscFunctionBegin;
  if (queried) PetscFunctionReturn(0);
  queried = PETSC_TRUE;
  while (list[n].name) n++;
  PetscCall(PetscCalloc1(n, &query_failed));
  PetscCall(PetscRegisterFinalize(FreeQueries));
  quiet = GepErrorSetQuiet(PETSC_TRUE);
  for (int c = 0; c < n; c++)
    if (&list[c] != self) query_failed[c] = (PetscBool)(list[c].function(comm, noargs, PETSC_FALSE) != 0);
  (void)GepErrorSetQuiet(quiet);
  PetscFunctionReturn(0);
}

/* Options that PETSc's solvers read only when they solve. */
static PetscBool ReadWhenSolving(const char name[])
{
  return (PetscBool)(strstr(name, "_view") || strstr(name, "converged_reason"));
}

/* Whether an option nobody has read yet may pass: the command's own solver options until
   the solvers are set up, and those read when solving until the solve; another command's
   solver options read when solving; the prefixes of a command that could not be asked. */
static PetscBool MayPass(const GepCommandInfo *self, const char name[], GepDeckStage stage)
{
  const GepCommandInfo *list = GepCommandList();

  for (int k = 0; petsc_globals[k]; k++)
    if (!strcmp(name, petsc_globals[k])) return PETSC_TRUE;
  if (HasPrefix(self->solver_prefixes, name))
    return (PetscBool)(stage == GEP_DECK_BEFORE_SETUP || (stage == GEP_DECK_AFTER_SETUP && ReadWhenSolving(name)));
  for (int c = 0; list[c].name; c++) {
    if (HasPrefix(list[c].solver_prefixes, name) && ReadWhenSolving(name)) return PETSC_TRUE;
    if (query_failed[c] && HasPrefix(list[c].prefixes, name) && !HasPrefix(self->prefixes, name)) return PETSC_TRUE;
  }
  return PETSC_FALSE;
}

/* An option counts as read if any rank read it (a rank may own no work, and then never
   sets up the solvers that read it): rank 0's candidates are checked on every rank, and
   the error, if any, is raised on all ranks alike. */
PetscErrorCode GepDeckCheckUnused(MPI_Comm comm, const char command[], GepDeckStage stage)
{
  const GepCommandInfo *self = GepCommandFind(command);
  PetscInt              N, len = 0, n         = 0;
  char                **names, **values, *buf = NULL;
  PetscMPIInt           rank, blen;
  PetscBool            *used;

  PetscFunctionBegin;
  PetscCheck(self, comm, PETSC_ERR_PLIB, "no command %s", command);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(QueryOtherCommands(comm, self));
  PetscCall(PetscOptionsLeftGet(NULL, &N, &names, &values));
  if (rank == 0) {
    PetscCall(PetscCalloc1(1, &buf));
    for (PetscInt i = 0; i < N; i++) {
      const char *name = names[i][0] == '-' ? names[i] + 1 : names[i];
      size_t      l    = strlen(name) + 1;

      if (MayPass(self, name, stage)) continue;
      PetscCall(PetscRealloc((size_t)len + l + 1, &buf));
      PetscCall(PetscMemcpy(buf + len, name, l));
      len += (PetscInt)l;
    }
  }
  PetscCall(PetscOptionsLeftRestore(NULL, &N, &names, &values));
  PetscCall(PetscMPIIntCast(len, &blen));
  PetscCallMPI(MPI_Bcast(&blen, 1, MPI_INT, 0, comm));
  if (rank) PetscCall(PetscMalloc1(blen + 1, &buf));
  PetscCallMPI(MPI_Bcast(buf, blen, MPI_CHAR, 0, comm));
  for (PetscInt i = 0; i < blen; i += (PetscInt)strlen(buf + i) + 1) n++;
  PetscCall(PetscCalloc1(n + 1, &used));
  for (PetscInt i = 0, j = 0; i < blen; i += (PetscInt)strlen(buf + i) + 1, j++)
    PetscCall(PetscOptionsUsed(NULL, buf + i, &used[j])); /* without the dash (PETSc 3.18) */
  if (n) PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, used, (PetscMPIInt)n, MPIU_BOOL, MPI_LOR, comm));
  for (PetscInt i = 0, j = 0; i < blen; i += (PetscInt)strlen(buf + i) + 1, j++) {
    char           dashed[256], why[128];
    const char    *deck, *text;
    PetscBool      indeck, own;
    PetscErrorCode ierr;

    if (used[j]) continue;
    PetscCall(PetscSNPrintf(dashed, sizeof(dashed), "-%s", buf + i));
    PetscCall(GepDeckHasOption(dashed, &indeck));
    PetscCall(GepDeckGetText(&deck, &text));
    own = HasPrefix(self->prefixes, buf + i);
    PetscCall(
      PetscSNPrintf(why, sizeof(why), own ? "gepsim %s reads no such option" : "no gepsim command reads it", command));
    PetscCall(PetscFree(used));
    ierr = PetscError(comm, __LINE__, PETSC_FUNCTION_NAME, __FILE__, PETSC_ERR_USER, PETSC_ERROR_INITIAL,
                      "%s%s: unknown option %s (%s; see docs/deck-reference.md or gepsim %s -help)",
                      indeck ? "deck " : "command line", indeck ? deck : "", dashed, why, command);
    PetscCall(PetscFree(buf));
    return ierr;
  }
  PetscCall(PetscFree(used));
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}
