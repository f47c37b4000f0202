/* gepsim screen DECK -o results.h5: an in-silico screen (GepScreen) of genotypes x
   environments x swept parameters x replicates; the table in HDF5 (docs/formats.md)
   and, with -screen_csv, as CSV. */
#include "gepcli.h"

/* the model, its genotypes and environments, and the screen, from the options */
static PetscErrorCode ScreenCreate(MPI_Comm comm, const char out[], GepModel *model, GepPerturbation *pert,
                                   GepScreen *screen)
{
  PetscFunctionBegin;
  PetscCall(GepModelCreate(comm, model));
  PetscCall(GepModelSetFromOptions(*model));
  PetscCall(GepPerturbationCreate(comm, pert));
  PetscCall(GepPerturbationSetModel(*pert, *model));
  PetscCall(GepPerturbationSetFromOptions(*pert));
  PetscCall(GepScreenCreate(comm, screen));
  PetscCall(GepScreenSetModel(*screen, *model));
  PetscCall(GepScreenSetPerturbation(*screen, *pert));
  PetscCall(GepScreenSetOutput(*screen, out));
  PetscCall(GepScreenSetFromOptions(*screen));
  PetscFunctionReturn(0);
}

/* a CSV's directory checked with the output's, before any work */
static PetscErrorCode CheckOutputs(MPI_Comm comm, const char out[], char csv[], size_t len, PetscBool *hascsv)
{
  PetscFunctionBegin;
  PetscCall(GepOutputCheckWritable(comm, out));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-screen_csv", csv, len, hascsv));
  if (*hascsv) PetscCall(GepOutputCheckWritable(comm, csv));
  PetscFunctionReturn(0);
}

PetscErrorCode GepCommandScreen(MPI_Comm comm, const char *const args[], PetscBool run)
{
  GepModel        model;
  GepPerturbation pert;
  GepScreen       screen;
  char            out[PETSC_MAX_PATH_LEN] = "gepsim-screen.h5", csv[PETSC_MAX_PATH_LEN];
  PetscLogDouble  t0, t1;
  PetscInt        N, nread, nok = 0, nfailed = 0;
  const PetscInt *status;
  PetscBool       hascsv;

  PetscFunctionBegin;
  (void)args;
  PetscCall(PetscTime(&t0));
  PetscOptionsBegin(comm, NULL, "gepsim screen", "gepsim");
  PetscCall(PetscOptionsString("-o", "Output HDF5 file (written as FILE.part until complete)", "gepsim screen", out,
                               out, sizeof(out), NULL));
  PetscOptionsEnd();
  PetscCall(ScreenCreate(comm, out, &model, &pert, &screen));
  if (run) {
    PetscCall(GepDeckCheckUnused(comm, "screen", GEP_DECK_BEFORE_SETUP));
    PetscCall(CheckOutputs(comm, out, csv, sizeof(csv), &hascsv));
    PetscCall(GepScreenSetUp(screen));
    PetscCall(GepModelViewFromOptions(model, NULL, "-model_view"));
    PetscCall(PetscObjectViewFromOptions((PetscObject)pert, NULL, "-perturb_view"));
    PetscCall(PetscObjectViewFromOptions((PetscObject)screen, NULL, "-screen_view"));
    PetscCall(GepDeckCheckUnused(comm, "screen", GEP_DECK_AFTER_SETUP));
    PetscCall(GepScreenSolve(screen));
    if (GepScreenInterrupted(screen)) {
      PetscCall(PetscPrintf(comm,
                            "gepsim screen: stopped by SIGTERM; %s.part holds the conditions done: run the same "
                            "command with -screen_resume to finish (exit status 75)\n",
                            out));
      GepSetExitStatus(75);
      PetscCall(GepScreenDestroy(&screen));
      PetscCall(GepPerturbationDestroy(&pert));
      PetscCall(GepModelDestroy(&model));
      PetscFunctionReturn(0);
    }
    PetscCall(GepDeckCheckUnused(comm, "screen", GEP_DECK_AFTER_SOLVE));
    PetscCall(GepScreenGetNumConditions(screen, &N));
    PetscCall(GepScreenGetResults(screen, &nread, NULL, &status));
    for (PetscInt c = 0; status && c < N; c++) {
      nok += status[c] == 1;
      nfailed += status[c] == 2;
    }
    PetscCall(PetscTime(&t1));
    PetscCall(PetscPrintf(comm,
                          "gepsim screen: %" PetscInt_FMT " conditions, %" PetscInt_FMT " ok, %" PetscInt_FMT
                          " failed, %" PetscInt_FMT " readouts, %.2f s\n",
                          N, nok, nfailed, nread, t1 - t0));
    PetscCall(PetscPrintf(comm, "gepsim screen: wrote %s%s%s\n", out, hascsv ? " and " : "", hascsv ? csv : ""));
  }
  PetscCall(GepScreenDestroy(&screen));
  PetscCall(GepPerturbationDestroy(&pert));
  PetscCall(GepModelDestroy(&model));
  PetscFunctionReturn(0);
}

/* gepsim screen-merge DECK -screen_merge A.h5,B.h5,... -o OUT.h5: the slices of a screen into one file */
PetscErrorCode GepCommandScreenMerge(MPI_Comm comm, const char *const args[], PetscBool run)
{
  GepModel        model;
  GepPerturbation pert;
  GepScreen       screen;
  char            out[PETSC_MAX_PATH_LEN] = "gepsim-screen.h5", *files[1024], csv[PETSC_MAX_PATH_LEN];
  PetscInt        n                       = 1024, N;
  PetscBool       set, hascsv;

  PetscFunctionBegin;
  (void)args;
  PetscOptionsBegin(comm, NULL, "gepsim screen-merge", "gepsim");
  PetscCall(PetscOptionsString("-o", "Output HDF5 file", "gepsim screen-merge", out, out, sizeof(out), NULL));
  PetscCall(PetscOptionsStringArray("-screen_merge", "The results files of the slices (-screen_slice I/N) to merge",
                                    "GepScreenMerge", files, &n, &set));
  PetscOptionsEnd();
  if (!set) n = 0;
  PetscCall(ScreenCreate(comm, out, &model, &pert, &screen));
  if (run) {
    PetscCall(GepDeckCheckUnused(comm, "screen-merge", GEP_DECK_BEFORE_SETUP));
    PetscCall(CheckOutputs(comm, out, csv, sizeof(csv), &hascsv));
    PetscCall(GepScreenSetUp(screen));
    PetscCall(GepDeckCheckUnused(comm, "screen-merge", GEP_DECK_AFTER_SETUP));
    PetscCall(GepScreenMerge(screen, n, files));
    PetscCall(GepScreenGetNumConditions(screen, &N));
    PetscCall(PetscPrintf(
      comm, "gepsim screen-merge: %" PetscInt_FMT " files, %" PetscInt_FMT " conditions: wrote %s\n", n, N, out));
  }
  for (PetscInt i = 0; i < n; i++) PetscCall(PetscFree(files[i]));
  PetscCall(GepScreenDestroy(&screen));
  PetscCall(GepPerturbationDestroy(&pert));
  PetscCall(GepModelDestroy(&model));
  PetscFunctionReturn(0);
}
