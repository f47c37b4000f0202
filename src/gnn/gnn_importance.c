/* Feature importance of a trained GepGNN, per view, on the test split:
   - ablation, MOGONET's method: a feature set to 0 in every sample (training
     and test), the view's graphs rebuilt, the test split predicted again;
     importance = (F1 - F1 without the feature) x D, with F1 of class 1 for two
     classes, else macro F1 (as MOGONET's feat_importance.py), and R^2 for a
     regression; for the
     feature-graph model the feature's signal is set to 0 (no graph to rebuild);
   - gradient x input: the sum over all samples (graph nodes) of
     |x_nj dL/dx_nj|, L = sum over test samples of log p(true class) (the
     predicted class without test labels; a regression's output), divided by
     the test samples. */
#include "gnnimpl.h"

/* Cosine statistics of one sample set, so that a feature's ablation costs
   O(N^2) instead of O(N^2 D): zeroing feature j subtracts x_ij x_kj from the
   dot products and x_ij^2 from the squared norms (both symmetric bitwise). */
typedef struct {
  PetscInt     N, nloc, rstart;
  PetscMPIInt *counts, *displs; /* the ranks' rows, to gather a feature column */
  PetscReal   *G, *nsq, *col, *nsqj, *dist;
} CosineStats;

static PetscErrorCode CosineStatsCreate(MPI_Comm comm, PetscInt N, PetscInt nloc, PetscInt D, const PetscReal *Xc,
                                        CosineStats *c)
{
  PetscReal  *Xr;
  PetscMPIInt size, n;

  PetscFunctionBegin;
  c->N    = N;
  c->nloc = nloc;
  PetscCallMPI(MPI_Scan(&nloc, &c->rstart, 1, MPIU_INT, MPI_SUM, comm));
  c->rstart -= nloc;
  PetscCall(GepGNNRowMajor(nloc, D, Xc, &Xr));
  PetscCall(GepGraphCosineGram(comm, N, D, nloc, Xr, &c->G, &c->nsq));
  PetscCall(PetscFree(Xr));
  PetscCall(PetscMalloc3(N, &c->col, N, &c->nsqj, nloc * N + 1, &c->dist));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMalloc2(size, &c->counts, size, &c->displs));
  PetscCall(PetscMPIIntCast(nloc, &n));
  PetscCallMPI(MPI_Allgather(&n, 1, MPI_INT, c->counts, 1, MPI_INT, comm));
  c->displs[0] = 0;
  for (PetscMPIInt r = 1; r < size; r++) c->displs[r] = c->displs[r - 1] + c->counts[r - 1];
  PetscFunctionReturn(0);
}

/* the distances with feature column (nloc local values) zeroed */
static PetscErrorCode CosineStatsAblate(MPI_Comm comm, CosineStats *c, const PetscReal *column)
{
  PetscMPIInt rank;
  PetscInt    N = c->N;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Allgatherv(column, c->counts[rank], MPIU_REAL, c->col, c->counts, c->displs, MPIU_REAL, comm));
  for (PetscInt k = 0; k < N; k++) c->nsqj[k] = PetscSqrtReal(PetscMax(c->nsq[k] - c->col[k] * c->col[k], 0.0));
  for (PetscInt i = 0; i < c->nloc; i++) {
    PetscInt  r  = c->rstart + i;
    PetscReal ni = c->nsqj[r];
    for (PetscInt k = 0; k < N; k++)
      c->dist[i * N + k] = 1.0 - (c->G[i * N + k] - c->col[r] * c->col[k]) / PetscMax(ni * c->nsqj[k], 1e-8);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode CosineStatsDestroy(CosineStats *c)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(c->G));
  PetscCall(PetscFree(c->nsq));
  PetscCall(PetscFree3(c->col, c->nsqj, c->dist));
  PetscCall(PetscFree2(c->counts, c->displs));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNSampleAblation(GepGNN g, PetscInt m, PetscReal *imp)
{
  GepGNNViewData *v = &g->v[m];
  Mat             Aall;
  PetscReal      *col_tr, *col_all, *Z[GEP_GNN_MAX_VIEWS], f1, sj, t;
  CosineStats     ctr, call;

  PetscFunctionBegin;
  /* the other views' outputs do not change: computed once */
  PetscCall(GepGNNSetNodes(g, GEP_GNN_NODES_TEST));
  for (PetscInt q = 0; q < g->M; q++) {
    PetscReal *Zq;
    PetscCall(GepGNNStackForward(&g->v[q].net, g->v[q].Xall, 0, &Zq));
    PetscCall(PetscArraycpy(g->dZ[q], Zq, g->nall * g->C));
    Z[q] = g->dZ[q];
  }
  PetscCall(GepGNNFuse(g, GEP_GNN_NODES_TEST, Z));
  PetscCall(GepGNNScoreTest(g, &f1));
  PetscCall(CosineStatsCreate(g->comm, g->Ntr, g->ntr, v->D, v->Xtr, &ctr));
  PetscCall(CosineStatsCreate(g->comm, g->Ntr + g->Nte, g->nall, v->D, v->Xall, &call));
  PetscCall(PetscMalloc2(g->ntr + 1, &col_tr, g->nall + 1, &col_all));
  for (PetscInt j = 0; j < v->D; j++) {
    PetscCall(PetscArraycpy(col_tr, v->Xtr + j * g->ntr, g->ntr)); /* the training rows only shape the threshold */
    PetscCall(PetscArraycpy(col_all, v->Xall + j * g->nall, g->nall));
    PetscCall(CosineStatsAblate(g->comm, &ctr, col_tr));
    PetscCall(GepGraphSampleSimilarityThreshold(g->comm, g->Ntr, g->ntr, ctr.dist, g->k, &t));
    PetscCall(CosineStatsAblate(g->comm, &call, col_all));
    PetscCall(GepGraphSampleSimilarityNewFromDistances(g->comm, g->Ntr + g->Nte, g->nall, call.dist, g->Ntr, t, &Aall));
    PetscCall(PetscArrayzero(v->Xall + j * g->nall, g->nall));
    PetscCall(GepGNNStackSetNodes(&v->net, g->nall, g->Ntr + g->Nte, Aall));
    PetscCall(GepGNNStackForward(&v->net, v->Xall, 0, &Z[m]));
    PetscCall(GepGNNFuse(g, GEP_GNN_NODES_TEST, Z));
    PetscCall(GepGNNScoreTest(g, &sj));
    imp[j] = (f1 - sj) * v->D;
    PetscCall(MatDestroy(&Aall));
    PetscCall(PetscArraycpy(v->Xall + j * g->nall, col_all, g->nall));
  }
  PetscCall(GepGNNSetNodes(g, GEP_GNN_NODES_TRAIN));
  PetscCall(PetscFree2(col_tr, col_all));
  PetscCall(CosineStatsDestroy(&ctr));
  PetscCall(CosineStatsDestroy(&call));
  PetscCall(GepGNNPredict(g, NULL)); /* the model's own scores again */
  PetscFunctionReturn(0);
}

/* the feature-graph model's ablation: each feature's signal set to 0 in every sample of [training; test] (this
   rank's part of the signals), the test split predicted again; the trained
   networks do not change, and only view m's runs again */
PetscErrorCode GepGNNFeatureAblation(GepGNN g, PetscInt m, PetscReal *imp)
{
  GepGNNViewData *v = &g->v[m];
  PetscInt        ns, s0, dstart = v->fnet.dstart, dloc = v->fnet.dloc;
  PetscReal      *XT = v->XT[GEP_GNN_NODES_TEST], *Z[GEP_GNN_MAX_VIEWS], *save, f1, sj;

  PetscFunctionBegin;
  GepGNNFeatureSignals(g, GEP_GNN_NODES_TEST, &ns, &s0); /* this rank's signals */
  PetscCall(GepGNNSetNodes(g, GEP_GNN_NODES_TEST));
  for (PetscInt q = 0; q < g->M; q++)
    PetscCall(GepGNNViewForward(g, q, GEP_GNN_NODES_TEST, 0, &Z[q])); /* each view's own array: the others' stay */
  PetscCall(GepGNNFuse(g, GEP_GNN_NODES_TEST, Z));
  PetscCall(GepGNNScoreTest(g, &f1));
  PetscCall(PetscMalloc1(ns + 1, &save));
  for (PetscInt j = 0; j < v->D; j++) {
    PetscBool mine = (PetscBool)(j >= dstart && j < dstart + dloc);
    for (PetscInt s = 0; mine && s < ns; s++) {
      save[s]                     = XT[(j - dstart) + dloc * s];
      XT[(j - dstart) + dloc * s] = 0.0;
    }
    PetscCall(GepGNNViewForward(g, m, GEP_GNN_NODES_TEST, 0, &Z[m]));
    PetscCall(GepGNNFuse(g, GEP_GNN_NODES_TEST, Z));
    PetscCall(GepGNNScoreTest(g, &sj));
    imp[j] = (f1 - sj) * v->D;
    for (PetscInt s = 0; mine && s < ns; s++) XT[(j - dstart) + dloc * s] = save[s];
  }
  PetscCall(PetscFree(save));
  PetscCall(GepGNNSetNodes(g, GEP_GNN_NODES_TRAIN));
  PetscCall(GepGNNPredict(g, NULL)); /* the model's own scores again */
  PetscFunctionReturn(0);
}

/* dL/dlogits of L = sum over local test rows of log softmax(Y)_c, c the true (or predicted) class; regression:
   of L = sum over local test rows of the output */
static void LogProbGradient(GepGNN g, const PetscReal *Y, PetscReal *dY)
{
  PetscInt n = g->nall;

  for (PetscInt i = 0; i < n; i++) {
    PetscInt  r = g->rall + i, c = 0;
    PetscReal mx = PETSC_MIN_REAL, s = 0;

    for (PetscInt q = 0; q < g->C; q++) dY[q * n + i] = 0;
    if (r < g->Ntr) continue;
    if (g->regression) {
      dY[i] = 1.0;
      continue;
    }
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
  PetscInt   n = g->nall;
  PetscReal *Z[GEP_GNN_MAX_VIEWS], *Y, *dY = g->dY;

  PetscFunctionBegin;
  PetscCall(GepGNNSetNodes(g, GEP_GNN_NODES_TEST));
  for (PetscInt m = 0; m < g->M; m++)
    PetscCall(
      GepGNNViewForward(g, m, GEP_GNN_NODES_TEST, 0, &Z[m])); /* each view's own array; dZ must not alias them */
  if (g->M > 1) {
    PetscCall(GepGNNFusionFeatures(g->fusion_type, n, g->M, g->C, Z, g->F));
    PetscCall(GepGNNStackForward(&g->fusion, g->F, 0, &Y));
    LogProbGradient(g, Y, dY);
    {
      PetscReal *dF;
      PetscCall(PetscMalloc1(n * g->fusion.layer[0].fin + 1, &dF));
      PetscCall(GepGNNStackBackward(&g->fusion, g->F, dY, dF));
      PetscCall(GepGNNFusionBackward(g->fusion_type, n, g->M, g->C, Z, dF, g->dZ));
      PetscCall(PetscFree(dF));
    }
  } else {
    LogProbGradient(g, Z[0], dY);
    PetscCall(PetscArraycpy(g->dZ[0], dY, n * g->C));
  }
  for (PetscInt m = 0; m < g->M; m++) PetscCall(g->vnet->gradientinput(g, m, g->dZ[m], imp[m]));
  PetscCall(GepGNNSetNodes(g, GEP_GNN_NODES_TRAIN));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNComputeImportance(GepGNN g)
{
  PetscFunctionBegin;
  PetscCheck(g->trained, g->comm, PETSC_ERR_ORDER, "GepGNNTrain() first");
  if (g->importance == GEP_GNN_IMPORTANCE_NONE || !g->vnet)
    PetscFunctionReturn(0); /* the linear model's weights say it */
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
    PetscCheck(GepGNNTestLabelled(g), g->comm, PETSC_ERR_USER,
               "ablation importance needs the test labels (-gnn_test_labels)");
    for (PetscInt m = 0; m < g->M; m++) {
      if (g->progress)
        PetscCall(PetscPrintf(g->comm, "  ablation importance: view %s, %" PetscInt_FMT " features\n", g->v[m].name,
                              g->v[m].D));
      PetscCall(g->vnet->ablation(g, m, g->v[m].imp_ablation));
    }
  }
  PetscCall(PetscLogEventEnd(GEP_GNNImportance, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* the top n features of view m by importance (descending; ties by feature order) */
PetscErrorCode GepGNNTopFeatures(GepGNN g, PetscInt m, PetscBool ablation, PetscInt n, PetscInt top[])
{
  GepGNNViewData  *v   = &g->v[m];
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
  for (PetscInt a = 0; a < v->D;) {                     /* order equal keys by feature */
    PetscInt b = a;
    while (b < v->D && key[b] == key[a]) b++;
    PetscCall(PetscSortInt(b - a, idx + a));
    a = b;
  }
  for (PetscInt i = 0; i < n && i < v->D; i++) top[i] = idx[i];
  PetscCall(PetscFree2(key, idx));
  PetscFunctionReturn(0);
}
