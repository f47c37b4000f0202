/* gepsim: one executable, subcommands. PETSc sees only the options that follow
   a subcommand's positional arguments, so a deck never masks the command line. */
#include <string.h>
#include "gepsim.h"

static const char usage[] = "gepsim: genotype x environment -> phenotype simulation and inference\n"
                            "usage:\n"
                            "  gepsim simulate DECK [-option value ...]   integrate an SBML model or an ensemble of it\n"
                            "  gepsim factor DECK [-option value ...]     group factor analysis (MOFA+ class) of multi-omics data\n"
                            "  gepsim train DECK [-option value ...]      train and evaluate a graph neural network classifier\n"
                            "                                             (MOGONET class) or its linear baseline\n"
                            "  gepsim predict DECK -predict_model TRAINED.h5   a trained classifier on the deck's test files\n"
                            "  gepsim import [DECK] -omics_tables A.csv,B.csv | -omics_long L.tsv -o OUT.h5\n"
                            "                                             CSV/TSV or long-format omics tables to HDF5\n"
                            "  gepsim sbml-test CASES_DIR CASE_ID OUT_DIR LEVEL VERSION [-option value ...]\n"
                            "                                             run one SBML Test Suite case (Test Runner convention)\n"
                            "  gepsim -version                            versions of gepsim and its libraries\n"
                            "  gepsim -help | gepsim COMMAND -help         this text | the options of a command\n"
                            "Decks are PETSc options files or YAML (inputs/*.yaml); every entry can be overridden\n"
                            "on the command line. Options: docs/deck-reference.md. Output: -o FILE.h5\n";

static int NumPositional(const char *cmd)
{
  if (!strcmp(cmd, "simulate") || !strcmp(cmd, "factor") || !strcmp(cmd, "train") || !strcmp(cmd, "predict") || !strcmp(cmd, "import")) return 1;
  if (!strcmp(cmd, "sbml-test")) return 5;
  return -1;
}

int main(int argc, char **argv)
{
  PetscErrorCode ierr;
  const char    *cmd  = argc > 1 ? argv[1] : "";
  int            npos = 0, pargc = 1;
  char         **pargv;
  const char    *pos[5] = {NULL, NULL, NULL, NULL, NULL};

  if (argc < 2 || !strcmp(cmd, "-help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    fputs(usage, stdout);
    return 0;
  }
  if (strcmp(cmd, "-version") && strcmp(cmd, "--version")) {
    int want = NumPositional(cmd);
    if (want < 0) {
      fprintf(stderr, "gepsim: error: unknown command '%s' (try gepsim -help)\n", cmd);
      return 1;
    }
    for (int i = 2; i < argc && npos < want && argv[i][0] != '-'; i++) pos[npos++] = argv[i];
    if (npos < want && !(want == 1 && npos == 0)) {
      fprintf(stderr, "gepsim: error: %s needs %d arguments, got %d (try gepsim -help)\n", cmd, want, npos);
      return 1;
    }
  }
  pargv = (char **)calloc((size_t)argc + 1, sizeof(char *));
  if (!pargv) return 1;
  pargv[0] = argv[0];
  for (int i = 2 + npos; i < argc; i++) pargv[pargc++] = argv[i];
  if (!strcmp(cmd, "-version") || !strcmp(cmd, "--version")) pargc = 1;
  ierr = PetscInitialize(&pargc, &pargv, NULL, NULL);
  if (ierr) return 1;
  GepTempFilesCatchSignals(); /* after PETSc's own handlers, if any */
  ierr = GepPushErrorHandler();
  if (!ierr) ierr = GepInitializePackage();
  if (!ierr) {
    if (!strcmp(cmd, "simulate")) {
      if (pos[0]) ierr = GepDeckLoad(PETSC_COMM_WORLD, pos[0]);
      if (!ierr) ierr = GepCommandSimulate(PETSC_COMM_WORLD);
    } else if (!strcmp(cmd, "factor")) {
      if (pos[0]) ierr = GepDeckLoad(PETSC_COMM_WORLD, pos[0]);
      if (!ierr) ierr = GepCommandFactor(PETSC_COMM_WORLD);
    } else if (!strcmp(cmd, "train")) {
      if (pos[0]) ierr = GepDeckLoad(PETSC_COMM_WORLD, pos[0]);
      if (!ierr) ierr = GepCommandTrain(PETSC_COMM_WORLD);
    } else if (!strcmp(cmd, "predict")) {
      if (pos[0]) ierr = GepDeckLoad(PETSC_COMM_WORLD, pos[0]);
      if (!ierr) ierr = GepCommandPredict(PETSC_COMM_WORLD);
    } else if (!strcmp(cmd, "import")) {
      if (pos[0]) ierr = GepDeckLoad(PETSC_COMM_WORLD, pos[0]);
      if (!ierr) ierr = GepCommandImport(PETSC_COMM_WORLD);
    } else if (!strcmp(cmd, "sbml-test")) ierr = GepCommandSBMLTest(PETSC_COMM_WORLD, pos[0], pos[1], pos[2], pos[3], pos[4]);
    else ierr = GepCommandVersion(PETSC_COMM_WORLD);
  }
  if (ierr) GepTempFilesRemoveAll();
  else GepTempFilesKeep();
  (void)GepDeckDestroy();
  (void)PetscFinalize();
  free(pargv);
  return ierr ? 1 : 0;
}
