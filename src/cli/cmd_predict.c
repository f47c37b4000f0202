/* gepsim predict DECK -predict_model TRAINED.h5: the classifier (or regression) that gepsim
   train wrote (its weights), run on the deck's test files, with the deck's
   training files forming the graphs as at training. Writes predictions (and
   scores and feature importance when the test labels are given). */
#include "gepcli.h"
#include "gepgnn.h"

PetscErrorCode GepCommandPredict(MPI_Comm comm, const char *const args[], PetscBool run)
{
  GepGNN      gnn;
  char        out[PETSC_MAX_PATH_LEN] = "gepsim-predict.h5", model[PETSC_MAX_PATH_LEN] = "";
  PetscBool   labelled;
  PetscMPIInt size;

  PetscFunctionBegin;
  (void)args; /* the deck, loaded by main */
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscOptionsBegin(comm, NULL, "gepsim predict", "gepsim");
  PetscCall(PetscOptionsString("-o", "Output HDF5 file (predictions, scores, importance)", "gepsim predict", out, out,
                               sizeof(out), NULL));
  PetscCall(PetscOptionsString("-predict_model", "A gepsim train output: the trained weights", "GepGNNLoad", model,
                               model, sizeof(model), NULL));
  PetscOptionsEnd();
  PetscCall(GepGNNCreate(comm, &gnn));
  PetscCall(GepGNNSetFromOptions(gnn));
  if (run) {
    PetscCheck(model[0], comm, PETSC_ERR_USER,
               "gepsim predict needs -predict_model TRAINED.h5 (a gepsim train output)");
    PetscCall(GepDeckCheckUnused(comm, "predict", GEP_DECK_BEFORE_SETUP));
    PetscCall(GepOutputCheckWritable(comm, out));
    PetscCall(GepGNNLoad(gnn, model));
    PetscCall(GepGNNViewFromOptions(gnn, NULL, "-gnn_view"));
    PetscCall(PetscPrintf(comm, "gepsim predict: the model of %s on %d rank(s)\n", model, size));
    PetscCall(GepGNNView(gnn, NULL));
    PetscCall(GepGNNPredict(gnn, NULL));
    PetscCall(GepGNNHasTestLabels(gnn, &labelled));
    if (labelled) {
      PetscCall(GepGNNComputeImportance(gnn));
      PetscCall(GepGNNViewImportance(gnn, NULL));
    }
    PetscCall(GepDeckCheckUnused(comm, "predict", GEP_DECK_AFTER_SOLVE));
    PetscCall(GepGNNWrite(gnn, out));
    PetscCall(GepGNNViewScores(gnn, NULL, "gepsim predict"));
    PetscCall(PetscPrintf(comm, "gepsim predict: wrote %s and its predictions as CSV\n", out));
  }
  PetscCall(GepGNNDestroy(&gnn));
  PetscFunctionReturn(0);
}
