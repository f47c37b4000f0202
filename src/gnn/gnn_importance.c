/* Feature importance of a trained GepGNN, per view, on the test split:
   - ablation, MOGONET's method: a feature set to 0 in every sample (training
     and test), the view's graphs rebuilt, the test split predicted again;
     importance = (F1 - F1 without the feature) x D, with F1 of class 1 for two
     classes, else macro F1 (as MOGONET's feat_importance.py);
   - gradient x input: the sum over all samples (graph nodes) of
     |x_nj dL/dx_nj|, L = sum over test samples of log p(true class) (the
     predicted class without test labels), divided by the test samples. */
#include "gnnimpl.h"

static PetscReal F1Of(GepGNN g)
{
  return g->C == 2 ? g->scores.f1 : g->scores.f1_macro;
}

static PetscErrorCode BuildGraphs(GepGNN g, GepGNNViewData *v, Mat *Atr, Mat *Aall)
{
  PetscReal *Xr, t;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(PetscMax(g->ntr, g->nall) * v->D + 1, &Xr));
  for (PetscInt i = 0; i < g->ntr; i++)
    for (PetscInt d = 0; d < v->D; d++) Xr[i * v->D + d] = v->Xtr[d * g->ntr + i];
  PetscCall(GepGraphSampleSimilarity(g->comm, g->Ntr, v->D, g->ntr, Xr, g->k, Atr, &t));
  for (PetscInt i = 0; i < g->nall; i++)
    for (PetscInt d = 0; d < v->D; d++) Xr[i * v->D + d] = v->Xall[d * g->nall + i];
  PetscCall(GepGraphSampleSimilarityNew(g->comm, g->Ntr + g->Nte, v->D, g->nall, Xr, g->Ntr, t, Aall));
  PetscCall(PetscFree(Xr));
  PetscFunctionReturn(0);
}

static PetscErrorCode Ablation(GepGNN g, PetscInt m, PetscReal *imp)
{
  GepGNNViewData *v = &g->v[m];
  Mat             Atr0 = v->Atr, Aall0 = v->Aall;
  PetscReal      *col_tr, *col_all, f1;

  PetscFunctionBegin;
  PetscCall(GepGNNPredict(g, NULL));
  f1 = F1Of(g);
  PetscCall(PetscMalloc2(g->ntr + 1, &col_tr, g->nall + 1, &col_all));
  for (PetscInt j = 0; j < v->D; j++) {
    PetscCall(PetscArraycpy(col_tr, v->Xtr + j * g->ntr, g->ntr));
    PetscCall(PetscArraycpy(col_all, v->Xall + j * g->nall, g->nall));
    PetscCall(PetscArrayzero(v->Xtr + j * g->ntr, g->ntr));
    PetscCall(PetscArrayzero(v->Xall + j * g->nall, g->nall));
    PetscCall(BuildGraphs(g, v, &v->Atr, &v->Aall));
    PetscCall(GepGNNPredict(g, NULL));
    imp[j] = (f1 - F1Of(g)) * v->D;
    PetscCall(MatDestroy(&v->Atr));
    PetscCall(MatDestroy(&v->Aall));
    v->Atr  = Atr0;
    v->Aall = Aall0;
    PetscCall(PetscArraycpy(v->Xtr + j * g->ntr, col_tr, g->ntr));
    PetscCall(PetscArraycpy(v->Xall + j * g->nall, col_all, g->nall));
  }
  PetscCall(PetscFree2(col_tr, col_all));
  PetscCall(GepGNNPredict(g, NULL)); /* the model's own scores again */
  PetscFunctionReturn(0);
}

/* dL/dlogits of L = sum over local test rows of log softmax(Y)_c, c the true (or predicted) class */
static void LogProbGradient(GepGNN g, const PetscReal *Y, PetscReal *dY)
{
  PetscInt n = g->nall;

  for (PetscInt i = 0; i < n; i++) {
    PetscInt  r = g->rall + i, c = 0;
    PetscReal mx = PETSC_MIN_REAL, s = 0;

    for (PetscInt q = 0; q < g->C; q++) dY[q * n + i] = 0;
    if (r < g->Ntr) continue;
    for (PetscInt q = 0; q < g->C; q++) mx = PetscMax(mx, Y[q * n + i]);
    for (PetscInt q = 0; q < g->C; q++) s += PetscExpReal(Y[q * n + i] - mx);
    if (g->yte) c = g->yte[r - g->Ntr];
    else
      for (PetscInt q = 1; q < g->C; q++)
        if (Y[q * n + i] > Y[c * n + i]) c = q;
    for (PetscInt q = 0; q < g->C; q++) dY[q * n + i] = (q == c ? 1.0 : 0.0) - PetscExpReal(Y[q * n + i] - mx) / s;
  }
}

static PetscErrorCode GradientInput(GepGNN g, PetscReal *const imp[])
{
  PetscInt   Nall = g->Ntr + g->Nte, n = g->nall;
  PetscReal *Z[GEP_GNN_MAX_VIEWS], *Y, *dY, *dX;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < g->M; m++) {
    PetscCall(GepGNNStackSetNodes(&g->v[m].net, n, Nall, g->v[m].Aall));
    PetscCall(GepGNNStackForward(&g->v[m].net, g->v[m].Xall, 0, &Z[m]));
  }
  PetscCall(PetscMalloc1(n * PetscMax(g->C, 1) + 1, &dY));
  if (g->M > 1) {
    PetscCall(GepGNNStackSetNodes(&g->fusion, n, Nall, NULL));
    PetscCall(GepGNNVCDNFeatures(n, g->M, g->C, Z, g->F));
    PetscCall(GepGNNStackForward(&g->fusion, g->F, 0, &Y));
    LogProbGradient(g, Y, dY);
    {
      PetscReal *dF;
      PetscCall(PetscMalloc1(n * g->fusion.layer[0].fin + 1, &dF));
      PetscCall(GepGNNStackBackward(&g->fusion, g->F, dY, dF));
      PetscCall(GepGNNVCDNBackward(n, g->M, g->C, Z, dF, g->dZ));
      PetscCall(PetscFree(dF));
    }
  } else {
    LogProbGradient(g, Z[0], dY);
    PetscCall(PetscArraycpy(g->dZ[0], dY, n * g->C));
  }
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v = &g->v[m];
    PetscCall(PetscMalloc1(n * v->D + 1, &dX));
    PetscCall(GepGNNStackBackward(&v->net, v->Xall, g->dZ[m], dX));
    for (PetscInt d = 0; d < v->D; d++) {
      imp[m][d] = 0;
      for (PetscInt i = 0; i < n; i++) imp[m][d] += PetscAbsReal(v->Xall[d * n + i] * dX[d * n + i]);
    }
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, imp[m], (PetscMPIInt)v->D, MPIU_REAL, MPI_SUM, g->comm));
    for (PetscInt d = 0; d < v->D; d++) imp[m][d] /= g->Nte;
    PetscCall(PetscFree(dX));
  }
  PetscCall(PetscFree(dY));
  for (PetscInt m = 0; m < g->M; m++) PetscCall(GepGNNStackSetNodes(&g->v[m].net, g->ntr, g->Ntr, g->v[m].Atr));
  if (g->M > 1) PetscCall(GepGNNStackSetNodes(&g->fusion, g->ntr, g->Ntr, NULL));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNComputeImportance(GepGNN g)
{
  PetscFunctionBegin;
  PetscCheck(g->trained, g->comm, PETSC_ERR_ORDER, "GepGNNTrain() first");
  if (g->importance == GEP_GNN_IMPORTANCE_NONE || g->type != GEP_GNN_MOGONET) PetscFunctionReturn(0); /* the linear model's weights say it */
  PetscCall(PetscLogEventBegin(GEP_GNNImportance, 0, 0, 0, 0));
  for (PetscInt m = 0; m < g->M; m++) {
    PetscCall(PetscFree2(g->v[m].imp_ablation, g->v[m].imp_gradient));
    PetscCall(PetscCalloc2(g->v[m].D, &g->v[m].imp_ablation, g->v[m].D, &g->v[m].imp_gradient));
  }
  if (g->importance != GEP_GNN_IMPORTANCE_ABLATION) {
    PetscReal *imp[GEP_GNN_MAX_VIEWS];
    for (PetscInt m = 0; m < g->M; m++) imp[m] = g->v[m].imp_gradient;
    PetscCall(GradientInput(g, imp));
  }
  if (g->importance != GEP_GNN_IMPORTANCE_GRADIENT) {
    PetscCheck(g->yte, g->comm, PETSC_ERR_USER, "ablation importance needs the test labels (-gnn_test_labels)");
    for (PetscInt m = 0; m < g->M; m++) {
      if (g->progress) PetscCall(PetscPrintf(g->comm, "  ablation importance: view %s, %" PetscInt_FMT " features\n", g->v[m].name, g->v[m].D));
      PetscCall(Ablation(g, m, g->v[m].imp_ablation));
    }
  }
  PetscCall(PetscLogEventEnd(GEP_GNNImportance, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* the top n features of view m by importance (descending; ties by feature order) */
PetscErrorCode GepGNNTopFeatures(GepGNN g, PetscInt m, PetscBool ablation, PetscInt n, PetscInt top[])
{
  GepGNNViewData *v = &g->v[m];
  const PetscReal *imp = ablation ? v->imp_ablation : v->imp_gradient;
  PetscReal       *key;
  PetscInt        *idx;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(v->D, &key, v->D, &idx));
  for (PetscInt d = 0; d < v->D; d++) {
    key[d] = -imp[d];
    idx[d] = d;
  }
  PetscCall(PetscSortRealWithArrayInt(v->D, key, idx)); /* not stable: */
  for (PetscInt a = 0; a < v->D;) { /* order equal keys by feature */
    PetscInt b = a;
    while (b < v->D && key[b] == key[a]) b++;
    PetscCall(PetscSortInt(b - a, idx + a));
    a = b;
  }
  for (PetscInt i = 0; i < n && i < v->D; i++) top[i] = idx[i];
  PetscCall(PetscFree2(key, idx));
  PetscFunctionReturn(0);
}
