/* Decks: a PETSc options file or YAML under the command line, and the check
   that every option given was read by someone (typos never pass silently). */
#include <string.h>
#include "gepcli.h"
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

/* Prefixes of gepsim's components: those of other subcommands are fine in a
   shared deck; a command's own are checked (a typo there is an error). */
static const char *const component_prefixes[] = {"model_", "ensemble_", "simulate_", "tissue_", "organism_", "perturb_", "screen_", "omics_", "fa_", "factor_", "gnn_", "train_", "predict_", "tao_", NULL};
static const struct {
  const char *command, *prefixes[4];
} own_prefixes[] = {
  {"simulate", {"model_", "ensemble_", "simulate_", NULL}},
  {"factor",   {"omics_", "fa_", "factor_", NULL}    },
  {"sbml-test", {"model_", "ensemble_", NULL, NULL}   },
  {"import",   {"omics_", NULL, NULL, NULL}         },
  {"train",    {"gnn_", "train_", NULL, NULL}       },
  {"predict",  {"gnn_", "predict_", NULL, NULL}     },
  {NULL,       {NULL}                                }
};

static PetscBool OtherComponent(const char *command, const char *name)
{
  for (int k = 0; component_prefixes[k]; k++) {
    PetscBool mine = PETSC_FALSE;
    if (strncmp(name, component_prefixes[k], strlen(component_prefixes[k]))) continue;
    for (int c = 0; own_prefixes[c].command; c++)
      if (!strcmp(own_prefixes[c].command, command))
        for (int j = 0; own_prefixes[c].prefixes[j]; j++) mine = (PetscBool)(mine || !strcmp(own_prefixes[c].prefixes[j], component_prefixes[k]));
    return (PetscBool)!mine;
  }
  return PETSC_FALSE;
}
/* PETSc run-time options that are read outside any object. */
static const char *const petsc_globals[] = {"options_left", "malloc_dump", "malloc_debug", "malloc_test", "log_view", "log_view_memory", "info", "help", "on_error_abort", "fp_trap", "check_pointer_intensity", "memory_view", "options_view", "use_gpu_aware_mpi", "history", NULL};

/* Options of PETSc's solvers, read only when the solvers are set up. */
static const char *const solver_prefixes[] = {"ts_", "snes_", "ksp_", "pc_", "mat_", "vec_", NULL};

/* An option counts as used if any rank read it (a rank may own no work, and
   then never sets up the solvers that read it): rank 0's unused candidates are
   checked on every rank, and the error, if any, is raised on all ranks alike. */
PetscErrorCode GepDeckCheckUnused(MPI_Comm comm, const char command[], PetscBool solvers)
{
  PetscInt    N, len = 0, n = 0;
  char      **names, **values, *buf = NULL;
  PetscMPIInt rank, blen;
  PetscBool  *used;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscOptionsLeftGet(NULL, &N, &names, &values));
  if (rank == 0) {
    PetscCall(PetscCalloc1(1, &buf));
    for (PetscInt i = 0; i < N; i++) {
      const char *name = names[i][0] == '-' ? names[i] + 1 : names[i];
      PetscBool   ok   = OtherComponent(command, name);
      size_t      l    = strlen(name) + 1;

      for (int k = 0; petsc_globals[k] && !ok; k++) ok = (PetscBool)!strcmp(name, petsc_globals[k]);
      for (int k = 0; solver_prefixes[k] && !ok && !solvers; k++) ok = (PetscBool)!strncmp(name, solver_prefixes[k], strlen(solver_prefixes[k]));
      if (ok) continue;
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
  for (PetscInt i = 0, j = 0; i < blen; i += (PetscInt)strlen(buf + i) + 1, j++) {
    char dashed[256];
    PetscCall(PetscSNPrintf(dashed, sizeof(dashed), "-%s", buf + i));
    PetscCall(PetscOptionsUsed(NULL, dashed, &used[j]));
  }
  if (n) PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, used, (PetscMPIInt)n, MPIU_BOOL, MPI_LOR, comm));
  for (PetscInt i = 0, j = 0; i < blen; i += (PetscInt)strlen(buf + i) + 1, j++) {
    char      dashed[256];
    PetscBool indeck = PETSC_FALSE;

    if (used[j]) continue;
    PetscCall(PetscSNPrintf(dashed, sizeof(dashed), "-%s", buf + i));
    if (deck_options) PetscCall(PetscOptionsHasName(deck_options, NULL, dashed, &indeck));
    PetscCall(PetscFree(used));
    {
      PetscErrorCode ierr = PetscError(comm, __LINE__, PETSC_FUNCTION_NAME, __FILE__, PETSC_ERR_USER, PETSC_ERROR_INITIAL, "%s%s: unknown option %s for gepsim %s (see docs/deck-reference.md or gepsim %s -help)", indeck ? "deck " : "command line", indeck ? deck_path : "", dashed, command, command);
      PetscCall(PetscFree(buf));
      return ierr;
    }
  }
  PetscCall(PetscFree(used));
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}
