/* GepGNN feature-graph model (-gnn_model feature): per view a knowledge graph
   over its features (an edge list matched by feature name, -gnn_graph; a view
   without one gets self-loops only), each sample a signal on the graph's
   nodes, a GepGNNFeatureNet per view, the views fused as in MOGONET. Here: the
   graphs, the node sets' signals (by samples: every node x this rank's samples
   of the set; by nodes: this rank's nodes x every sample) and the networks;
   gradient x input of the features. */
#include "gnnimpl.h"

/* the D x D identity, rows in blocks: a view without a knowledge graph */
static PetscErrorCode IdentityGraph(MPI_Comm comm, PetscInt D, Mat *A)
{
  PetscInt rstart, rend;

  PetscFunctionBegin;
  PetscCall(MatCreateAIJ(comm, PETSC_DECIDE, PETSC_DECIDE, D, D, 1, NULL, 0, NULL, A));
  PetscCall(MatGetOwnershipRange(*A, &rstart, &rend));
  for (PetscInt i = rstart; i < rend; i++) PetscCall(MatSetValue(*A, i, i, 1.0, INSERT_VALUES));
  PetscCall(MatAssemblyBegin(*A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatSetOption(*A, MAT_SYMMETRIC, PETSC_TRUE));
  PetscCall(MatSetOption(*A, MAT_SYMMETRY_ETERNAL, PETSC_TRUE));
  PetscFunctionReturn(0);
}

static PetscErrorCode ViewGraph(GepGNN g, GepGNNViewData *v)
{
  GepGraphEdgeOptions opt = {g->graph_strict, PETSC_TRUE, g->graph_signed, PETSC_TRUE, PETSC_TRUE, g->graph_neighbours};

  PetscFunctionBegin;
  if (!v->graph[0]) {
    PetscCall(IdentityGraph(g->comm, v->D, &v->Akg));
    v->kg.nodes = v->D;
    if (g->progress) PetscCall(PetscPrintf(g->comm, "  view %s: no knowledge graph (self-loops only)\n", v->name));
    PetscFunctionReturn(0);
  }
  PetscCall(GepGraphFromEdgeList(g->comm, v->graph, v->D, (const char *const *)v->feat, &opt, &v->Akg, &v->kg));
  PetscCheck(v->kg.mapped > 0, g->comm, PETSC_ERR_USER,
             "edge list %s: none of its %" PetscInt_FMT
             " edges joins two features of view %s (are the names those of %s?)",
             v->graph, v->kg.edges, v->name, v->featnames[0] ? v->featnames : "the feature names file");
  if (g->progress) {
    PetscCall(PetscPrintf(
      g->comm,
      "  view %s: knowledge graph %s: %" PetscInt_FMT " edges read, %" PetscInt_FMT " between its nodes, %" PetscInt_FMT
      " naming other genes (counted; -gnn_graph_strict makes them errors), %" PetscInt_FMT " self-loops dropped",
      v->name, v->graph, v->kg.edges, v->kg.mapped, v->kg.unknown, v->kg.self));
    if (g->graph_neighbours)
      PetscCall(PetscPrintf(g->comm, "; %" PetscInt_FMT " neighbours added as nodes without data", v->kg.nodes - v->D));
    PetscCall(PetscPrintf(g->comm, "\n"));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNSetUpFeatureViews(GepGNN g)
{
  PetscInt Nmax = PetscMax(g->Ntr + g->Nte, g->Ntr + g->Nva), nmax = PetscMax(PetscMax(g->ntr, g->nall), g->nva);

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_GNNGraph, 0, 0, 0, 0));
  for (PetscInt m = 0; m < g->M; m++) PetscCall(ViewGraph(g, &g->v[m]));
  PetscCall(PetscLogEventEnd(GEP_GNNGraph, 0, 0, 0, 0));
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v = &g->v[m];
    PetscInt        dstart, dloc;

    PetscCall(GepGNNFeatureNetSetUp(&v->fnet, g->comm, v->Akg, g->distribute, g->layer_type, g->nhidden, g->hidden,
                                    g->C, g->readout, g->slope, g->dropout, g->chunk, g->rnd));
    GepGNNStackSetColumnBlocks(&v->fnet.gcn, g->colblocks);
    if (m > 0) PetscCall(GepGNNStackShareScratch(&v->fnet.gcn, &g->v[0].fnet.gcn)); /* the views run in turn */
    dstart = v->fnet.dstart; /* the network's rows of the nodes (by samples: all) */
    dloc   = v->fnet.dloc;
    for (PetscInt w = 0; w < 3; w++) {
      GepGNNNodeSet   which = (GepGNNNodeSet)w;
      const PetscInt *rows  = which == GEP_GNN_NODES_TEST ? g->tr_te : g->tr_va;
      PetscInt        ns, s0;

      if (which == GEP_GNN_NODES_VALIDATION && !g->Nva) continue;
      GepGNNFeatureSignals(g, which, &ns, &s0);
      PetscCall(PetscCalloc1(dloc * ns + 1, &v->XT[w])); /* the added nodes carry no data: 0 */
      PetscCall(GepGNNGatherData(g, m, g->N0, ns, rows + s0, dstart,
                                 PetscMax(0, PetscMin(dstart + dloc, v->D) - dstart), dloc, 1, v->XT[w]));
    }
    PetscCall(PetscMalloc3(Nmax * g->C, &v->Zrep, nmax * g->C + 1, &v->Zloc, Nmax * g->C, &v->dZrep));
  }
  PetscCall(GepGNNCloseData(g));
  PetscCall(PetscFree(g->tr_va));
  PetscCall(PetscFree(g->tr_te));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNFeatureGradientInput(GepGNN g, PetscInt m, const PetscReal *dX, PetscReal *imp)
{
  GepGNNViewData *v      = &g->v[m];
  PetscInt        dstart = v->fnet.dstart, dloc = v->fnet.dloc, ns, s0;
  PetscMPIInt     nD;

  PetscFunctionBegin;
  GepGNNFeatureSignals(g, GEP_GNN_NODES_TEST, &ns, &s0);
  PetscCall(PetscArrayzero(imp, v->D));
  for (PetscInt d = dstart; d < dstart + dloc && d < v->D; d++) /* the added nodes carry no data */
    for (PetscInt s = 0; s < ns; s++)
      imp[d] += PetscAbsReal(v->XT[GEP_GNN_NODES_TEST][(d - dstart) + dloc * s] * dX[(d - dstart) + dloc * s]);
  PetscCall(PetscMPIIntCast(v->D, &nD));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, imp, nD, MPIU_REAL, MPI_SUM, g->comm));
  for (PetscInt d = 0; d < v->D; d++) imp[d] /= g->Nte;
  PetscFunctionReturn(0);
}

static PetscErrorCode Adam(GepGNN g, PetscInt m, PetscInt t, PetscReal lr)
{
  PetscFunctionBegin;
  PetscCall(GepGNNFeatureNetAdam(&g->v[m].fnet, t, lr));
  PetscFunctionReturn(0);
}

static PetscInt NumParameters(GepGNN g, PetscInt m)
{
  return GepGNNFeatureNetNumParameters(&g->v[m].fnet);
}

static PetscErrorCode CopyParameters(GepGNN g, PetscInt m, PetscBool get, PetscReal *buf)
{
  PetscFunctionBegin;
  PetscCall(GepGNNFeatureNetCopyParameters(&g->v[m].fnet, get, buf));
  PetscFunctionReturn(0);
}

/* dL/dX of this rank's test signals, then gradient x input */
static PetscErrorCode GradientInput(GepGNN g, PetscInt m, const PetscReal *dZ, PetscReal *imp)
{
  PetscInt   ns, s0;
  PetscReal *dX;

  PetscFunctionBegin;
  GepGNNFeatureSignals(g, GEP_GNN_NODES_TEST, &ns, &s0);
  PetscCall(PetscMalloc1(g->v[m].fnet.dloc * ns + 1, &dX));
  PetscCall(GepGNNFeatureViewBackward(g, m, GEP_GNN_NODES_TEST, dZ, dX));
  PetscCall(GepGNNFeatureGradientInput(g, m, dX, imp));
  PetscCall(PetscFree(dX));
  PetscFunctionReturn(0);
}

/* the test signals: this rank's nodes (features) x its samples */
static PetscErrorCode TestInput(GepGNN g, PetscInt m, PetscInt r, PetscInt j, PetscReal **x)
{
  GepGNNViewData *v = &g->v[m];
  PetscInt        ns, s0, dstart = v->fnet.dstart, dloc = v->fnet.dloc;

  PetscFunctionBegin;
  GepGNNFeatureSignals(g, GEP_GNN_NODES_TEST, &ns, &s0);
  *x = j >= dstart && j < dstart + dloc && r >= s0 && r < s0 + ns
         ? &v->XT[GEP_GNN_NODES_TEST][(j - dstart) + dloc * (r - s0)]
         : NULL;
  PetscFunctionReturn(0);
}

static PetscErrorCode Write(GepGNN g, GepH5 h5, const char group[], PetscInt m)
{
  PetscFunctionBegin;
  PetscCall(GepGNNWriteFeatureNet(h5, group, &g->v[m]));
  PetscFunctionReturn(0);
}

static PetscErrorCode Read(GepGNN g, GepH5File h, const char path[], const char group[], PetscInt m)
{
  PetscFunctionBegin;
  PetscCall(GepGNNReadFeatureNet(h, path, group, &g->v[m]));
  PetscFunctionReturn(0);
}

static PetscErrorCode View(GepGNN g, PetscInt m, PetscViewer viewer)
{
  GepGNNViewData *v = &g->v[m];

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer,
                                   "  view %s: %" PetscInt_FMT " features; knowledge graph %s, %" PetscInt_FMT
                                   " nodes, %" PetscInt_FMT " edges between them\n",
                                   v->name, v->D, v->graph[0] ? v->graph : "none", v->kg.nodes, v->kg.mapped));
  PetscFunctionReturn(0);
}

static PetscErrorCode ViewAll(GepGNN g, PetscViewer viewer)
{
  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(viewer, "  feature graphs: %s readout; distributed by %s; %s\n",
                                   GepGNNReadouts[g->readout], GepGNNDistributions[g->distribute],
                                   g->chunk ? "samples in chunks" : "all samples in one pass"));
  PetscFunctionReturn(0);
}

const GepGNNViewNetOps GepGNNFeatureNetOps = {
  .knowledge_graphs = PETSC_TRUE,
  .data_at_setup    = PETSC_TRUE,
  .setup            = GepGNNSetUpFeatureViews,
  .forward          = GepGNNFeatureViewForward,
  .backward         = GepGNNFeatureViewBackward,
  .adam             = Adam,
  .nparams          = NumParameters,
  .copyparams       = CopyParameters,
  .gradientinput    = GradientInput,
  .ablation         = GepGNNFeatureAblation,
  .testinput        = TestInput,
  .write            = Write,
  .read             = Read,
  .view             = View,
  .viewall          = ViewAll,
};

/* the knowledge-graph model: each view's features are the nodes of a prior graph, each sample a signal on
   them; MOGONET's schedule and fusion */
PetscErrorCode GepGNNCreate_Feature(GepGNN g)
{
  PetscFunctionBegin;
  g->vnet         = &GepGNNFeatureNetOps;
  g->ops->setup   = GepGNNSetUpMOGONET;
  g->ops->train   = GepGNNTrainMOGONET;
  g->ops->predict = GepGNNPredictMOGONET;
  PetscFunctionReturn(0);
}
