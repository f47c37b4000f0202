/* Classification metrics as scikit-learn defines them: accuracy; F1 per class
   2 TP / (2 TP + FP + FN) (0 for a class never true nor predicted), averaged
   weighted by the classes' true counts and unweighted (macro), and for two
   classes that of class 1 (the binary F1); ROC AUC for two
   classes from the probability of class 1 (Mann-Whitney U with tied scores
   given their mean rank). The predicted class is the first most probable.
   Regression: RMSE, MAE, R^2 = 1 - SSE / SST (scikit-learn's r2_score) and
   Pearson's r. */
#include "gepgnn.h"

static PetscErrorCode BinaryAUC(PetscInt n, const PetscReal prob[], const PetscInt y[], PetscReal *auc)
{
  PetscReal *s, rsum   = 0;
  PetscInt  *idx, npos = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(n, &s, n, &idx));
  for (PetscInt i = 0; i < n; i++) {
    /* a NaN would never equal itself in the run of ties below */
    PetscCheck(!PetscIsInfOrNanReal(prob[2 * i + 1]), PETSC_COMM_SELF, PETSC_ERR_FP,
               "AUC: the probability of sample %" PetscInt_FMT " is %s", i + 1,
               PetscIsNanReal(prob[2 * i + 1]) ? "NaN" : "infinite");
    s[i]   = prob[2 * i + 1];
    idx[i] = i;
    npos += y[i] == 1;
  }
  PetscCall(PetscSortRealWithArrayInt(n, s, idx));
  for (PetscInt i = 0; i < n;) { /* a run of tied scores shares the mean of its ranks */
    PetscInt j = i;
    while (j < n && s[j] == s[i]) j++;
    for (PetscInt q = i; q < j; q++)
      if (y[idx[q]] == 1) rsum += 0.5 * (i + 1 + j);
    i = j;
  }
  *auc = (npos > 0 && npos < n) ? (rsum - 0.5 * npos * (npos + 1)) / ((PetscReal)npos * (n - npos)) : NAN;
  PetscCall(PetscFree2(s, idx));
  PetscFunctionReturn(0);
}

PetscErrorCode GepClassifierScore(PetscInt n, PetscInt C, const PetscReal prob[], const PetscInt y[],
                                  GepClassifierScores *s)
{
  PetscInt *tp, *pred, *truth, right = 0;

  PetscFunctionBegin;
  PetscCheck(n > 0, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "no samples to evaluate");
  PetscCall(PetscCalloc3(C, &tp, C, &pred, C, &truth));
  for (PetscInt i = 0; i < n; i++) {
    PetscInt best = 0;
    PetscCheck(y[i] >= 0 && y[i] < C, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "label %" PetscInt_FMT " is outside the classes 0..%" PetscInt_FMT, y[i], C - 1);
    for (PetscInt c = 1; c < C; c++)
      if (prob[i * C + c] > prob[i * C + best]) best = c;
    pred[best]++;
    truth[y[i]]++;
    if (best == y[i]) {
      tp[best]++;
      right++;
    }
  }
  s->acc         = (PetscReal)right / n;
  s->f1_weighted = s->f1_macro = 0;
  for (PetscInt c = 0; c < C; c++) {
    PetscInt  den = pred[c] + truth[c]; /* 2 TP + FP + FN */
    PetscReal f1  = den ? 2.0 * tp[c] / den : 0.0;
    s->f1_weighted += f1 * truth[c] / n;
    s->f1_macro += f1 / C;
    if (C == 2 && c == 1) s->f1 = f1;
  }
  if (C != 2) s->f1 = s->f1_weighted;
  s->auc = NAN;
  if (C == 2) PetscCall(BinaryAUC(n, prob, y, &s->auc));
  PetscCall(PetscFree3(tp, pred, truth));
  PetscFunctionReturn(0);
}

PetscErrorCode GepRegressionScore(PetscInt n, const PetscReal pred[], const PetscReal t[], GepRegressionScores *s)
{
  PetscReal mt = 0, mp = 0, sse = 0, sae = 0, stt = 0, spp = 0, stp = 0;

  PetscFunctionBegin;
  PetscCheck(n > 0, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "no samples to evaluate");
  for (PetscInt i = 0; i < n; i++) {
    mt += t[i] / n;
    mp += pred[i] / n;
  }
  for (PetscInt i = 0; i < n; i++) {
    PetscReal e = pred[i] - t[i], dt = t[i] - mt, dp = pred[i] - mp;
    sse += e * e;
    sae += PetscAbsReal(e);
    stt += dt * dt;
    spp += dp * dp;
    stp += dt * dp;
  }
  s->rmse = PetscSqrtReal(sse / n);
  s->mae  = sae / n;
  s->r2   = stt > 0 ? 1.0 - sse / stt : NAN;
  s->r    = stt > 0 && spp > 0 ? stp / PetscSqrtReal(stt * spp) : NAN;
  PetscFunctionReturn(0);
}
