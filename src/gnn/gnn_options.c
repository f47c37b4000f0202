/* GepGNNSetFromOptions: the options in blocks (data, model, training, evaluation),
   each read and checked by its own function; values only: files are read in SetUp. */
#include "gnnimpl.h"

static const char *const FusionTypes[] = {"vcdn", "concat"};
static const char *const LossTypes[]   = {"cross_entropy", "mse"};

static PetscErrorCode FreeStrings(PetscBool set, PetscInt n, char *s[])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; set && i < n; i++) PetscCall(PetscFree(s[i]));
  PetscFunctionReturn(0);
}

/* the views' tables, feature names and labels */
static PetscErrorCode DataOptions(GepGNN g, PetscOptionItems *PetscOptionsObject)
{
  char     *tr[GEP_GNN_MAX_VIEWS], *te[GEP_GNN_MAX_VIEWS], *fn[GEP_GNN_MAX_VIEWS], *vn[GEP_GNN_MAX_VIEWS];
  PetscInt  ntr = GEP_GNN_MAX_VIEWS, nte = GEP_GNN_MAX_VIEWS, nfn = GEP_GNN_MAX_VIEWS, nvn = GEP_GNN_MAX_VIEWS;
  PetscBool settr, sette, setfn, setvn;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Data");
  PetscCall(PetscOptionsStringArray("-gnn_train", "Training table of each view (headerless CSV, samples x features)",
                                    "GepGNNSetFromOptions", tr, &ntr, &settr));
  PetscCall(PetscOptionsStringArray("-gnn_test", "Test table of each view, same features", "GepGNNSetFromOptions", te,
                                    &nte, &sette));
  PetscCall(PetscOptionsStringArray("-gnn_feature_names", "Feature names of each view (one per line)",
                                    "GepGNNSetFromOptions", fn, &nfn, &setfn));
  PetscCall(PetscOptionsStringArray("-gnn_view_names", "Names of the views", "GepGNNSetFromOptions", vn, &nvn, &setvn));
  PetscCall(PetscOptionsString("-gnn_omics",
                               "Instead of the tables: a GepOmics HDF5 file (gepsim import) whose groups hold the "
                               "training and test samples, read by rows in parallel",
                               "GepGNNSetFromOptions", g->omics_file, g->omics_file, sizeof(g->omics_file), NULL));
  PetscCall(PetscOptionsString("-gnn_train_group", "The -gnn_omics group of the training samples",
                               "GepGNNSetFromOptions", g->group_tr, g->group_tr, sizeof(g->group_tr), NULL));
  PetscCall(PetscOptionsString("-gnn_test_group", "The -gnn_omics group of the test samples", "GepGNNSetFromOptions",
                               g->group_te, g->group_te, sizeof(g->group_te), NULL));
  PetscCall(PetscOptionsString("-gnn_train_labels", "Training labels (one class 0..C-1 per line)",
                               "GepGNNSetFromOptions", g->labels_tr, g->labels_tr, sizeof(g->labels_tr), NULL));
  PetscCall(PetscOptionsString("-gnn_test_labels", "Test labels (optional: metrics need them)", "GepGNNSetFromOptions",
                               g->labels_te, g->labels_te, sizeof(g->labels_te), NULL));
  PetscOptionsHeadEnd();
  PetscCheck(!g->omics_file[0] || (!settr && !sette && !setfn && !setvn), g->comm, PETSC_ERR_USER,
             "-gnn_omics holds the views, their names and features: give it without -gnn_train, -gnn_test, "
             "-gnn_feature_names and -gnn_view_names");
  if (settr) {
    PetscCheck(sette || !ntr, g->comm, PETSC_ERR_USER, "-gnn_train given without -gnn_test");
    PetscCheck(nte == ntr, g->comm, PETSC_ERR_USER,
               "-gnn_train names %" PetscInt_FMT " view(s), -gnn_test %" PetscInt_FMT, ntr, nte);
    PetscCheck(!setfn || nfn == ntr, g->comm, PETSC_ERR_USER,
               "-gnn_feature_names names %" PetscInt_FMT " file(s) for %" PetscInt_FMT " view(s)", nfn, ntr);
    PetscCheck(!setvn || nvn == ntr, g->comm, PETSC_ERR_USER,
               "-gnn_view_names names %" PetscInt_FMT " view(s), -gnn_train %" PetscInt_FMT, nvn, ntr);
    g->M = ntr;
    for (PetscInt m = 0; m < ntr; m++) {
      PetscCall(PetscStrncpy(g->v[m].train, tr[m], sizeof(g->v[m].train)));
      PetscCall(PetscStrncpy(g->v[m].test, te[m], sizeof(g->v[m].test)));
      if (setfn) PetscCall(PetscStrncpy(g->v[m].featnames, fn[m], sizeof(g->v[m].featnames)));
      if (setvn) PetscCall(PetscStrncpy(g->v[m].name, vn[m], sizeof(g->v[m].name)));
      else PetscCall(PetscSNPrintf(g->v[m].name, sizeof(g->v[m].name), "view%" PetscInt_FMT, m + 1));
    }
  }
  PetscCall(FreeStrings(settr, ntr, tr));
  PetscCall(FreeStrings(sette, nte, te));
  PetscCall(FreeStrings(setfn, nfn, fn));
  PetscCall(FreeStrings(setvn, nvn, vn));
  PetscFunctionReturn(0);
}

/* the knowledge-graph model's: its graphs, readout and distribution */
static PetscErrorCode FeatureModelOptions(GepGNN g, PetscOptionItems *PetscOptionsObject)
{
  char     *gr[GEP_GNN_MAX_VIEWS];
  PetscInt  ngr = GEP_GNN_MAX_VIEWS, ro = g->readout, dist = g->distribute;
  PetscBool setgr;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Knowledge-graph model (-gnn_model feature)");
  PetscCall(PetscOptionsStringArray("-gnn_graph",
                                    "Feature model: the knowledge graph of each view (edge list: source, target, "
                                    "optional weight or mode; 'none': self-loops only)",
                                    "GepGNNSetFromOptions", gr, &ngr, &setgr));
  PetscCall(PetscOptionsBool(
    "-gnn_graph_strict",
    "Feature model: an edge naming a gene that is neither a feature nor an added neighbour is an error (else counted)",
    "GepGNNSetFromOptions", g->graph_strict, &g->graph_strict, NULL));
  PetscCall(PetscOptionsBool("-gnn_graph_neighbours",
                             "Feature model: genes sharing an edge with a feature become nodes without data",
                             "GepGNNSetFromOptions", g->graph_neighbours, &g->graph_neighbours, NULL));
  PetscCall(PetscOptionsBool("-gnn_graph_signed", "Feature model: an edge of mode Repression weighs -1",
                             "GepGNNSetFromOptions", g->graph_signed, &g->graph_signed, NULL));
  PetscCall(PetscOptionsEList("-gnn_feature_readout",
                              "Feature model: node (a linear map of every node's channels) or mean (channels averaged "
                              "over the nodes, then a dense layer)",
                              "GepGNNSetFromOptions", GepGNNReadouts, 2, GepGNNReadouts[ro], &ro, NULL));
  PetscCall(PetscOptionsEList(
    "-gnn_feature_distribute",
    "Feature model: samples (every rank a copy of the graph and a block of the samples: no communication but the "
    "gradients'; the default) or nodes (the nodes in blocks, every sample: for a graph too large to copy)",
    "GepGNNSetFromOptions", GepGNNDistributions, 2, GepGNNDistributions[dist], &dist, NULL));
  PetscCall(PetscOptionsInt(
    "-gnn_feature_chunk",
    "Feature model: samples per pass through the network (0: all; fewer use less memory, the gradient is the same)",
    "GepGNNSetFromOptions", g->chunk, &g->chunk, NULL));
  PetscOptionsHeadEnd();
  g->readout    = (GepGNNReadout)ro;
  g->distribute = (GepGNNDistribute)dist;
  PetscCheck(g->chunk >= 0, g->comm, PETSC_ERR_USER, "-gnn_feature_chunk must be non-negative, got %" PetscInt_FMT,
             g->chunk);
  if (setgr) {
    PetscCheck(g->vnet && g->vnet->knowledge_graphs, g->comm, PETSC_ERR_USER,
               "-gnn_graph gives knowledge graphs to -gnn_model feature, not to -gnn_model %s",
               ((PetscObject)g)->type_name);
    g->ngraphs = ngr;
    PetscCheck(ngr == g->M || g->omics_file[0], g->comm, PETSC_ERR_USER, /* -gnn_omics: checked when opened */
               "-gnn_graph names %" PetscInt_FMT " edge list(s) for %" PetscInt_FMT
               " view(s) (use none for a view without)",
               ngr, g->M);
    for (PetscInt m = 0; m < ngr; m++) {
      PetscBool none;
      PetscCall(PetscStrcmp(gr[m], "none", &none));
      PetscCall(PetscStrncpy(g->v[m].graph, none ? "" : gr[m], sizeof(g->v[m].graph)));
    }
  }
  PetscCall(FreeStrings(setgr, ngr, gr));
  PetscFunctionReturn(0);
}

/* the networks: layers, widths, loss, fusion, precision */
static PetscErrorCode NetworkOptions(GepGNN g, PetscOptionItems *PetscOptionsObject)
{
  PetscInt              nh = GEP_GNN_MAX_LAYERS, hidden[GEP_GNN_MAX_LAYERS];
  const GepGNNLayerOps *lops;
  PetscInt              f = g->fusion_type == GEP_GNN_FUSION_VCDN ? 0 : 1,
           loss = g->regression ? GEP_GNN_LOSS_MSE : GEP_GNN_LOSS_CROSS_ENTROPY, p = g->single ? 1 : 0;
  PetscBool seth, setf;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Networks");
  PetscCall(
    PetscOptionsInt("-gnn_graph_column_blocks",
                    "A graph convolution's products on a graph held by one process (by samples, or one rank) in this "
                    "many column blocks (0: by the graph's size, so that the rows gathered fit a core's L2 cache)",
                    "GepGNNSetFromOptions", g->colblocks, &g->colblocks, NULL));
  PetscCall(PetscOptionsInt("-gnn_edges_per_node", "Sample graphs: k, the average number of edges per node",
                            "GepGNNSetFromOptions", g->k, &g->k, NULL));
  PetscCall(PetscOptionsIntArray("-gnn_hidden", "Widths of the graph layers of each view", "GepGNNSetFromOptions",
                                 hidden, &nh, &seth));
  PetscCall(PetscOptionsFList("-gnn_layer_type",
                              "Graph layers, a registered type: gcn (graph convolution, MOGONET's) or gat (graph "
                              "attention, one head)",
                              "GepGNNSetFromOptions", GepGNNLayerList, g->layer_type, g->layer_type,
                              sizeof(g->layer_type), NULL));
  PetscCall(PetscOptionsEList("-gnn_loss",
                              "Training loss: cross_entropy (classes 0..C-1) or mse (mean squared error: the labels "
                              "are real targets, one output)",
                              "GepGNNSetFromOptions", LossTypes, 2, LossTypes[loss], &loss, NULL));
  PetscCall(PetscOptionsEList("-gnn_fusion",
                              "Fusion of the views: vcdn (outer product of their class scores, MOGONET) or concat (the "
                              "scores side by side; with -gnn_loss mse the outputs)",
                              "GepGNNSetFromOptions", FusionTypes, 2, FusionTypes[f], &f, &setf));
  PetscCall(PetscOptionsEList("-gnn_precision",
                              "Working precision of the views' networks: double, or single (float32 GEMMs, "
                              "activations, weights and Adam, as PyTorch trains; the fusion network stays double)",
                              "GepGNNSetFromOptions", GepGNNPrecisions, 2, GepGNNPrecisions[p], &p, NULL));
  PetscCall(PetscOptionsInt("-gnn_fusion_hidden", "Width of the fusion network's hidden layer (-1: its input width)",
                            "GepGNNSetFromOptions", g->hfusion, &g->hfusion, NULL));
  PetscCall(PetscOptionsReal("-gnn_dropout", "Dropout probability between graph convolutions", "GepGNNSetFromOptions",
                             g->dropout, &g->dropout, NULL));
  PetscCall(PetscOptionsReal("-gnn_leaky_slope", "LeakyReLU slope", "GepGNNSetFromOptions", g->slope, &g->slope, NULL));
  PetscOptionsHeadEnd();
  PetscCall(GepGNNLayerTypeGetOps(g->layer_type, &lops));
  PetscCheck(lops, g->comm, PETSC_ERR_USER, "-gnn_layer_type %s: no such layer type (gcn, gat, or one registered)",
             g->layer_type);
  PetscCheck(lops->graph, g->comm, PETSC_ERR_USER, "-gnn_layer_type %s: %s are not graph layers", g->layer_type,
             lops->description);
  g->regression = (PetscBool)(loss == GEP_GNN_LOSS_MSE);
  PetscCheck(!(g->regression && setf && f == 0), g->comm, PETSC_ERR_USER,
             "-gnn_fusion vcdn fuses class scores; with -gnn_loss mse the views' outputs are fused by concat");
  g->fusion_type = g->regression ? GEP_GNN_FUSION_OUTPUTS : f == 1 ? GEP_GNN_FUSION_CONCAT : GEP_GNN_FUSION_VCDN;
  g->single      = (PetscBool)(p == 1);
  PetscCheck(!g->single || (g->vnet && g->vnet->single && lops->forward_single), g->comm, PETSC_ERR_SUP,
             "-gnn_precision single is implemented for -gnn_model mogonet with layers that have single-precision "
             "passes (gcn), not for -gnn_model %s with %s layers",
             ((PetscObject)g)->type_name, g->layer_type);
  PetscCheck(g->colblocks >= 0, g->comm, PETSC_ERR_USER,
             "-gnn_graph_column_blocks must be non-negative, got %" PetscInt_FMT, g->colblocks);
  if (seth) {
    g->nhidden = nh;
    for (PetscInt l = 0; l < nh; l++) {
      PetscCheck(hidden[l] > 0, g->comm, PETSC_ERR_USER, "-gnn_hidden: widths must be positive, got %" PetscInt_FMT,
                 hidden[l]);
      g->hidden[l] = hidden[l];
    }
  }
  PetscCheck(g->nhidden >= 1 && g->nhidden <= GEP_GNN_MAX_LAYERS - 1, g->comm, PETSC_ERR_USER,
             "-gnn_hidden: 1 to %d layers", GEP_GNN_MAX_LAYERS - 1);
  PetscCheck(g->dropout >= 0 && g->dropout < 1, g->comm, PETSC_ERR_USER, "-gnn_dropout must be in [0, 1), got %g",
             (double)g->dropout);
  PetscCheck(g->slope >= 0, g->comm, PETSC_ERR_USER, "-gnn_leaky_slope must be at least 0 (0: ReLU), got %g",
             (double)g->slope);
  PetscFunctionReturn(0);
}

/* the schedule, the optimiser, the linear model's strengths, early stopping */
static PetscErrorCode TrainingOptions(GepGNN g, PetscOptionItems *PetscOptionsObject)
{
  PetscInt w = g->weighting;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Training");
  PetscCall(PetscOptionsInt("-gnn_pretrain_epochs", "Epochs of pre-training the views' networks alone",
                            "GepGNNSetFromOptions", g->pretrain, &g->pretrain, NULL));
  PetscCall(PetscOptionsInt("-gnn_epochs", "Epochs of joint training (views and VCDN); linear: maximum iterations",
                            "GepGNNSetFromOptions", g->epochs, &g->epochs, NULL));
  PetscCall(PetscOptionsReal("-gnn_lr_pretrain", "Adam learning rate of pre-training", "GepGNNSetFromOptions",
                             g->lr_pre, &g->lr_pre, NULL));
  PetscCall(PetscOptionsReal("-gnn_lr", "Adam learning rate of the views' networks in joint training",
                             "GepGNNSetFromOptions", g->lr, &g->lr, NULL));
  PetscCall(PetscOptionsReal("-gnn_lr_fusion", "Adam learning rate of the VCDN", "GepGNNSetFromOptions", g->lr_fusion,
                             &g->lr_fusion, NULL));
  PetscCall(PetscOptionsEList("-gnn_sample_weight",
                              "Loss weight of a sample: class_frequency (MOGONET), none, balanced (inverse frequency)",
                              "GepGNNSetFromOptions", GepGNNWeightSchemes, 3, GepGNNWeightSchemes[w], &w, NULL));
  PetscCall(PetscOptionsReal("-gnn_logistic_c", "Linear model: inverse L2 strength C (scikit-learn's)",
                             "GepGNNSetFromOptions", g->logistic_c, &g->logistic_c, NULL));
  PetscCall(PetscOptionsReal("-gnn_ridge_alpha",
                             "Linear model with -gnn_loss mse: L2 strength alpha (scikit-learn's Ridge)",
                             "GepGNNSetFromOptions", g->ridge_alpha, &g->ridge_alpha, NULL));
  PetscCall(
    PetscOptionsInt("-gnn_seed", "Seed of the initial weights and dropout", "GepGNNSetSeed", g->seed, &g->seed, NULL));
  PetscCall(PetscOptionsReal("-gnn_validation_fraction",
                             "Fraction of each class of the training file held out for early stopping (0: none)",
                             "GepGNNSetFromOptions", g->valfrac, &g->valfrac, NULL));
  PetscCall(PetscOptionsInt("-gnn_validation_interval",
                            "Evaluate the validation loss every this many epochs of joint training",
                            "GepGNNSetFromOptions", g->val_interval, &g->val_interval, NULL));
  PetscCall(PetscOptionsInt(
    "-gnn_patience", "Stop when the validation loss has not improved for this many epochs; the best weights are kept",
    "GepGNNSetFromOptions", g->patience, &g->patience, NULL));
  PetscOptionsHeadEnd();
  g->weighting = (GepGNNSampleWeight)w;
  PetscCheck(g->pretrain >= 0 && g->epochs >= 0, g->comm, PETSC_ERR_USER,
             "-gnn_pretrain_epochs and -gnn_epochs must be non-negative");
  PetscCheck(g->lr_pre > 0 && g->lr > 0 && g->lr_fusion > 0, g->comm, PETSC_ERR_USER,
             "learning rates must be positive");
  PetscCheck(g->logistic_c > 0, g->comm, PETSC_ERR_USER, "-gnn_logistic_c must be positive");
  PetscCheck(g->ridge_alpha >= 0, g->comm, PETSC_ERR_USER, "-gnn_ridge_alpha must be non-negative");
  PetscCheck(g->valfrac >= 0 && g->valfrac < 1, g->comm, PETSC_ERR_USER,
             "-gnn_validation_fraction must be in [0, 1), got %g", (double)g->valfrac);
  PetscCheck(g->val_interval >= 1 && g->patience >= 1, g->comm, PETSC_ERR_USER,
             "-gnn_validation_interval and -gnn_patience must be positive");
  PetscFunctionReturn(0);
}

/* progress, feature importance, the view */
static PetscErrorCode EvaluationOptions(GepGNN g, PetscOptionItems *PetscOptionsObject)
{
  PetscInt  imp = g->importance;
  PetscBool view;

  PetscFunctionBegin;
  PetscOptionsHeadBegin(PetscOptionsObject, "Evaluation");
  PetscCall(PetscOptionsInt("-gnn_monitor_interval",
                            "Evaluate the test split and print a progress line every this many epochs (0: never)",
                            "GepGNNSetFromOptions", g->monitor, &g->monitor, NULL));
  PetscCall(PetscOptionsBool("-gnn_progress", "Print the progress lines", "GepGNNSetFromOptions", g->progress,
                             &g->progress, NULL));
  PetscCall(PetscOptionsEList(
    "-gnn_importance", "Feature importance on the test split: none, gradient (x input), ablation (MOGONET's), both",
    "GepGNNComputeImportance", GepGNNImportanceMethods, 4, GepGNNImportanceMethods[imp], &imp, NULL));
  PetscCall(PetscOptionsInt("-gnn_importance_top", "Features listed per view", "GepGNNViewImportance",
                            g->importance_top, &g->importance_top, NULL));
  PetscCall(
    PetscOptionsName("-gnn_view", "View the network after set-up ([ascii][:file])", "GepGNNViewFromOptions", &view));
  PetscOptionsHeadEnd();
  g->importance = (GepGNNImportance)imp;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNSetFromOptions(GepGNN g)
{
  char      type[64];
  PetscBool set;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)g);
  PetscCall(
    PetscOptionsFList("-gnn_model",
                      "mogonet: graph convolutions over each view's sample graph fused by VCDN; feature: graph "
                      "convolutions over each view's knowledge graph of features, samples as signals; linear: L2 "
                      "logistic regression on the standardised, concatenated views",
                      "GepGNNSetType", GepGNNList, ((PetscObject)g)->type_name, type, sizeof(type), &set));
  if (set) PetscCall(GepGNNSetType(g, type));
  PetscCall(DataOptions(g, PetscOptionsObject));
  PetscCall(FeatureModelOptions(g, PetscOptionsObject));
  PetscCall(NetworkOptions(g, PetscOptionsObject));
  PetscCall(TrainingOptions(g, PetscOptionsObject));
  PetscCall(EvaluationOptions(g, PetscOptionsObject));
  PetscOptionsEnd();
  PetscCall(GepGNNReadSolverOptions(g));
  PetscFunctionReturn(0);
}
