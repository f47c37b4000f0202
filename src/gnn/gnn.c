/* GepGNN: options, data set-up (MOGONET's layout, samples in contiguous blocks
   over the ranks), dispatch to the model (MOGONET or linear), metrics, View,
   Destroy. */
#include "gnnimpl.h"

/* the choices' names, in their enums' order (GepGNNReadout, ...) */
const char *const GepGNNReadouts[]          = {"node", "mean"};
const char *const GepGNNDistributions[]     = {"samples", "nodes"};
const char *const GepGNNWeightSchemes[]     = {"class_frequency", "none", "balanced"};
const char *const GepGNNImportanceMethods[] = {"none", "gradient", "ablation", "both"};
const char *const GepGNNPrecisions[]        = {"double", "single"};

PetscErrorCode GepGNNCreate(MPI_Comm comm, GepGNN *gnn)
{
  GepGNN g;

  PetscFunctionBegin;
  PetscValidPointer(gnn, 2);
  PetscCall(GepGNNInitializePackage());
  PetscCall(
    PetscHeaderCreate(g, GEPGNN_CLASSID, "GepGNN", "Graph neural network", "GepGNN", comm, GepGNNDestroy, GepGNNView));
  g->comm        = PetscObjectComm((PetscObject)g);
  g->weighting   = GEP_GNN_WEIGHT_FREQUENCY;
  g->k           = 2;
  g->nhidden     = 3;
  g->hidden[0]   = 200;
  g->hidden[1]   = 200;
  g->hidden[2]   = 100;
  g->hfusion     = -1; /* C^M, as MOGONET */
  g->pretrain    = 500;
  g->epochs      = 2500;
  g->seed        = 1;
  g->monitor     = 50;
  g->dropout     = 0.5;
  g->slope       = 0.25;
  g->lr_pre      = 1e-3;
  g->lr          = 5e-4;
  g->lr_fusion   = 1e-3;
  g->logistic_c  = 0.01;
  g->ridge_alpha = 1.0;
  g->progress    = PETSC_TRUE;
  PetscCall(PetscStrncpy(g->layer_type, GEPGNNLAYERGCN, sizeof(g->layer_type)));
  PetscCall(PetscStrncpy(g->group_tr, "train", sizeof(g->group_tr)));
  PetscCall(PetscStrncpy(g->group_te, "test", sizeof(g->group_te)));
  g->importance       = GEP_GNN_IMPORTANCE_GRADIENT;
  g->importance_top   = 10;
  g->patience         = 200;
  g->val_interval     = 10;
  g->graph_neighbours = PETSC_TRUE;
  g->readout          = GEP_GNN_READOUT_NODE;
  PetscCall(GepGNNSetType(g, "mogonet"));
  *gnn = g;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNSetOptionsPrefix(GepGNN g, const char prefix[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)g, prefix));
  PetscFunctionReturn(0);
}

/* -gnn_view [ascii[:file]] (under the object's prefix) */
PetscErrorCode GepGNNViewFromOptions(GepGNN x, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(x, GEPGNN_CLASSID, 1);
  PetscCall(PetscObjectViewFromOptions((PetscObject)x, obj, name));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNSetSeed(GepGNN g, PetscInt seed)
{
  PetscFunctionBegin;
  g->seed = seed;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNSetUp(GepGNN g)
{
  PetscFunctionBegin;
  if (g->setup) PetscFunctionReturn(0);
  PetscCall(GepGNNLoadData(g));
  PetscCall(GepRandomCreateSeeded(g->seed, &g->rnd));
  PetscCall(PetscMalloc1(g->Nte * g->C + 1, &g->prob));
  g->scores.acc = g->scores.f1 = g->scores.f1_weighted = g->scores.f1_macro = g->scores.auc = NAN;
  g->rscores.rmse = g->rscores.mae = g->rscores.r2 = g->rscores.r = NAN;
  PetscCall((*g->ops->setup)(g));
  g->setup = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNTrain(GepGNN g)
{
  PetscLogDouble t0, t1;

  PetscFunctionBegin;
  PetscCall(GepGNNSetUp(g));
  PetscCall(PetscTime(&t0));
  PetscCall((*g->ops->train)(g));
  PetscCall(PetscTime(&t1));
  g->time_train = t1 - t0;
  g->trained    = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNPredict(GepGNN g, const PetscReal **prob)
{
  PetscFunctionBegin;
  PetscCheck(g->setup, g->comm, PETSC_ERR_ORDER, "GepGNNSetUp() first");
  PetscCall((*g->ops->predict)(g));
  if (GepGNNTestLabelled(g)) PetscCall(GepGNNScoreTest(g, NULL));
  if (prob) *prob = g->prob;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNGatherNewProbabilities(GepGNN g, PetscInt nloc, PetscInt rfirst, const PetscReal *Z,
                                            PetscReal *prob)
{
  PetscReal  *mine;
  PetscInt    first = PetscMax(rfirst, g->Ntr), last = rfirst + nloc;
  PetscMPIInt size, n, *counts, *displs;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(g->comm, &size));
  PetscCall(PetscMalloc1(PetscMax(last - first, 0) * g->C + 1, &mine));
  for (PetscInt r = first; r < last; r++) {
    PetscInt  i  = r - rfirst;
    PetscReal mx = PETSC_MIN_REAL, s = 0;
    if (g->regression) { /* the output, a z-score, in the targets' units */
      mine[r - first] = g->tmu + g->tsd * Z[i];
      continue;
    }
    for (PetscInt c = 0; c < g->C; c++) mx = PetscMax(mx, Z[c * nloc + i]);
    for (PetscInt c = 0; c < g->C; c++) s += (mine[(r - first) * g->C + c] = PetscExpReal(Z[c * nloc + i] - mx));
    for (PetscInt c = 0; c < g->C; c++) mine[(r - first) * g->C + c] /= s;
  }
  PetscCall(PetscMPIIntCast(PetscMax(last - first, 0) * g->C, &n));
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  PetscCallMPI(MPI_Allgather(&n, 1, MPI_INT, counts, 1, MPI_INT, g->comm));
  displs[0] = 0;
  for (PetscMPIInt r = 1; r < size; r++) displs[r] = displs[r - 1] + counts[r - 1];
  PetscCallMPI(MPI_Allgatherv(mine, n, MPIU_REAL, prob, counts, displs, MPIU_REAL, g->comm));
  PetscCall(PetscFree2(counts, displs));
  PetscCall(PetscFree(mine));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNView(GepGNN g, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  if (!viewer) viewer = PETSC_VIEWER_STDOUT_(g->comm);
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)g, viewer));
  if (g->regression)
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "GepGNN: model %s, regression (mean squared error), %" PetscInt_FMT
                                     " training and %" PetscInt_FMT " test samples\n",
                                     ((PetscObject)g)->type_name, g->Ntr, g->Nte));
  else
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "GepGNN: model %s, %" PetscInt_FMT " classes, %" PetscInt_FMT
                                     " training and %" PetscInt_FMT " test samples\n",
                                     ((PetscObject)g)->type_name, g->C, g->Ntr, g->Nte));
  if (g->Nva)
    PetscCall(PetscViewerASCIIPrintf(viewer,
                                     "  early stopping on %" PetscInt_FMT
                                     " validation samples held out of the training file: every %" PetscInt_FMT
                                     " joint epochs, patience %" PetscInt_FMT "\n",
                                     g->Nva, g->val_interval, g->patience));
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v = &g->v[m];
    if (g->vnet) PetscCall(g->vnet->view(g, m, viewer));
    else PetscCall(PetscViewerASCIIPrintf(viewer, "  view %s: %" PetscInt_FMT " features\n", v->name, v->D));
  }
  if (g->vnet) {
    if (g->vnet->viewall) PetscCall(g->vnet->viewall(g, viewer));
    if (g->M > 1)
      PetscCall(PetscViewerASCIIPrintf(viewer, "  views fused by %s\n",
                                       g->fusion_type == GEP_GNN_FUSION_OUTPUTS ? "concatenation of their outputs"
                                       : g->fusion_type == GEP_GNN_FUSION_CONCAT
                                         ? "concatenation of their class scores"
                                         : "VCDN (outer product of their class scores)"));
    const GepGNNLayerOps *ops;
    PetscCall(GepGNNLayerTypeGetOps(g->layer_type, &ops));
    PetscCall(PetscViewerASCIIPrintf(viewer, "  %s", ops->description));
    for (PetscInt l = 0; l < g->nhidden; l++)
      PetscCall(PetscViewerASCIIPrintf(viewer, " %" PetscInt_FMT, g->hidden[l]));
    PetscCall(PetscViewerASCIIPrintf(
      viewer,
      ", LeakyReLU %g, dropout %g; epochs %" PetscInt_FMT " + %" PetscInt_FMT
      " (lr %g; %g, fusion %g); sample weights %s; seed %" PetscInt_FMT "; %s precision\n",
      (double)g->slope, (double)g->dropout, g->pretrain, g->epochs, (double)g->lr_pre, (double)g->lr,
      (double)g->lr_fusion, g->regression ? "none" : GepGNNWeightSchemes[g->weighting], g->seed,
      GepGNNPrecisions[g->single]));
  } else if (g->regression)
    PetscCall(
      PetscViewerASCIIPrintf(viewer, "  ridge regression, alpha = %g (a Cholesky solve)\n", (double)g->ridge_alpha));
  else PetscCall(PetscViewerASCIIPrintf(viewer, "  L2 logistic regression, C = %g (Tao)\n", (double)g->logistic_c));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNViewImportance(GepGNN g, PetscViewer viewer)
{
  PetscInt *top;
  PetscInt  n = g->importance_top;

  PetscFunctionBegin;
  if (!viewer) viewer = PETSC_VIEWER_STDOUT_(g->comm);
  if (g->importance == GEP_GNN_IMPORTANCE_NONE || n <= 0 || !g->v[0].imp_gradient) PetscFunctionReturn(0);
  PetscCall(PetscMalloc1(n, &top));
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v = &g->v[m];
    for (PetscInt a = 0; a < 2; a++) {
      PetscBool ablation = (PetscBool)(a == 1);
      if ((ablation && g->importance == GEP_GNN_IMPORTANCE_GRADIENT) ||
          (!ablation && g->importance == GEP_GNN_IMPORTANCE_ABLATION))
        continue;
      PetscCall(GepGNNTopFeatures(g, m, ablation, n, top));
      PetscCall(PetscViewerASCIIPrintf(viewer, "  top features of %s (%s):", v->name,
                                       ablation ? "ablation" : "gradient x input"));
      for (PetscInt i = 0; i < n && i < v->D; i++)
        PetscCall(PetscViewerASCIIPrintf(viewer, " %s (%.3g)", v->feat[top[i]],
                                         (double)(ablation ? v->imp_ablation : v->imp_gradient)[top[i]]));
      PetscCall(PetscViewerASCIIPrintf(viewer, "\n"));
    }
  }
  PetscCall(PetscFree(top));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNDestroy(GepGNN *gnn)
{
  GepGNN g = *gnn;

  PetscFunctionBegin;
  if (!g) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  if (--((PetscObject)g)->refct > 0) {
    *gnn = NULL;
    PetscFunctionReturn(0);
  }
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v = &g->v[m];
    if (v->feat) PetscCall(PetscStrArrayDestroy(&v->feat));
    PetscCall(PetscFree2(v->imp_ablation, v->imp_gradient));
    PetscCall(PetscFree(v->Xtr));
    PetscCall(PetscFree(v->Xall));
    PetscCall(PetscFree(v->Xva));
    PetscCall(MatDestroy(&v->Atr));
    PetscCall(MatDestroy(&v->Aall));
    PetscCall(MatDestroy(&v->Ava));
    if (v->net.layer) PetscCall(GepGNNStackDestroy(&v->net));
    if (v->fnet.gcn.layer) PetscCall(GepGNNFeatureNetDestroy(&v->fnet));
    PetscCall(MatDestroy(&v->Akg));
    if (v->kg.added) PetscCall(PetscStrArrayDestroy(&v->kg.added));
    for (PetscInt w = 0; w < 3; w++) PetscCall(PetscFree(v->XT[w]));
    PetscCall(PetscFree3(v->Zrep, v->Zloc, v->dZrep));
    PetscCall(PetscFree(g->dZ[m]));
  }
  if (g->fusion.layer) PetscCall(GepGNNStackDestroy(&g->fusion));
  if (g->lin.W) PetscCall(GepGNNLayerDestroy(&g->lin));
  PetscCall(PetscFree2(g->mu, g->sd));
  PetscCall(PetscFree2(g->F, g->dY));
  PetscCall(PetscFree2(g->ytr, g->wtr));
  PetscCall(PetscFree(g->yte));
  PetscCall(PetscFree2(g->ttr, g->tva));
  PetscCall(PetscFree(g->tte));
  PetscCall(PetscFree(g->tr_va));
  PetscCall(PetscFree(g->tr_te));
  PetscCall(GepGNNCloseData(g));
  PetscCall(PetscFree(g->prob));
  PetscCall(PetscFree(g->curve));
  PetscCall(PetscFree2(g->yva, g->pva));
  PetscCall(PetscFree(g->valcurve));
  PetscCall(PetscFree(g->loss));
  PetscCall(PetscRandomDestroy(&g->rnd));
  PetscCall(PetscHeaderDestroy(gnn));
  PetscFunctionReturn(0);
}
