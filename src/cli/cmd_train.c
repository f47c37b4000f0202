/* gepsim train DECK: trains a GepGNN classifier or regression (MOGONET class, or
   the linear baseline) on the deck's training split, evaluates it on the test split and
   writes predictions, metrics, curves and weights (docs/formats.md). */
#include "gepcli.h"
#include "gepgnn.h"

PetscErrorCode GepCommandTrain(MPI_Comm comm, const char *const args[], PetscBool run)
{
  GepGNN         gnn;
  char           out[PETSC_MAX_PATH_LEN] = "gepsim-train.h5";
  PetscBool      figures                 = PETSC_TRUE;
  PetscMPIInt    size;
  PetscLogDouble t0, t1;

  PetscFunctionBegin;
  (void)args; /* the deck, loaded by main */
  PetscCall(PetscTime(&t0));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscOptionsBegin(comm, NULL, "gepsim train", "gepsim");
  PetscCall(PetscOptionsString("-o", "Output HDF5 file (predictions, metrics, curves, weights)", "gepsim train", out,
                               out, sizeof(out), NULL));
  PetscCall(PetscOptionsBool("-train_figures", "Write SVG training curves OUT-loss.svg and OUT-test-metrics.svg",
                             "gepsim train", figures, &figures, NULL));
  PetscOptionsEnd();
  PetscCall(GepGNNCreate(comm, &gnn));
  PetscCall(GepGNNSetFromOptions(gnn));
  if (run) {
    PetscCall(GepDeckCheckUnused(comm, "train", GEP_DECK_BEFORE_SETUP));
    PetscCall(GepOutputCheckWritable(comm, out));
    PetscCall(GepGNNSetUp(gnn));
    PetscCall(GepGNNViewFromOptions(gnn, NULL, "-gnn_view"));
    PetscCall(PetscPrintf(comm, "gepsim train: on %d rank(s)\n", size));
    PetscCall(GepGNNView(gnn, NULL));
    PetscCall(GepGNNTrain(gnn));
    PetscCall(GepGNNPredict(gnn, NULL));
    PetscCall(GepGNNComputeImportance(gnn));
    PetscCall(GepGNNViewImportance(gnn, NULL));
    PetscCall(GepDeckCheckUnused(comm, "train", GEP_DECK_AFTER_SOLVE));
    PetscCall(GepGNNWrite(gnn, out));
    if (figures) PetscCall(GepGNNWriteFigures(gnn, out));
    PetscCall(GepGNNViewScores(gnn, NULL, "gepsim train"));
    PetscCall(PetscTime(&t1));
    PetscCall(PetscPrintf(comm, "gepsim train: wrote %s, its predictions as CSV%s (%.2f s in all)\n", out,
                          figures ? " and SVG training curves beside it" : "", t1 - t0));
  }
  PetscCall(GepGNNDestroy(&gnn));
  PetscFunctionReturn(0);
}
