/* GepGNN layers, of a type registered by name (layer_register.c: dense,
   MOGONET's graph convolution in layer_gcn.c, graph attention in layer_gat.c),
   each followed by a LeakyReLU (slope 1: none): their set-up and Adam. The
   passes (passes_real.h): forward writes the output only; backward reads the activation's gradient off the output's
   sign and turns dL/dY into the weight gradients (one allreduce) and dL/dX. */
#include "gnnimpl.h"

PetscErrorCode GepGNNLayerSetNodes(GepGNNLayer *L, PetscInt nloc, PetscInt N, Mat A)
{
  PetscFunctionBegin;
  PetscCall(GepGNNLayerSetNodesBatch(L, nloc, N, A, 1));
  PetscFunctionReturn(0);
}

/* what depends on the node set: the activations' arrays, the graph products and their wrappers, the GAT's edges */
static PetscErrorCode FreeNodeArrays(GepGNNLayer *L)
{
  PetscFunctionBegin;
  if (L->stack_work) { /* the stack's, bound again by its next pass */
    L->pre = L->S = L->dpre = NULL;
    L->S_s = L->pre_s = L->dpre_s = NULL;
  } else PetscCall(PetscFree3(L->pre, L->S, L->dpre));
  PetscCall(MatDestroy(&L->At));
  for (PetscInt k = 0; k < GEP_GCN_NUM_PRODUCTS; k++) {
    PetscCall(MatDestroy(&L->Bwrap[k]));
    PetscCall(MatDestroy(&L->Cprod[k]));
  }
  if (L->ops && L->ops->destroynodes) PetscCall(L->ops->destroynodes(L));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerSetNodesBatch(GepGNNLayer *L, PetscInt nloc, PetscInt N, Mat A, PetscInt batch)
{
  PetscInt rows = nloc * batch;

  PetscFunctionBegin;
  PetscCheck(!L->ops->graph || A, L->comm, PETSC_ERR_ARG_NULL, "a layer of %s needs a graph", L->ops->description);
  PetscCall(FreeNodeArrays(L));
  L->AXof   = NULL;
  L->nloc   = nloc;
  L->N      = N;
  L->A      = A;
  L->batch  = batch;
  L->staged = L->outer = L->double_input = PETSC_FALSE; /* (a type's setnodes may set them) */
  if (!L->stack_work)
    PetscCall(PetscMalloc3(rows * L->fout + 1, &L->pre, rows * L->fout + 1, &L->S, rows * L->fout + 1, &L->dpre));
  if (L->ops->setnodes) PetscCall(L->ops->setnodes(L));
  PetscFunctionReturn(0);
}

static PetscErrorCode LayerSetUp(GepGNNLayer *L, MPI_Comm comm, GepGNNLayerType type, PetscInt fin, PetscInt fout,
                                 PetscInt nloc, PetscInt N, Mat A, PetscReal slope, PetscRandom rnd,
                                 PetscBool stack_work)
{
  PetscInt nw;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(L, sizeof(*L)));
  PetscCall(GepGNNLayerSetType(L, type));
  nw            = fin * fout + L->ops->extra_per_output * fout;
  L->comm       = comm;
  L->fin        = fin;
  L->fout       = fout;
  L->nw         = nw;
  L->slope      = slope;
  L->stack_work = stack_work; /* (before the nodes are set: the work arrays are then not the layer's own) */
  PetscCall(PetscMalloc3(nw, &L->W, fout, &L->b, nw + fout, &L->dW));
  L->db = L->dW + nw; /* one array: the gradients are summed over the ranks by one allreduce */
  PetscCall(PetscCalloc4(nw, &L->mW, nw, &L->vW, fout, &L->mb, fout, &L->vb));
  for (PetscInt i = 0; i < nw; i++) { /* every rank draws the same stream */
    PetscCall(GepRandomNormal(rnd, &L->W[i]));
    L->W[i] *= PetscSqrtReal(2.0 / (i < fin * fout ? fin + fout : 1 + fout));
  }
  for (PetscInt j = 0; j < fout; j++) L->b[j] = 0.0;
  PetscCall(GepGNNLayerSetNodes(L, nloc, N, A));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerSetUp(GepGNNLayer *L, MPI_Comm comm, GepGNNLayerType type, PetscInt fin, PetscInt fout,
                                PetscInt nloc, PetscInt N, Mat A, PetscReal slope, PetscRandom rnd)
{
  PetscFunctionBegin;
  PetscCall(LayerSetUp(L, comm, type, fin, fout, nloc, N, A, slope, rnd, PETSC_FALSE));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerSetUpInStack(GepGNNLayer *L, MPI_Comm comm, GepGNNLayerType type, PetscInt fin, PetscInt fout,
                                       PetscInt nloc, PetscInt N, Mat A, PetscReal slope, PetscRandom rnd)
{
  PetscFunctionBegin;
  PetscCall(LayerSetUp(L, comm, type, fin, fout, nloc, N, A, slope, rnd, PETSC_TRUE));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerAdam(GepGNNLayer *L, PetscInt t, PetscReal lr, PetscReal l2)
{
  PetscInt nw = L->nw;

  PetscFunctionBegin;
  if (t == 0) {
    PetscCall(PetscArrayzero(L->mW, nw));
    PetscCall(PetscArrayzero(L->vW, nw));
    PetscCall(PetscArrayzero(L->mb, L->fout));
    PetscCall(PetscArrayzero(L->vb, L->fout));
    if (L->mW_s) PetscCall(PetscArrayzero(L->mW_s, nw));
    if (L->vW_s) PetscCall(PetscArrayzero(L->vW_s, nw));
    PetscFunctionReturn(0);
  }
  if (L->single) {
    if (l2 > 0)
      for (PetscInt i = 0; i < nw; i++) L->buf_s[i] += (float)l2 * L->W_s[i];
    GepGNNAdamStepSingle(nw, L->W_s, L->buf_s, L->mW_s, L->vW_s, t, lr);
    L->W_behind = PETSC_TRUE;
  } else {
    if (l2 > 0)
      for (PetscInt i = 0; i < nw; i++) L->dW[i] += l2 * L->W[i];
    GepGNNAdamStep(nw, L->W, L->dW, L->mW, L->vW, t, lr);
  }
  GepGNNAdamStep(L->fout, L->b, L->db, L->mb, L->vb, t, lr);
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerSetSingle(GepGNNLayer *L, PetscBool single)
{
  PetscFunctionBegin;
  if (single == L->single) PetscFunctionReturn(0);
  PetscCheck(!single || L->ops->forward_single, L->comm, PETSC_ERR_SUP, "%s run in double precision only",
             L->ops->description);
  if (single) { /* the float weights (made from W here, and again where W is set), their gradients and moments */
    if (!L->mW_s) PetscCall(PetscMalloc2(L->nw, &L->mW_s, L->nw, &L->vW_s));
    PetscCall(PetscMalloc2(L->nw, &L->W_s, L->nw + L->fout, &L->buf_s));
    GepGNNToSingle(L->nw, L->W, L->W_s);
    GepGNNToSingle(L->nw, L->mW, L->mW_s);
    GepGNNToSingle(L->nw, L->vW, L->vW_s);
  } else {
    GepGNNLayerSyncWeights(L);
    PetscCall(PetscFree2(L->W_s, L->buf_s));
    GepGNNToDouble(L->nw, L->mW_s, L->mW);
    GepGNNToDouble(L->nw, L->vW_s, L->vW);
  }
  L->single = single;
  PetscFunctionReturn(0);
}

void GepGNNLayerSyncWeights(GepGNNLayer *L)
{
  if (!L->W_behind) return;
  GepGNNToDouble(L->nw, L->W_s, L->W);
  L->W_behind = PETSC_FALSE;
}

PetscErrorCode GepGNNLayerDestroy(GepGNNLayer *L)
{
  PetscFunctionBegin;
  PetscCall(PetscFree3(L->W, L->b, L->dW));
  PetscCall(PetscFree4(L->mW, L->vW, L->mb, L->vb));
  PetscCall(PetscFree2(L->mW_s, L->vW_s));
  PetscCall(PetscFree2(L->W_s, L->buf_s));
  PetscCall(FreeNodeArrays(L));
  PetscFunctionReturn(0);
}
