/* gepsim: one executable, subcommands (src/cli/commands.c). PETSc sees only the
   options that follow a subcommand's positional arguments, so a deck never masks
   the command line. */
#include <string.h>
#include "gepcli.h"

int main(int argc, char **argv)
{
  PetscErrorCode        ierr;
  const char           *name = argc > 1 ? argv[1] : "";
  const GepCommandInfo *cmd;
  int                   npos = 0, pargc = 1;
  char                **pargv;
  const char           *pos[5] = {NULL, NULL, NULL, NULL, NULL};
  PetscBool             help   = PETSC_FALSE;

  GepTempFilesRecordParent(); /* before MPI starts: a launcher killed during start-up counts */
  if (argc < 2 || !strcmp(name, "-help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
    GepCommandPrintUsage(stdout);
    return 0;
  }
  cmd = GepCommandFind(name);
  if (!cmd) {
    fprintf(stderr, "gepsim: error: unknown command '%s' (try gepsim -help)\n", name);
    return 1;
  }
  for (int i = 2; i < argc && npos < cmd->nargs && argv[i][0] != '-'; i++) pos[npos++] = argv[i];
  if (npos < cmd->nargs && cmd->nargs > 1) { /* a lone deck may be left out: options on the command line */
    fprintf(stderr, "gepsim: error: %s needs %d arguments, got %d (try gepsim -help)\n", cmd->name, cmd->nargs, npos);
    return 1;
  }
  pargv = (char **)calloc((size_t)argc + 1, sizeof(char *));
  if (!pargv) return 1;
  pargv[0] = argv[0];
  if (cmd->nargs > 0)
    for (int i = 2 + npos; i < argc; i++) pargv[pargc++] = argv[i];
  ierr = PetscInitialize(&pargc, &pargv, NULL, NULL);
  if (ierr) return 1;
  GepTempFilesCatchSignals(); /* after PETSc's own handlers, if any */
  ierr = GepPushErrorHandler();
  if (!ierr) ierr = GepInitializePackage();
  if (!ierr && cmd->nargs == 1 && pos[0]) ierr = GepDeckLoad(PETSC_COMM_WORLD, pos[0]);
  if (!ierr) ierr = PetscOptionsHasName(NULL, NULL, "-help", &help);
  /* with -help a command reads its options (PETSc lists them) and runs nothing */
  if (!ierr) ierr = cmd->function(PETSC_COMM_WORLD, pos, (PetscBool)!help);
  if (ierr) GepTempFilesRemoveAll();
  else GepTempFilesKeep();
  (void)GepDeckDestroy();
  (void)PetscFinalize();
  free(pargv);
  return ierr ? 1 : GepGetExitStatus();
}
