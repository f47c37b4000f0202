/* The subcommands: one table for the usage text, the positional arguments, the
   dispatch and the options registry (GepDeckCheckUnused asks every command which
   options it knows by running it with run = false). */
#include <string.h>
#include "gepcli.h"

static const char *const simulate_solvers[] = {"ensemble_ts_", "ensemble_snes_", "ensemble_ksp_",
                                               "ensemble_pc_", "ensemble_mat_",  NULL};
static const char *const gnn_solvers[] = {"gnn_linear_tao_", "gnn_ridge_ksp_", "gnn_ridge_pc_", "gnn_ridge_mat_", NULL};
static const char *const no_solvers[]  = {NULL};
static const char *const simulate_owns[] = {"model_", "ensemble_", "simulate_", NULL};
static const char *const factor_owns[]   = {"omics_", "fa_", "factor_", NULL};
static const char *const train_owns[]    = {"gnn_", "train_", NULL};
static const char *const predict_owns[]  = {"gnn_", "predict_", NULL};
static const char *const import_owns[]   = {"omics_", NULL};
static const char *const sbmltest_owns[] = {"model_", "ensemble_", NULL};
static const char *const screen_owns[]   = {"model_", "perturb_", "screen_", NULL};

static const GepCommandInfo commands[] = {
  {"simulate", 1, "simulate DECK [-option value ...]", "integrate an SBML model or an ensemble of it",
   GepCommandSimulate, simulate_owns, simulate_solvers},
  {"screen", 1, "screen DECK -o results.h5 [-option value ...]",
   "in-silico screen: genotypes x environments x swept parameters x replicates of a model", GepCommandScreen,
   screen_owns, simulate_solvers},
  {"screen-merge", 1, "screen-merge DECK -screen_merge A.h5,B.h5,... -o OUT.h5",
   "the results of a screen's slices (-screen_slice I/N, a job array) into one file", GepCommandScreenMerge,
   screen_owns, simulate_solvers},
  {"factor", 1, "factor DECK [-option value ...]", "group factor analysis (MOFA+ class) of multi-omics data",
   GepCommandFactor, factor_owns, no_solvers},
  {"train", 1, "train DECK [-option value ...]",
   "train and evaluate a graph neural network classifier (MOGONET class) or its linear baseline", GepCommandTrain,
   train_owns, gnn_solvers},
  {"predict", 1, "predict DECK -predict_model TRAINED.h5", "a trained classifier on the deck's test files",
   GepCommandPredict, predict_owns, gnn_solvers},
  {"import", 1, "import [DECK] -omics_tables A.csv,B.csv | -omics_long L.tsv -o OUT.h5",
   "CSV/TSV or long-format omics tables to HDF5", GepCommandImport, import_owns, no_solvers},
  {"sbml-test", 5, "sbml-test CASES_DIR CASE_ID OUT_DIR LEVEL VERSION [-option value ...]",
   "run one SBML Test Suite case (Test Runner convention)", GepCommandSBMLTest, sbmltest_owns, simulate_solvers},
  {"-version", 0, "-version", "versions of gepsim and its libraries", GepCommandVersion, no_solvers, no_solvers},
  {NULL, 0, NULL, NULL, NULL, NULL, NULL}};

const GepCommandInfo *GepCommandFind(const char name[])
{
  if (!strcmp(name, "--version")) name = "-version";
  for (const GepCommandInfo *c = commands; c->name; c++)
    if (!strcmp(c->name, name)) return c;
  return NULL;
}

const GepCommandInfo *GepCommandList(void)
{
  return commands;
}

void GepCommandPrintUsage(FILE *fp)
{
  fputs("gepsim: genotype x environment -> phenotype simulation and inference\nusage:\n", fp);
  for (const GepCommandInfo *c = commands; c->name; c++) fprintf(fp, "  gepsim %s\n      %s\n", c->usage, c->help);
  fputs("  gepsim -help | gepsim COMMAND -help\n      this text | the options of a command\n"
        "Decks are PETSc options files or YAML (inputs/*.yaml); every entry can be overridden\n"
        "on the command line. Options: docs/deck-reference.md. Output: -o FILE.h5\n",
        fp);
}
