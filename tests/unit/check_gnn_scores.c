/* Scores of gepsim train outputs against references. Reads the test
   predictions (/predictions/test/probability) of one or more outputs (-ours
   A.h5,B.h5,...: e.g. one per seed) and the true labels or targets from the
   input file (-labels labels_te.csv: one number a line, never gepsim's own
   output), scores each
   (accuracy, F1 of class 1, weighted and macro F1, ROC AUC) and their mean.
   Passes when the means reach -min_acc, -min_f1, -min_auc (default 0) and, if
   given, equal -ref_acc, -ref_f1, -ref_f1_weighted, -ref_f1_macro, -ref_auc
   within -tol (1e-9); -ref_p1 v1,v2,...: the first outputs' probabilities of
   class 1 for the first test samples, within -ptol (1e-5).
   Outputs of a regression (-gnn_loss mse: /predictions/test/value, /target)
   are scored by RMSE, MAE, R^2 and Pearson's r instead: -min_r2, -ref_rmse,
   -ref_mae, -ref_r2, -ref_r, and -ref_values v1,v2,...: the first output's
   predictions (within -ptol).
   -baseline LIN.h5 -max_gap G: the means must also reach the baseline's scores
   (trained in the same test, on the same split) less G: ACC, F1 and AUC, or R^2. */
#include "gepsim.h"
#include "gepgnn.h"

/* The true labels or targets, one number a line, from the deck's input file. */
static PetscErrorCode ReadLabels(const char path[], PetscInt n, PetscReal values[])
{
  FILE    *fp;
  PetscInt got = 0;
  double   v;

  PetscFunctionBegin;
  fp = fopen(path, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open", path);
  while (fscanf(fp, "%lf", &v) == 1) {
    if (got < n) values[got] = (PetscReal)v;
    got++;
  }
  PetscCheck(feof(fp), PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: line %" PetscInt_FMT " is not a number", path,
             got + 1);
  fclose(fp);
  PetscCheck(got == n, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s has %" PetscInt_FMT " labels, the output %" PetscInt_FMT " test samples", path, got, n);
  PetscFunctionReturn(0);
}

static PetscInt AtLeast(const char *what, PetscReal ours, PetscReal base, PetscReal gap)
{
  PetscBool good = (PetscBool)(ours >= base - gap);
  PetscCallAbort(PETSC_COMM_SELF, PetscPrintf(PETSC_COMM_SELF, "  %s %.4f, baseline %.4f less %.3f: %s\n", what,
                                              (double)ours, (double)base, (double)gap, good ? "ok" : "FAIL"));
  return good ? 0 : 1;
}

static PetscInt Compare(const char *what, PetscReal ours, PetscBool set, PetscReal ref, PetscReal tol)
{
  PetscBool good = (PetscBool)(!set || PetscAbsReal(ours - ref) <= tol);
  PetscCallAbort(PETSC_COMM_SELF, PetscPrintf(PETSC_COMM_SELF, "  %s %.12f%s\n", what, (double)ours,
                                              set ? (good ? " (= reference)" : " FAIL: reference differs") : ""));
  if (set && !good) PetscCallAbort(PETSC_COMM_SELF, PetscPrintf(PETSC_COMM_SELF, "    reference %.12f\n", (double)ref));
  return good ? 0 : 1;
}

/* a regression's outputs: their scores, the mean's against the references; fails counted */
static PetscErrorCode ScoreRegression(const char file[], const char labels[], GepRegressionScores *s, PetscReal **val,
                                      PetscInt *n)
{
  GepH5File  h;
  PetscInt   nd, dims[4];
  PetscReal *t;

  PetscFunctionBegin;
  PetscCall(GepH5Open(PETSC_COMM_SELF, file, &h));
  PetscCall(GepH5GetDims(h, "/predictions/test/value", &nd, dims));
  *n = dims[0];
  PetscCall(PetscMalloc1(*n, val)); /* freed apart from t, by the caller */
  PetscCall(PetscMalloc1(*n, &t));
  PetscCall(GepH5ReadRealRows(h, "/predictions/test/value", 0, *n, *val));
  PetscCall(GepH5Close(&h));
  PetscCall(ReadLabels(labels, *n, t));
  PetscCall(GepRegressionScore(*n, *val, t, s));
  PetscCall(PetscFree(t));
  PetscFunctionReturn(0);
}

static PetscErrorCode Regression(PetscInt nfiles, char *files[], const char labels[], const char baseline[],
                                 PetscReal gap, PetscReal tol, PetscReal ptol, PetscInt *fails)
{
  PetscReal           min_r2 = PETSC_MIN_REAL, refs[4] = {0}, pv[64];
  PetscBool           has[4]      = {0}, hasp;
  PetscInt            np          = 64;
  const char         *refnames[4] = {"-ref_rmse", "-ref_mae", "-ref_r2", "-ref_r"};
  GepRegressionScores mean        = {0, 0, 0, 0};

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-min_r2", &min_r2, NULL));
  for (PetscInt i = 0; i < 4; i++) PetscCall(PetscOptionsGetReal(NULL, NULL, refnames[i], &refs[i], &has[i]));
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-ref_values", pv, &np, &hasp));
  for (PetscInt f = 0; f < nfiles; f++) {
    PetscInt            n;
    PetscReal          *val;
    GepRegressionScores s;

    PetscCall(ScoreRegression(files[f], labels, &s, &val, &n));
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "%s: RMSE %.4f MAE %.4f R2 %.4f r %.4f\n", files[f], (double)s.rmse,
                          (double)s.mae, (double)s.r2, (double)s.r));
    mean.rmse += s.rmse / nfiles;
    mean.mae += s.mae / nfiles;
    mean.r2 += s.r2 / nfiles;
    mean.r += s.r / nfiles;
    if (f == 0 && hasp) {
      PetscReal worst = 0;
      for (PetscInt i = 0; i < np && i < n; i++) worst = PetscMax(worst, PetscAbsReal(val[i] - pv[i]));
      PetscCall(PetscPrintf(PETSC_COMM_SELF,
                            "  predictions, first %" PetscInt_FMT
                            " test samples: largest difference from the reference %.2e%s\n",
                            np, (double)worst, worst <= ptol ? "" : " FAIL"));
      *fails += worst > ptol;
    }
    PetscCall(PetscFree(val));
  }
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "mean over %" PetscInt_FMT " output(s):\n", nfiles));
  *fails += Compare("RMSE", mean.rmse, has[0], refs[0], tol);
  *fails += Compare("MAE", mean.mae, has[1], refs[1], tol);
  *fails += Compare("R2", mean.r2, has[2], refs[2], tol);
  *fails += Compare("r", mean.r, has[3], refs[3], tol);
  if (mean.r2 < min_r2) {
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAIL: mean R2 below %.3f\n", (double)min_r2));
    (*fails)++;
  }
  if (baseline[0]) {
    GepRegressionScores b;
    PetscReal          *val;
    PetscInt            n;

    PetscCall(ScoreRegression(baseline, labels, &b, &val, &n));
    PetscCall(PetscFree(val));
    *fails += AtLeast("R2", mean.r2, b.r2, gap);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ScoreClassifier(const char file[], const char labels[], GepClassifierScores *s, PetscReal **prob,
                                      PetscInt *n, PetscInt *C)
{
  GepH5File  h;
  PetscInt   nd, dims[4], *y;
  PetscReal *lab;

  PetscFunctionBegin;
  PetscCall(GepH5Open(PETSC_COMM_SELF, file, &h));
  PetscCall(GepH5GetDims(h, "/predictions/test/probability", &nd, dims));
  *n = dims[0];
  *C = dims[1];
  PetscCall(PetscMalloc1(*n * *C, prob));
  PetscCall(PetscMalloc2(*n, &lab, *n, &y));
  PetscCall(GepH5ReadRealRows(h, "/predictions/test/probability", 0, *n, *prob));
  PetscCall(GepH5Close(&h));
  PetscCall(ReadLabels(labels, *n, lab));
  for (PetscInt i = 0; i < *n; i++) y[i] = (PetscInt)lab[i];
  PetscCall(GepClassifierScore(*n, *C, *prob, y, s));
  PetscCall(PetscFree2(lab, y));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char               *files[32];
  PetscInt            nfiles = 32, fails = 0, np = 64;
  PetscReal           mins[3] = {0, 0, 0}, refs[5] = {0}, tol = 1e-9, ptol = 1e-5, p1[64], gap = 0;
  char                labels[PETSC_MAX_PATH_LEN] = "", baseline[PETSC_MAX_PATH_LEN] = "";
  PetscBool           has[5]      = {0}, hasp1;
  const char         *refnames[5] = {"-ref_acc", "-ref_f1", "-ref_f1_weighted", "-ref_f1_macro", "-ref_auc"};
  GepClassifierScores mean        = {0, 0, 0, 0, 0};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetStringArray(NULL, NULL, "-ours", files, &nfiles, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-min_acc", &mins[0], NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-min_f1", &mins[1], NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-min_auc", &mins[2], NULL));
  for (PetscInt i = 0; i < 5; i++) PetscCall(PetscOptionsGetReal(NULL, NULL, refnames[i], &refs[i], &has[i]));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-tol", &tol, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-ptol", &ptol, NULL));
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-ref_p1", p1, &np, &hasp1));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-labels", labels, sizeof(labels), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-baseline", baseline, sizeof(baseline), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-max_gap", &gap, NULL));
  PetscCheck(nfiles > 0, PETSC_COMM_SELF, PETSC_ERR_USER, "give -ours OUT.h5[,OUT2.h5,...]");
  PetscCheck(labels[0], PETSC_COMM_SELF, PETSC_ERR_USER,
             "give -labels: the test labels or targets from the input files");
  {
    GepH5File h;
    PetscBool regression;
    PetscCall(GepH5Open(PETSC_COMM_SELF, files[0], &h));
    PetscCall(GepH5Exists(h, "/predictions/test/value", &regression));
    PetscCall(GepH5Close(&h));
    if (regression) {
      PetscCall(Regression(nfiles, files, labels, baseline, gap, tol, ptol == 1e-5 ? 1e-8 : ptol, &fails));
      for (PetscInt f = 0; f < nfiles; f++) PetscCall(PetscFree(files[f]));
      PetscCall(PetscFinalize());
      return fails ? 1 : 0;
    }
  }
  for (PetscInt f = 0; f < nfiles; f++) {
    PetscInt            n, C;
    PetscReal          *prob;
    GepClassifierScores s;

    PetscCall(ScoreClassifier(files[f], labels, &s, &prob, &n, &C));
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "%s: ACC %.4f F1 %.4f F1 weighted %.4f F1 macro %.4f AUC %.4f\n", files[f],
                          (double)s.acc, (double)s.f1, (double)s.f1_weighted, (double)s.f1_macro, (double)s.auc));
    mean.acc += s.acc / nfiles;
    mean.f1 += s.f1 / nfiles;
    mean.f1_weighted += s.f1_weighted / nfiles;
    mean.f1_macro += s.f1_macro / nfiles;
    mean.auc += s.auc / nfiles;
    if (f == 0 && hasp1) {
      PetscReal worst = 0;
      for (PetscInt i = 0; i < np && i < n; i++) worst = PetscMax(worst, PetscAbsReal(prob[i * C + 1] - p1[i]));
      PetscCall(PetscPrintf(PETSC_COMM_SELF,
                            "  probabilities of class 1, first %" PetscInt_FMT
                            " test samples: largest difference from the reference %.2e%s\n",
                            np, (double)worst, worst <= ptol ? "" : " FAIL"));
      fails += worst > ptol;
    }
    PetscCall(PetscFree(prob));
    PetscCall(PetscFree(files[f]));
  }
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "mean over %" PetscInt_FMT " output(s):\n", nfiles));
  fails += Compare("ACC", mean.acc, has[0], refs[0], tol);
  fails += Compare("F1", mean.f1, has[1], refs[1], tol);
  fails += Compare("F1 weighted", mean.f1_weighted, has[2], refs[2], tol);
  fails += Compare("F1 macro", mean.f1_macro, has[3], refs[3], tol);
  fails += Compare("AUC", mean.auc, has[4], refs[4], tol);
  if (mean.acc < mins[0] || mean.f1 < mins[1] || mean.auc < mins[2]) {
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAIL: below the thresholds ACC %.3f F1 %.3f AUC %.3f\n", (double)mins[0],
                          (double)mins[1], (double)mins[2]));
    fails++;
  }
  if (baseline[0]) {
    GepClassifierScores b;
    PetscReal          *prob;
    PetscInt            n, C;

    PetscCall(ScoreClassifier(baseline, labels, &b, &prob, &n, &C));
    PetscCall(PetscFree(prob));
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "against the baseline %s:\n", baseline));
    fails += AtLeast("ACC", mean.acc, b.acc, gap);
    fails += AtLeast("F1", mean.f1, b.f1, gap);
    fails += AtLeast("AUC", mean.auc, b.auc, gap);
  }
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
