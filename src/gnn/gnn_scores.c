/* GepGNN test scores, whichever the task: a classifier's (ACC, F1, AUC from the
   class probabilities and labels) or a regression's (RMSE, MAE, R^2, r from the
   predicted values and targets); the row of the monitor curve and the line
   printed after training or prediction. */
#include "gnnimpl.h"

PetscErrorCode GepGNNScoreTest(GepGNN g, PetscReal *score)
{
  PetscFunctionBegin;
  if (g->regression) {
    PetscCheck(g->tte, g->comm, PETSC_ERR_USER, "scores need the test targets (-gnn_test_labels)");
    PetscCall(GepRegressionScore(g->Nte, g->prob, g->tte, &g->rscores));
    if (score) *score = g->rscores.r2;
  } else {
    PetscCheck(g->yte, g->comm, PETSC_ERR_USER, "scores need the test labels (-gnn_test_labels)");
    PetscCall(GepClassifierScore(g->Nte, g->C, g->prob, g->yte, &g->scores));
    if (score) *score = g->C == 2 ? g->scores.f1 : g->scores.f1_macro;
  }
  PetscFunctionReturn(0);
}

void GepGNNScoreRow(GepGNN g, PetscReal s[5])
{
  if (g->regression) {
    s[0] = g->rscores.rmse;
    s[1] = g->rscores.mae;
    s[2] = g->rscores.r2;
    s[3] = g->rscores.r;
    s[4] = NAN;
  } else {
    s[0] = g->scores.acc;
    s[1] = g->scores.f1;
    s[2] = g->scores.f1_weighted;
    s[3] = g->scores.f1_macro;
    s[4] = g->scores.auc;
  }
}

PetscErrorCode GepGNNViewScores(GepGNN g, PetscViewer viewer, const char prefix[])
{
  PetscFunctionBegin;
  if (!viewer) viewer = PETSC_VIEWER_STDOUT_(g->comm);
  if (!GepGNNTestLabelled(g)) PetscFunctionReturn(0);
  if (g->regression)
    PetscCall(PetscViewerASCIIPrintf(viewer, "%s: test RMSE %.4f  MAE %.4f  R2 %.4f  r %.4f\n", prefix,
                                     (double)g->rscores.rmse, (double)g->rscores.mae, (double)g->rscores.r2,
                                     (double)g->rscores.r));
  else
    PetscCall(PetscViewerASCIIPrintf(viewer, "%s: test ACC %.4f  F1 %.4f  F1 weighted %.4f  F1 macro %.4f  AUC %.4f\n",
                                     prefix, (double)g->scores.acc, (double)g->scores.f1, (double)g->scores.f1_weighted,
                                     (double)g->scores.f1_macro, (double)g->scores.auc));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNHasTestLabels(GepGNN g, PetscBool *has)
{
  PetscFunctionBegin;
  *has = GepGNNTestLabelled(g);
  PetscFunctionReturn(0);
}
