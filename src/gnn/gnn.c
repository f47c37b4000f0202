/* GepGNN: options, data set-up (MOGONET's layout, samples in contiguous blocks
   over the ranks), dispatch to the model (MOGONET or linear), metrics, View,
   Destroy. */
#include "gnnimpl.h"

static const char *const ModelTypes[]    = {"mogonet", "linear", "feature"};
static const char *const Readouts[]      = {"node", "mean"};
static const char *const Distributions[] = {"samples", "nodes"}; /* GepGNNDistribute order */
static const char *const WeightSchemes[] = {"class_frequency", "none", "balanced"};
static const char *const ImportanceMethods[] = {"none", "gradient", "ablation", "both"};
static const char *const FusionTypes[]       = {"vcdn", "concat"};
static const char *const LossTypes[]         = {"cross_entropy", "mse"};
static const char *const LayerTypes[]        = {"dense", "gcn", "gat"}; /* GepGNNLayerType order; dense is not a graph layer */
static const char *const Precisions[]        = {"double", "single"};

PetscErrorCode GepGNNCreate(MPI_Comm comm, GepGNN *gnn)
{
  GepGNN g;

  PetscFunctionBegin;
  PetscValidPointer(gnn, 2);
  PetscCall(GepGNNInitializePackage());
  PetscCall(PetscHeaderCreate(g, GEPGNN_CLASSID, "GepGNN", "Graph neural network", "GepGNN", comm, GepGNNDestroy, GepGNNView));
  g->comm       = PetscObjectComm((PetscObject)g);
  g->type       = GEP_GNN_MOGONET;
  g->weighting  = GEP_GNN_WEIGHT_FREQUENCY;
  g->k          = 2;
  g->nhidden    = 3;
  g->hidden[0]  = 200;
  g->hidden[1]  = 200;
  g->hidden[2]  = 100;
  g->hfusion    = -1; /* C^M, as MOGONET */
  g->pretrain   = 500;
  g->epochs     = 2500;
  g->seed       = 1;
  g->monitor    = 50;
  g->dropout    = 0.5;
  g->slope      = 0.25;
  g->lr_pre     = 1e-3;
  g->lr         = 5e-4;
  g->lr_fusion  = 1e-3;
  g->logistic_c = 0.01;
  g->ridge_alpha = 1.0;
  g->progress   = PETSC_TRUE;
  g->importance = GEP_GNN_IMPORTANCE_GRADIENT;
  g->importance_top = 10;
  g->patience       = 200;
  g->val_interval   = 10;
  g->graph_neighbours = PETSC_TRUE;
  g->readout          = GEP_GNN_READOUT_NODE;
  g->layer_type       = GEP_GNN_GCN;
  *gnn          = g;
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

PetscErrorCode GepGNNSetFromOptions(GepGNN g)
{
  char     *tr[GEP_GNN_MAX_VIEWS], *te[GEP_GNN_MAX_VIEWS], *fn[GEP_GNN_MAX_VIEWS], *vn[GEP_GNN_MAX_VIEWS], *gr[GEP_GNN_MAX_VIEWS];
  PetscInt  ngr = GEP_GNN_MAX_VIEWS, ro = g->readout, dist = g->distribute;
  PetscBool setgr;
  PetscInt  ntr = GEP_GNN_MAX_VIEWS, nte = GEP_GNN_MAX_VIEWS, nfn = GEP_GNN_MAX_VIEWS, nvn = GEP_GNN_MAX_VIEWS, nh = GEP_GNN_MAX_LAYERS, type = g->type, w = g->weighting, imp = g->importance;
  PetscBool settr, sette, setfn, setvn, seth, setvw;
  PetscInt  hidden[GEP_GNN_MAX_LAYERS];

  PetscFunctionBegin;
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)g);
  PetscCall(PetscOptionsStringArray("-gnn_train", "Training table of each view (headerless CSV, samples x features)", "GepGNNSetFromOptions", tr, &ntr, &settr));
  PetscCall(PetscOptionsStringArray("-gnn_test", "Test table of each view, same features", "GepGNNSetFromOptions", te, &nte, &sette));
  PetscCall(PetscOptionsStringArray("-gnn_feature_names", "Feature names of each view (one per line)", "GepGNNSetFromOptions", fn, &nfn, &setfn));
  PetscCall(PetscOptionsStringArray("-gnn_view_names", "Names of the views", "GepGNNSetFromOptions", vn, &nvn, &setvn));
  PetscCall(PetscOptionsString("-gnn_train_labels", "Training labels (one class 0..C-1 per line)", "GepGNNSetFromOptions", g->labels_tr, g->labels_tr, sizeof(g->labels_tr), NULL));
  PetscCall(PetscOptionsString("-gnn_test_labels", "Test labels (optional: metrics need them)", "GepGNNSetFromOptions", g->labels_te, g->labels_te, sizeof(g->labels_te), NULL));
  PetscCall(PetscOptionsEList("-gnn_model", "mogonet: graph convolutions over each view's sample graph fused by VCDN; feature: graph convolutions over each view's knowledge graph of features, samples as signals; linear: L2 logistic regression on the standardised, concatenated views", "GepGNNSetFromOptions", ModelTypes, 3, ModelTypes[type], &type, NULL));
  PetscCall(PetscOptionsStringArray("-gnn_graph", "Feature model: the knowledge graph of each view (edge list: source, target, optional weight or mode; 'none': self-loops only)", "GepGNNSetFromOptions", gr, &ngr, &setgr));
  PetscCall(PetscOptionsBool("-gnn_graph_strict", "Feature model: an edge naming a gene that is neither a feature nor an added neighbour is an error (else counted)", "GepGNNSetFromOptions", g->graph_strict, &g->graph_strict, NULL));
  PetscCall(PetscOptionsBool("-gnn_graph_neighbours", "Feature model: genes sharing an edge with a feature become nodes without data", "GepGNNSetFromOptions", g->graph_neighbours, &g->graph_neighbours, NULL));
  PetscCall(PetscOptionsBool("-gnn_graph_signed", "Feature model: an edge of mode Repression weighs -1", "GepGNNSetFromOptions", g->graph_signed, &g->graph_signed, NULL));
  PetscCall(PetscOptionsEList("-gnn_feature_readout", "Feature model: node (a linear map of every node's channels) or mean (channels averaged over the nodes, then a dense layer)", "GepGNNSetFromOptions", Readouts, 2, Readouts[ro], &ro, NULL));
  PetscCall(PetscOptionsEList("-gnn_feature_distribute", "Feature model: samples (every rank a copy of the graph and a block of the samples: no communication but the gradients'; the default) or nodes (the nodes in blocks, every sample: for a graph too large to copy)", "GepGNNSetFromOptions", Distributions, 2, Distributions[dist], &dist, NULL));
  PetscCall(PetscOptionsInt("-gnn_feature_chunk", "Feature model: samples per pass through the network (0: all; fewer use less memory, the gradient is the same)", "GepGNNSetFromOptions", g->chunk, &g->chunk, NULL));
  PetscCall(PetscOptionsInt("-gnn_graph_column_blocks", "A graph convolution's products on a graph held by one process (by samples, or one rank) in this many column blocks (0: by the graph's size, so that the rows gathered fit a core's L2 cache)", "GepGNNSetFromOptions", g->colblocks, &g->colblocks, NULL));
  PetscCall(PetscOptionsInt("-gnn_edges_per_node", "Sample graphs: k, the average number of edges per node", "GepGNNSetFromOptions", g->k, &g->k, NULL));
  PetscCall(PetscOptionsIntArray("-gnn_hidden", "Widths of the graph layers of each view", "GepGNNSetFromOptions", hidden, &nh, &seth));
  {
    PetscInt lt = g->layer_type - GEP_GNN_GCN;
    PetscCall(PetscOptionsEList("-gnn_layer_type", "Graph layers: gcn (graph convolution, MOGONET's) or gat (graph attention, one head)", "GepGNNSetFromOptions", LayerTypes + 1, 2, LayerTypes[g->layer_type], &lt, NULL));
    g->layer_type = (GepGNNLayerType)(lt + GEP_GNN_GCN);
  }
  {
    PetscInt  f = g->fusion_type == GEP_GNN_FUSION_VCDN ? 0 : 1, lt = g->regression ? GEP_GNN_LOSS_MSE : GEP_GNN_LOSS_CROSS_ENTROPY;
    PetscBool setf;
    PetscCall(PetscOptionsEList("-gnn_loss", "Training loss: cross_entropy (classes 0..C-1) or mse (mean squared error: the labels are real targets, one output)", "GepGNNSetFromOptions", LossTypes, 2, LossTypes[lt], &lt, NULL));
    g->regression = (PetscBool)(lt == GEP_GNN_LOSS_MSE);
    PetscCall(PetscOptionsEList("-gnn_fusion", "Fusion of the views: vcdn (outer product of their class scores, MOGONET) or concat (the scores side by side; with -gnn_loss mse the outputs)", "GepGNNSetFromOptions", FusionTypes, 2, FusionTypes[f], &f, &setf));
    PetscCheck(!(g->regression && setf && f == 0), g->comm, PETSC_ERR_USER, "-gnn_fusion vcdn fuses class scores; with -gnn_loss mse the views' outputs are fused by concat");
    g->fusion_type = g->regression ? GEP_GNN_FUSION_OUTPUTS : f == 1 ? GEP_GNN_FUSION_CONCAT : GEP_GNN_FUSION_VCDN;
  }
  {
    PetscInt p = g->single ? 1 : 0;
    PetscCall(PetscOptionsEList("-gnn_precision", "Working precision of the views' networks: double, or single (float32 GEMMs, activations, weights and Adam, as PyTorch trains; the fusion network stays double)", "GepGNNSetFromOptions", Precisions, 2, Precisions[p], &p, NULL));
    g->single = (PetscBool)(p == 1);
  }
  PetscCall(PetscOptionsInt("-gnn_fusion_hidden", "Width of the fusion network's hidden layer (-1: its input width)", "GepGNNSetFromOptions", g->hfusion, &g->hfusion, NULL));
  PetscCall(PetscOptionsReal("-gnn_dropout", "Dropout probability between graph convolutions", "GepGNNSetFromOptions", g->dropout, &g->dropout, NULL));
  PetscCall(PetscOptionsReal("-gnn_leaky_slope", "LeakyReLU slope", "GepGNNSetFromOptions", g->slope, &g->slope, NULL));
  PetscCall(PetscOptionsInt("-gnn_pretrain_epochs", "Epochs of pre-training the views' networks alone", "GepGNNSetFromOptions", g->pretrain, &g->pretrain, NULL));
  PetscCall(PetscOptionsInt("-gnn_epochs", "Epochs of joint training (views and VCDN); linear: maximum iterations", "GepGNNSetFromOptions", g->epochs, &g->epochs, NULL));
  PetscCall(PetscOptionsReal("-gnn_lr_pretrain", "Adam learning rate of pre-training", "GepGNNSetFromOptions", g->lr_pre, &g->lr_pre, NULL));
  PetscCall(PetscOptionsReal("-gnn_lr", "Adam learning rate of the views' networks in joint training", "GepGNNSetFromOptions", g->lr, &g->lr, NULL));
  PetscCall(PetscOptionsReal("-gnn_lr_fusion", "Adam learning rate of the VCDN", "GepGNNSetFromOptions", g->lr_fusion, &g->lr_fusion, NULL));
  PetscCall(PetscOptionsEList("-gnn_sample_weight", "Loss weight of a sample: class_frequency (MOGONET), none, balanced (inverse frequency)", "GepGNNSetFromOptions", WeightSchemes, 3, WeightSchemes[w], &w, NULL));
  PetscCall(PetscOptionsReal("-gnn_logistic_c", "Linear model: inverse L2 strength C (scikit-learn's)", "GepGNNSetFromOptions", g->logistic_c, &g->logistic_c, NULL));
  PetscCall(PetscOptionsReal("-gnn_ridge_alpha", "Linear model with -gnn_loss mse: L2 strength alpha (scikit-learn's Ridge)", "GepGNNSetFromOptions", g->ridge_alpha, &g->ridge_alpha, NULL));
  PetscCall(PetscOptionsInt("-gnn_seed", "Seed of the initial weights and dropout", "GepGNNSetSeed", g->seed, &g->seed, NULL));
  PetscCall(PetscOptionsInt("-gnn_monitor_interval", "Evaluate the test split and print a progress line every this many epochs (0: never)", "GepGNNSetFromOptions", g->monitor, &g->monitor, NULL));
  PetscCall(PetscOptionsBool("-gnn_progress", "Print the progress lines", "GepGNNSetFromOptions", g->progress, &g->progress, NULL));
  PetscCall(PetscOptionsReal("-gnn_validation_fraction", "Fraction of each class of the training file held out for early stopping (0: none)", "GepGNNSetFromOptions", g->valfrac, &g->valfrac, NULL));
  PetscCall(PetscOptionsInt("-gnn_validation_interval", "Evaluate the validation loss every this many epochs of joint training", "GepGNNSetFromOptions", g->val_interval, &g->val_interval, NULL));
  PetscCall(PetscOptionsInt("-gnn_patience", "Stop when the validation loss has not improved for this many epochs; the best weights are kept", "GepGNNSetFromOptions", g->patience, &g->patience, NULL));
  PetscCall(PetscOptionsEList("-gnn_importance", "Feature importance on the test split: none, gradient (x input), ablation (MOGONET's), both", "GepGNNComputeImportance", ImportanceMethods, 4, ImportanceMethods[imp], &imp, NULL));
  PetscCall(PetscOptionsInt("-gnn_importance_top", "Features listed per view", "GepGNNViewImportance", g->importance_top, &g->importance_top, NULL));
  PetscCall(PetscOptionsName("-gnn_view", "View the network after set-up ([ascii][:file])", "GepGNNViewFromOptions", &setvw));
  PetscOptionsEnd();
  g->type      = (GepGNNModelType)type;
  g->readout   = (GepGNNReadout)ro;
  g->distribute = (GepGNNDistribute)dist;
  g->weighting = (GepGNNSampleWeight)w;
  g->importance = (GepGNNImportance)imp;
  if (settr) {
    PetscCheck(sette || !ntr, g->comm, PETSC_ERR_USER, "-gnn_train given without -gnn_test");
    PetscCheck(nte == ntr, g->comm, PETSC_ERR_USER, "-gnn_train names %" PetscInt_FMT " view(s), -gnn_test %" PetscInt_FMT, ntr, nte);
    PetscCheck(!setfn || nfn == ntr, g->comm, PETSC_ERR_USER, "-gnn_feature_names names %" PetscInt_FMT " file(s) for %" PetscInt_FMT " view(s)", nfn, ntr);
    PetscCheck(!setvn || nvn == ntr, g->comm, PETSC_ERR_USER, "-gnn_view_names names %" PetscInt_FMT " view(s), -gnn_train %" PetscInt_FMT, nvn, ntr);
    g->M = ntr;
    for (PetscInt m = 0; m < ntr; m++) {
      PetscCall(PetscStrncpy(g->v[m].train, tr[m], sizeof(g->v[m].train)));
      PetscCall(PetscStrncpy(g->v[m].test, te[m], sizeof(g->v[m].test)));
      if (setfn) PetscCall(PetscStrncpy(g->v[m].featnames, fn[m], sizeof(g->v[m].featnames)));
      if (setvn) PetscCall(PetscStrncpy(g->v[m].name, vn[m], sizeof(g->v[m].name)));
      else PetscCall(PetscSNPrintf(g->v[m].name, sizeof(g->v[m].name), "view%" PetscInt_FMT, m + 1));
    }
  }
  for (PetscInt m = 0; settr && m < ntr; m++) PetscCall(PetscFree(tr[m]));
  for (PetscInt m = 0; sette && m < nte; m++) PetscCall(PetscFree(te[m]));
  for (PetscInt m = 0; setfn && m < nfn; m++) PetscCall(PetscFree(fn[m]));
  for (PetscInt m = 0; setvn && m < nvn; m++) PetscCall(PetscFree(vn[m]));
  if (setgr) {
    PetscCheck(g->type == GEP_GNN_FEATURE, g->comm, PETSC_ERR_USER, "-gnn_graph gives knowledge graphs to -gnn_model feature, not to -gnn_model %s", ModelTypes[g->type]);
    PetscCheck(ngr == g->M, g->comm, PETSC_ERR_USER, "-gnn_graph names %" PetscInt_FMT " edge list(s) for %" PetscInt_FMT " view(s) (use none for a view without)", ngr, g->M);
    for (PetscInt m = 0; m < ngr; m++) {
      PetscBool none;
      PetscCall(PetscStrcmp(gr[m], "none", &none));
      PetscCall(PetscStrncpy(g->v[m].graph, none ? "" : gr[m], sizeof(g->v[m].graph)));
      PetscCall(PetscFree(gr[m]));
    }
  }
  PetscCheck(!g->single || (g->type == GEP_GNN_MOGONET && g->layer_type == GEP_GNN_GCN), g->comm, PETSC_ERR_SUP, "-gnn_precision single is implemented for -gnn_model mogonet with -gnn_layer_type gcn, not for -gnn_model %s with %s layers", ModelTypes[g->type], LayerTypes[g->layer_type]);
  PetscCheck(g->chunk >= 0, g->comm, PETSC_ERR_USER, "-gnn_feature_chunk must be non-negative, got %" PetscInt_FMT, g->chunk);
  PetscCheck(g->colblocks >= 0, g->comm, PETSC_ERR_USER, "-gnn_graph_column_blocks must be non-negative, got %" PetscInt_FMT, g->colblocks);
  if (seth) {
    g->nhidden = nh;
    for (PetscInt l = 0; l < nh; l++) {
      PetscCheck(hidden[l] > 0, g->comm, PETSC_ERR_USER, "-gnn_hidden: widths must be positive, got %" PetscInt_FMT, hidden[l]);
      g->hidden[l] = hidden[l];
    }
  }
  PetscCheck(g->nhidden >= 1 && g->nhidden <= GEP_GNN_MAX_LAYERS - 1, g->comm, PETSC_ERR_USER, "-gnn_hidden: 1 to %d layers", GEP_GNN_MAX_LAYERS - 1);
  PetscCheck(g->dropout >= 0 && g->dropout < 1, g->comm, PETSC_ERR_USER, "-gnn_dropout must be in [0, 1), got %g", (double)g->dropout);
  PetscCheck(g->slope >= 0, g->comm, PETSC_ERR_USER, "-gnn_leaky_slope must be at least 0 (0: ReLU), got %g", (double)g->slope);
  PetscCheck(g->pretrain >= 0 && g->epochs >= 0, g->comm, PETSC_ERR_USER, "-gnn_pretrain_epochs and -gnn_epochs must be non-negative");
  PetscCheck(g->lr_pre > 0 && g->lr > 0 && g->lr_fusion > 0, g->comm, PETSC_ERR_USER, "learning rates must be positive");
  PetscCheck(g->logistic_c > 0, g->comm, PETSC_ERR_USER, "-gnn_logistic_c must be positive");
  PetscCheck(g->ridge_alpha >= 0, g->comm, PETSC_ERR_USER, "-gnn_ridge_alpha must be non-negative");
  PetscCheck(g->valfrac >= 0 && g->valfrac < 1, g->comm, PETSC_ERR_USER, "-gnn_validation_fraction must be in [0, 1), got %g", (double)g->valfrac);
  PetscCheck(g->val_interval >= 1 && g->patience >= 1, g->comm, PETSC_ERR_USER, "-gnn_validation_interval and -gnn_patience must be positive");
  PetscCall(GepGNNReadSolverOptions(g));
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
  if (g->type != GEP_GNN_LINEAR) {
    g->ops->setup   = GepGNNSetUpMOGONET;
    g->ops->train   = GepGNNTrainMOGONET;
    g->ops->predict = GepGNNPredictMOGONET;
  } else {
    g->ops->setup   = GepGNNSetUpLinear;
    g->ops->train   = GepGNNTrainLinear;
    g->ops->predict = GepGNNPredictLinear;
  }
  PetscCall(PetscObjectChangeTypeName((PetscObject)g, ModelTypes[g->type]));
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

PetscErrorCode GepGNNGatherNewProbabilities(GepGNN g, PetscInt nloc, PetscInt rfirst, const PetscReal *Z, PetscReal *prob)
{
  PetscReal *mine;
  PetscInt   first = PetscMax(rfirst, g->Ntr), last = rfirst + nloc;
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
  if (!viewer) viewer = PETSC_VIEWER_STDOUT_(g->comm);
  if (g->regression) PetscCall(PetscViewerASCIIPrintf(viewer, "GepGNN: model %s, regression (mean squared error), %" PetscInt_FMT " training and %" PetscInt_FMT " test samples\n", ModelTypes[g->type], g->Ntr, g->Nte));
  else PetscCall(PetscViewerASCIIPrintf(viewer, "GepGNN: model %s, %" PetscInt_FMT " classes, %" PetscInt_FMT " training and %" PetscInt_FMT " test samples\n", ModelTypes[g->type], g->C, g->Ntr, g->Nte));
  if (g->Nva) PetscCall(PetscViewerASCIIPrintf(viewer, "  early stopping on %" PetscInt_FMT " validation samples held out of the training file: every %" PetscInt_FMT " joint epochs, patience %" PetscInt_FMT "\n", g->Nva, g->val_interval, g->patience));
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v = &g->v[m];
    if (g->type == GEP_GNN_MOGONET) PetscCall(PetscViewerASCIIPrintf(viewer, "  view %s: %" PetscInt_FMT " features; sample graph k = %" PetscInt_FMT ", distance threshold %.6g\n", v->name, v->D, g->k, (double)v->threshold));
    else if (g->type == GEP_GNN_FEATURE) PetscCall(PetscViewerASCIIPrintf(viewer, "  view %s: %" PetscInt_FMT " features; knowledge graph %s, %" PetscInt_FMT " nodes, %" PetscInt_FMT " edges between them\n", v->name, v->D, v->graph[0] ? v->graph : "none", v->kg.nodes, v->kg.mapped));
    else PetscCall(PetscViewerASCIIPrintf(viewer, "  view %s: %" PetscInt_FMT " features\n", v->name, v->D));
  }
  if (g->type != GEP_GNN_LINEAR) {
    if (g->type == GEP_GNN_FEATURE) PetscCall(PetscViewerASCIIPrintf(viewer, "  feature graphs: %s readout; distributed by %s; %s\n", Readouts[g->readout], Distributions[g->distribute], g->chunk ? "samples in chunks" : "all samples in one pass"));
    if (g->M > 1) PetscCall(PetscViewerASCIIPrintf(viewer, "  views fused by %s\n", g->fusion_type == GEP_GNN_FUSION_OUTPUTS ? "concatenation of their outputs" : g->fusion_type == GEP_GNN_FUSION_CONCAT ? "concatenation of their class scores" : "VCDN (outer product of their class scores)"));
    PetscCall(PetscViewerASCIIPrintf(viewer, "  %s", g->layer_type == GEP_GNN_GAT ? "graph attention layers" : "graph convolutions"));
    for (PetscInt l = 0; l < g->nhidden; l++) PetscCall(PetscViewerASCIIPrintf(viewer, " %" PetscInt_FMT, g->hidden[l]));
    PetscCall(PetscViewerASCIIPrintf(viewer, ", LeakyReLU %g, dropout %g; epochs %" PetscInt_FMT " + %" PetscInt_FMT " (lr %g; %g, fusion %g); sample weights %s; seed %" PetscInt_FMT "; %s precision\n", (double)g->slope, (double)g->dropout, g->pretrain, g->epochs, (double)g->lr_pre, (double)g->lr, (double)g->lr_fusion, g->regression ? "none" : WeightSchemes[g->weighting], g->seed, Precisions[g->single]));
  } else if (g->regression) PetscCall(PetscViewerASCIIPrintf(viewer, "  ridge regression, alpha = %g (a Cholesky solve)\n", (double)g->ridge_alpha));
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
      if ((ablation && g->importance == GEP_GNN_IMPORTANCE_GRADIENT) || (!ablation && g->importance == GEP_GNN_IMPORTANCE_ABLATION)) continue;
      PetscCall(GepGNNTopFeatures(g, m, ablation, n, top));
      PetscCall(PetscViewerASCIIPrintf(viewer, "  top features of %s (%s):", v->name, ablation ? "ablation" : "gradient x input"));
      for (PetscInt i = 0; i < n && i < v->D; i++) PetscCall(PetscViewerASCIIPrintf(viewer, " %s (%.3g)", v->feat[top[i]], (double)(ablation ? v->imp_ablation : v->imp_gradient)[top[i]]));
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
    PetscCall(PetscFree(v->Xfile));
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
  PetscCall(PetscFree(g->prob));
  PetscCall(PetscFree(g->curve));
  PetscCall(PetscFree2(g->yva, g->pva));
  PetscCall(PetscFree(g->valcurve));
  PetscCall(PetscFree(g->loss));
  PetscCall(PetscRandomDestroy(&g->rnd));
  PetscCall(PetscHeaderDestroy(gnn));
  PetscFunctionReturn(0);
}
