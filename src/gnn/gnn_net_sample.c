/* MOGONET's view networks (g->vnet for -gnn_model mogonet): per view a stack of graph layers over the view's
   sample-similarity graph and a dense classifier, whose rows are this rank's samples of the node set; their
   set-up, passes, parameters, importance, model file and view. */
#include "gnnimpl.h"

/* MOGONET's views: each view's sample graphs (training; [training; test]; [training; validation]), then its
   encoder and classifier, the weights drawn in MOGONET's order */
static PetscErrorCode SetUpSampleViews(GepGNN g)
{
  PetscInt        sizes[GEP_GNN_MAX_LAYERS];
  GepGNNLayerType type[GEP_GNN_MAX_LAYERS];

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_GNNGraph, 0, 0, 0, 0));
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v = &g->v[m];
    PetscReal      *Xr;

    PetscCheck(g->k >= 1 && g->k < g->Ntr, g->comm, PETSC_ERR_USER,
               "-gnn_edges_per_node %" PetscInt_FMT " must be between 1 and the training samples - 1 (%" PetscInt_FMT
               ")",
               g->k, g->Ntr - 1);
    PetscCall(GepGNNRowMajor(g->ntr, v->D, v->Xtr, &Xr));
    PetscCall(GepGraphSampleSimilarity(g->comm, g->Ntr, v->D, g->ntr, Xr, g->k, &v->Atr, &v->threshold));
    PetscCall(PetscFree(Xr));
    PetscCall(GepGNNRowMajor(g->nall, v->D, v->Xall, &Xr));
    PetscCall(GepGraphSampleSimilarityNew(g->comm, g->Ntr + g->Nte, v->D, g->nall, Xr, g->Ntr, v->threshold, &v->Aall));
    PetscCall(PetscFree(Xr));
    if (g->Nva) {
      PetscCall(GepGNNRowMajor(g->nva, v->D, v->Xva, &Xr));
      PetscCall(GepGraphSampleSimilarityNew(g->comm, g->Ntr + g->Nva, v->D, g->nva, Xr, g->Ntr, v->threshold, &v->Ava));
      PetscCall(PetscFree(Xr));
    }
  }
  PetscCall(PetscLogEventEnd(GEP_GNNGraph, 0, 0, 0, 0));
  for (PetscInt l = 0; l < g->nhidden; l++) {
    sizes[l] = g->hidden[l];
    type[l]  = g->layer_type;
  }
  sizes[g->nhidden] = g->C;
  type[g->nhidden]  = GEPGNNLAYERDENSE;
  for (PetscInt m = 0; m < g->M; m++) {
    PetscCall(GepGNNStackSetUp(&g->v[m].net, g->comm, g->nhidden + 1, sizes, type, g->v[m].D, g->ntr, g->Ntr,
                               g->v[m].Atr, g->slope, g->dropout, g->rnd));
    PetscCall(GepGNNStackSetSingle(&g->v[m].net, g->single));
    if (m > 0) PetscCall(GepGNNStackShareScratch(&g->v[m].net, &g->v[0].net)); /* the views run in turn */
    GepGNNStackSetColumnBlocks(&g->v[m].net, g->colblocks);
  }
  PetscFunctionReturn(0);
}

/* each view's stack on the node set's graph */
static PetscErrorCode SetNodes(GepGNN g, GepGNNNodeSet which)
{
  PetscInt N, n, r;

  PetscFunctionBegin;
  GepGNNNodeSetSize(g, which, &N, &n, &r);
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v = &g->v[m];
    PetscCall(GepGNNStackSetNodes(&v->net, n, N,
                                  which == GEP_GNN_NODES_TEST         ? v->Aall
                                  : which == GEP_GNN_NODES_VALIDATION ? v->Ava
                                                                      : v->Atr));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode FixInput(GepGNN g, PetscBool fixed)
{
  PetscFunctionBegin;
  for (PetscInt m = 0; m < g->M; m++) PetscCall(GepGNNStackSetInputFixed(&g->v[m].net, fixed));
  PetscFunctionReturn(0);
}

static const PetscReal *Input(GepGNNViewData *v, GepGNNNodeSet which)
{
  return which == GEP_GNN_NODES_TEST ? v->Xall : which == GEP_GNN_NODES_VALIDATION ? v->Xva : v->Xtr;
}

static PetscErrorCode Forward(GepGNN g, PetscInt m, GepGNNNodeSet which, uint64_t key, PetscReal **Z)
{
  PetscFunctionBegin;
  PetscCall(GepGNNStackForward(&g->v[m].net, Input(&g->v[m], which), key, Z));
  PetscFunctionReturn(0);
}

static PetscErrorCode Backward(GepGNN g, PetscInt m, GepGNNNodeSet which, const PetscReal *dZ, PetscReal *dX)
{
  PetscFunctionBegin;
  PetscCall(GepGNNStackBackward(&g->v[m].net, Input(&g->v[m], which), dZ, dX));
  PetscFunctionReturn(0);
}

static PetscErrorCode Adam(GepGNN g, PetscInt m, PetscInt t, PetscReal lr)
{
  PetscFunctionBegin;
  PetscCall(GepGNNStackAdam(&g->v[m].net, t, lr, 0.0));
  PetscFunctionReturn(0);
}

static PetscInt NumParameters(GepGNN g, PetscInt m)
{
  return GepGNNStackNumParameters(&g->v[m].net);
}

static PetscErrorCode CopyParameters(GepGNN g, PetscInt m, PetscBool get, PetscReal *buf)
{
  PetscFunctionBegin;
  PetscCall(GepGNNStackCopyParameters(&g->v[m].net, get, buf));
  PetscFunctionReturn(0);
}

/* sum over the test node set's samples of |x dL/dx|, over the test samples' count */
static PetscErrorCode GradientInput(GepGNN g, PetscInt m, const PetscReal *dZ, PetscReal *imp)
{
  GepGNNViewData *v = &g->v[m];
  PetscInt        n = g->nall;
  PetscReal      *dX;
  PetscMPIInt     nD;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n * v->D + 1, &dX));
  PetscCall(GepGNNStackBackward(&v->net, v->Xall, dZ, dX));
  for (PetscInt d = 0; d < v->D; d++) {
    imp[d] = 0;
    for (PetscInt i = 0; i < n; i++) imp[d] += PetscAbsReal(v->Xall[d * n + i] * dX[d * n + i]);
  }
  PetscCall(PetscMPIIntCast(v->D, &nD));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, imp, nD, MPIU_REAL, MPI_SUM, g->comm));
  for (PetscInt d = 0; d < v->D; d++) imp[d] /= g->Nte;
  PetscCall(PetscFree(dX));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestInput(GepGNN g, PetscInt m, PetscInt r, PetscInt j, PetscReal **x)
{
  PetscFunctionBegin;
  *x = r >= g->rall && r < g->rall + g->nall ? &g->v[m].Xall[j * g->nall + (r - g->rall)] : NULL;
  PetscFunctionReturn(0);
}

static PetscErrorCode Write(GepGNN g, GepH5 h5, const char group[], PetscInt m)
{
  PetscFunctionBegin;
  PetscCall(GepGNNWriteStack(h5, group, &g->v[m].net));
  PetscFunctionReturn(0);
}

static PetscErrorCode Read(GepGNN g, GepH5File h, const char path[], const char group[], PetscInt m)
{
  PetscFunctionBegin;
  PetscCall(GepGNNReadStack(h, path, group, &g->v[m].net));
  PetscFunctionReturn(0);
}

static PetscErrorCode View(GepGNN g, PetscInt m, PetscViewer viewer)
{
  GepGNNViewData *v = &g->v[m];

  PetscFunctionBegin;
  PetscCall(PetscViewerASCIIPrintf(
    viewer, "  view %s: %" PetscInt_FMT " features; sample graph k = %" PetscInt_FMT ", distance threshold %.6g\n",
    v->name, v->D, g->k, (double)v->threshold));
  PetscFunctionReturn(0);
}

const GepGNNViewNetOps GepGNNSampleNetOps = {
  .single        = PETSC_TRUE,
  .setup         = SetUpSampleViews,
  .setnodes      = SetNodes,
  .fixinput      = FixInput,
  .forward       = Forward,
  .backward      = Backward,
  .adam          = Adam,
  .nparams       = NumParameters,
  .copyparams    = CopyParameters,
  .gradientinput = GradientInput,
  .ablation      = GepGNNSampleAblation,
  .testinput     = TestInput,
  .write         = Write,
  .read          = Read,
  .view          = View,
};
