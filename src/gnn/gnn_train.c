/* MOGONET's model and schedule (Wang et al., Nat. Commun. 2021): per view a
   stack of graph convolutions over the view's training-sample graph (LeakyReLU,
   dropout between them) and a linear classifier, trained with its own Adam on
   the weighted cross-entropy; after -gnn_pretrain_epochs, new optimisers and
   joint training: every epoch each view's step, then the VCDN's step on the
   outer product of the views' class probabilities (a fresh forward pass, so
   fresh dropout). Prediction runs the networks on the graph of training and
   test samples (edges only between the two). */
#include "gnnimpl.h"

/* a non-zero 64-bit key from the seeded stream (the same on every rank) */
static PetscErrorCode DrawKey(PetscRandom rnd, uint64_t *key)
{
  PetscReal a, b;

  PetscFunctionBegin;
  PetscCall(PetscRandomGetValueReal(rnd, &a));
  PetscCall(PetscRandomGetValueReal(rnd, &b));
  *key = ((uint64_t)(a * 4294967296.0) << 32) ^ (uint64_t)(b * 4294967296.0);
  if (!*key) *key = 1;
  PetscFunctionReturn(0);
}

/* the views' networks (sample graphs or knowledge graphs), then the VCDN, and the work arrays */
PetscErrorCode GepGNNSetUpMOGONET(GepGNN g)
{
  PetscInt        sizes[2], K = 1;
  GepGNNLayerType type[2] = {GEPGNNLAYERDENSE, GEPGNNLAYERDENSE};

  PetscFunctionBegin;
  PetscCall(g->vnet->setup(g));
  for (PetscInt m = 0; m < g->M; m++)
    PetscCall(PetscMalloc1(PetscMax(PetscMax(g->ntr, g->nall), g->nva) * g->C + 1, &g->dZ[m]));
  if (g->M > 1 && g->regression && g->hfusion <= 0) { /* the views' predictions averaged, the weights then learnt */
    K        = g->M;
    sizes[0] = 1;
    PetscCall(GepGNNStackSetUp(&g->fusion, g->comm, 1, sizes, type, K, g->ntr, g->Ntr, NULL, 1.0, 0.0, g->rnd));
    for (PetscInt m = 0; m < g->M; m++) g->fusion.layer[0].W[m] = 1.0 / g->M;
  } else if (g->M > 1) {
    K        = GepGNNFusionWidth(g->fusion_type, g->M, g->C);
    sizes[0] = g->hfusion > 0 ? g->hfusion : K;
    sizes[1] = g->C;
    PetscCall(GepGNNStackSetUp(&g->fusion, g->comm, 2, sizes, type, K, g->ntr, g->Ntr, NULL, g->slope, 0.0, g->rnd));
  }
  PetscCall(PetscMalloc2(PetscMax(PetscMax(g->ntr, g->nall), g->nva) * K + 1, &g->F,
                         PetscMax(PetscMax(g->ntr, g->nall), g->nva) * g->C + 1, &g->dY));
  PetscFunctionReturn(0);
}

/* one view's step: forward with fresh dropout, the training loss, backward, Adam */
static PetscErrorCode ViewStep(GepGNN g, PetscInt m, PetscInt t, PetscReal lr, PetscReal *loss)
{
  uint64_t   key;
  PetscReal *Z;

  PetscFunctionBegin;
  PetscCall(DrawKey(g->rnd, &key));
  PetscCall(GepGNNViewForward(g, m, GEP_GNN_NODES_TRAIN, key, &Z));
  PetscCall(GepGNNTrainingLoss(g, Z, loss, g->dY));
  PetscCall(GepGNNViewBackward(g, m, GEP_GNN_NODES_TRAIN, g->dY, NULL));
  PetscCall(GepGNNViewAdam(g, m, t, lr));
  PetscFunctionReturn(0);
}

/* the VCDN's step on the views' outputs of a fresh forward pass */
static PetscErrorCode FusionStep(GepGNN g, PetscInt t, PetscReal *loss)
{
  PetscReal *Z[GEP_GNN_MAX_VIEWS], *Y;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < g->M; m++) {
    uint64_t key;
    PetscCall(DrawKey(g->rnd, &key));
    PetscCall(GepGNNViewForward(g, m, GEP_GNN_NODES_TRAIN, key, &Z[m]));
  }
  PetscCall(GepGNNFusionFeatures(g->fusion_type, g->ntr, g->M, g->C, Z, g->F));
  PetscCall(GepGNNStackForward(&g->fusion, g->F, 0, &Y));
  PetscCall(GepGNNTrainingLoss(g, Y, loss, g->dY));
  PetscCall(GepGNNStackBackward(&g->fusion, g->F, g->dY, NULL));
  PetscCall(GepGNNStackAdam(&g->fusion, t, g->lr_fusion, 0.0));
  PetscFunctionReturn(0);
}

static PetscErrorCode Monitor(GepGNN g, PetscInt epoch, PetscReal loss)
{
  PetscBool joint = (PetscBool)(epoch >= g->pretrain);

  PetscFunctionBegin;
  PetscCall(GepGNNPredict(g, NULL));
  if (g->ncurve == g->curvecap) {
    g->curvecap = 2 * g->curvecap + 16;
    PetscCall(PetscRealloc(sizeof(PetscReal) * 7 * (size_t)g->curvecap, &g->curve));
  }
  g->curve[7 * g->ncurve + 0] = epoch + 1;
  g->curve[7 * g->ncurve + 1] = loss;
  GepGNNScoreRow(g, &g->curve[7 * g->ncurve + 2]);
  g->ncurve++;
  if (g->progress) {
    if (!GepGNNTestLabelled(g))
      PetscCall(PetscPrintf(g->comm, "  epoch %5" PetscInt_FMT " (%s): loss %.4f\n", epoch + 1,
                            joint ? "joint" : "pre-training", (double)loss));
    else if (g->regression)
      PetscCall(PetscPrintf(g->comm, "  epoch %5" PetscInt_FMT " (%s): loss %.4f   test RMSE %.4f  R2 %.3f  r %.3f\n",
                            epoch + 1, joint ? "joint" : "pre-training", (double)loss, (double)g->rscores.rmse,
                            (double)g->rscores.r2, (double)g->rscores.r));
    else
      PetscCall(PetscPrintf(g->comm, "  epoch %5" PetscInt_FMT " (%s): loss %.4f   test ACC %.3f  F1 %.3f  AUC %.3f\n",
                            epoch + 1, joint ? "joint" : "pre-training", (double)loss, (double)g->scores.acc,
                            (double)g->scores.f1, (double)g->scores.auc));
  }
  PetscFunctionReturn(0);
}

/* all weights of the views' networks and the VCDN to (get) or from buf */
static PetscErrorCode CopyModel(GepGNN g, PetscBool get, PetscReal *buf)
{
  PetscFunctionBegin;
  for (PetscInt m = 0; m < g->M; m++) {
    PetscCall(GepGNNViewCopyParameters(g, m, get, buf));
    buf += GepGNNViewNumParameters(g, m);
  }
  if (g->M > 1) PetscCall(GepGNNStackCopyParameters(&g->fusion, get, buf));
  PetscFunctionReturn(0);
}

/* early stopping: the validation loss every val_interval epochs of joint training;
   the best weights kept; *stop when patience epochs brought no improvement */
static PetscErrorCode EarlyStopping(GepGNN g, PetscInt e, PetscReal *best, PetscReal *saved, PetscBool *stop)
{
  PetscReal loss;

  PetscFunctionBegin;
  *stop = PETSC_FALSE;
  if (!g->Nva || e < g->pretrain || (e + 1 - g->pretrain) % g->val_interval) PetscFunctionReturn(0);
  PetscCall(GepGNNValidationLoss(g, &loss));
  if (g->nval == g->valcap) {
    g->valcap = 2 * g->valcap + 16;
    PetscCall(PetscRealloc(sizeof(PetscReal) * 2 * (size_t)g->valcap, &g->valcurve));
  }
  g->valcurve[2 * g->nval]     = e + 1;
  g->valcurve[2 * g->nval + 1] = loss;
  g->nval++;
  if (loss < *best) {
    *best         = loss;
    g->best_epoch = e + 1;
    PetscCall(CopyModel(g, PETSC_TRUE, saved));
  } else if (e + 1 - g->best_epoch >= g->patience) *stop = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/* epoch e: new optimisers where a phase starts (as MOGONET creates them), a step of every view's network and, in
   joint training, of the fusion; the loss summed over the ranks, so that every rank stops together on divergence */
static PetscErrorCode Epoch(GepGNN g, PetscInt e, PetscInt *t, PetscInt *tc, PetscReal *loss)
{
  PetscBool joint = (PetscBool)(e >= g->pretrain);
  PetscReal l;

  PetscFunctionBegin;
  if (e == 0 || e == g->pretrain) {
    *t = *tc = 0;
    for (PetscInt m = 0; m < g->M; m++) PetscCall(GepGNNViewAdam(g, m, 0, 0));
    if (g->M > 1) PetscCall(GepGNNStackAdam(&g->fusion, 0, 0, 0));
  }
  (*t)++;
  *loss = 0;
  for (PetscInt m = 0; m < g->M; m++) {
    PetscCall(ViewStep(g, m, *t, joint ? g->lr : g->lr_pre, &l));
    *loss += l;
  }
  if (joint && g->M > 1) {
    PetscCall(FusionStep(g, ++*tc, &l));
    *loss += l;
  }
  PetscCheck(!PetscIsInfOrNanReal(*loss), g->comm, PETSC_ERR_NOT_CONVERGED,
             "training diverged: the loss is %s at epoch %" PetscInt_FMT " (%s); lower the learning rate (%s)",
             PetscIsNanReal(*loss) ? "NaN" : "infinite", e + 1, joint ? "joint training" : "pre-training",
             joint ? "-gnn_lr, -gnn_lr_fusion" : "-gnn_lr_pretrain");
  PetscFunctionReturn(0);
}

/* the times per epoch of the two phases; the first epoch also creates the graph products and touches the
   activations' memory for the first time */
static PetscErrorCode ReportTimes(GepGNN g, PetscLogDouble tpre, PetscLogDouble tjoint, PetscLogDouble tmon,
                                  PetscLogDouble tfirst)
{
  PetscFunctionBegin;
  if (!g->progress) PetscFunctionReturn(0);
  PetscCall(PetscPrintf(
    g->comm,
    "  time per epoch: pre-training %.2f ms, joint %.2f ms (%.2f s evaluating the test and validation splits)\n",
    1e3 * tpre / PetscMax(PetscMin(g->epochs_run, g->pretrain), 1),
    1e3 * tjoint / PetscMax(g->epochs_run - g->pretrain, 1), tmon));
  if (g->epochs_run > 1)
    PetscCall(PetscPrintf(g->comm,
                          "  first epoch %.2f ms (with the set-up of the graph products), later epochs %.2f ms on "
                          "average\n",
                          1e3 * tfirst, 1e3 * (tpre + tjoint - tfirst) / (g->epochs_run - 1)));
  PetscFunctionReturn(0);
}

/* early stopping: the best epoch's weights back into the networks */
static PetscErrorCode RestoreBest(GepGNN g, PetscReal best, const PetscReal *saved, PetscBool stopped)
{
  PetscReal again;

  PetscFunctionBegin;
  if (!g->Nva || !g->best_epoch) PetscFunctionReturn(0);
  PetscCall(CopyModel(g, PETSC_FALSE, (PetscReal *)saved));
  PetscCall(GepGNNValidationLoss(g, &again));
  if (g->progress)
    PetscCall(PetscPrintf(
      g->comm,
      "  early stopping: epochs run %" PetscInt_FMT "; best epoch %" PetscInt_FMT
      " (its weights kept); validation loss %.6f over %" PetscInt_FMT " samples; recomputed %.6f; %s\n",
      g->epochs_run, g->best_epoch, (double)best, g->Nva, (double)again, stopped ? "stopped" : "completed"));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNTrainMOGONET(GepGNN g)
{
  PetscInt       total = g->pretrain + g->epochs, t = 0, tc = 0, np = 0;
  PetscLogDouble t0, t1, tpre = 0, tjoint = 0, tmon = 0, tfirst = 0;
  PetscReal      best = PETSC_MAX_REAL, *saved = NULL;
  PetscBool      stop = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_GNNTrain, 0, 0, 0, 0));
  PetscCall(PetscFree(g->loss));
  PetscCall(PetscMalloc1(total + 1, &g->loss));
  if (g->Nva) {
    for (PetscInt m = 0; m < g->M; m++) np += GepGNNViewNumParameters(g, m);
    if (g->M > 1) np += GepGNNStackNumParameters(&g->fusion);
    PetscCall(PetscMalloc1(np, &saved));
  }
  g->best_epoch = g->epochs_run = 0;
  g->nval                       = 0;
  if (g->vnet->fixinput) PetscCall(g->vnet->fixinput(g, PETSC_TRUE)); /* no table changes while training */
  for (PetscInt e = 0; e < total && !stop; e++) {
    PetscReal loss = 0;

    PetscCall(PetscTime(&t0));
    PetscCall(Epoch(g, e, &t, &tc, &loss));
    g->loss[e]    = loss;
    g->epochs_run = e + 1;
    PetscCall(PetscTime(&t1));
    if (e >= g->pretrain) tjoint += t1 - t0;
    else tpre += t1 - t0;
    if (e == 0) tfirst = t1 - t0;
    if (g->monitor > 0 && ((e + 1) % g->monitor == 0 || e + 1 == total)) PetscCall(Monitor(g, e, loss));
    PetscCall(EarlyStopping(g, e, &best, saved, &stop));
    PetscCall(PetscTime(&t0));
    tmon += t0 - t1;
  }
  PetscCall(RestoreBest(g, best, saved, stop));
  PetscCall(PetscFree(saved));
  if (g->vnet->fixinput) PetscCall(g->vnet->fixinput(g, PETSC_FALSE));
  PetscCall(ReportTimes(g, tpre, tjoint, tmon, tfirst));
  PetscCall(PetscLogEventEnd(GEP_GNNTrain, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* MOGONET: graph convolutions over each view's sample-similarity graph, fused by VCDN */
PetscErrorCode GepGNNCreate_MOGONET(GepGNN g)
{
  PetscFunctionBegin;
  g->vnet         = &GepGNNSampleNetOps;
  g->ops->setup   = GepGNNSetUpMOGONET;
  g->ops->train   = GepGNNTrainMOGONET;
  g->ops->predict = GepGNNPredictMOGONET;
  PetscFunctionReturn(0);
}
