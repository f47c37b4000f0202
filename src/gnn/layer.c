/* GepGNN layers: a dense layer (X W + b), MOGONET's graph convolution
   (A (X W) + b, the graph product in layer_gcn.c) and a graph attention layer
   (layer_gat.c), each followed by a LeakyReLU (slope 1: none). Forward keeps
   the activation's input; backward turns dL/dY into the weight gradients (one
   allreduce) and dL/dX. */
#include "gnnimpl.h"

PetscErrorCode GepGNNLayerSetNodes(GepGNNLayer *L, PetscInt nloc, PetscInt N, Mat A)
{
  PetscFunctionBegin;
  PetscCall(GepGNNLayerSetNodesBatch(L, nloc, N, A, 1));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerSetNodesBatch(GepGNNLayer *L, PetscInt nloc, PetscInt N, Mat A, PetscInt batch)
{
  PetscInt rows = nloc * batch;

  PetscFunctionBegin;
  PetscCheck(L->type == GEP_GNN_DENSE || A, L->comm, PETSC_ERR_ARG_NULL, "a graph convolution needs a graph");
  PetscCall(PetscFree3(L->pre, L->S, L->dpre));
  PetscCall(PetscFree2(L->AX, L->T));
  PetscCall(MatDestroy(&L->Sm));
  PetscCall(MatDestroy(&L->AS));
  PetscCall(MatDestroy(&L->G));
  PetscCall(MatDestroy(&L->AtG));
  PetscCall(MatDestroy(&L->Xm));
  PetscCall(MatDestroy(&L->AXm));
  PetscCall(MatDestroy(&L->Tm));
  PetscCall(MatDestroy(&L->AtT));
  PetscCall(GepGNNGATDestroy(L));
  L->nloc  = nloc;
  L->N     = N;
  L->A     = A;
  L->batch = batch;
  PetscCall(PetscMalloc3(rows * L->fout + 1, &L->pre, rows * L->fout + 1, &L->S, rows * L->fout + 1, &L->dpre));
  if (GepGNNGCNAggregateFirst(L)) { /* wrappers of the input (placed at each call), A X, dpre W^T */
    PetscCall(PetscMalloc2(rows * L->fin + 1, &L->AX, rows * L->fin + 1, &L->T));
    PetscCall(MatCreateDense(L->comm, nloc, PETSC_DECIDE, N, batch * L->fin, L->AX, &L->Xm));
    PetscCall(MatCreateDense(L->comm, nloc, PETSC_DECIDE, N, batch * L->fin, L->T, &L->Tm));
  } else if (L->type == GEP_GNN_GCN) {
    PetscCall(MatCreateDense(L->comm, nloc, PETSC_DECIDE, N, batch * L->fout, L->S, &L->Sm));
    PetscCall(MatCreateDense(L->comm, nloc, PETSC_DECIDE, N, batch * L->fout, L->dpre, &L->G));
  } else if (L->type == GEP_GNN_GAT) PetscCall(GepGNNGATSetUp(L));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerSetUp(GepGNNLayer *L, MPI_Comm comm, GepGNNLayerType type, PetscInt fin, PetscInt fout, PetscInt nloc, PetscInt N, Mat A, PetscReal slope, PetscRandom rnd)
{
  PetscInt nw = fin * fout + (type == GEP_GNN_GAT ? 2 * fout : 0);

  PetscFunctionBegin;
  PetscCall(PetscMemzero(L, sizeof(*L)));
  L->type  = type;
  L->comm  = comm;
  L->fin   = fin;
  L->fout  = fout;
  L->nw    = nw;
  L->slope = slope;
  PetscCall(PetscMalloc4(nw, &L->W, fout, &L->b, nw, &L->dW, fout, &L->db));
  PetscCall(PetscCalloc4(nw, &L->mW, nw, &L->vW, fout, &L->mb, fout, &L->vb));
  PetscCall(PetscMalloc1(nw + fout, &L->buf));
  for (PetscInt i = 0; i < nw; i++) { /* every rank draws the same stream */
    PetscCall(GepRandomNormal(rnd, &L->W[i]));
    L->W[i] *= PetscSqrtReal(2.0 / (i < fin * fout ? fin + fout : 1 + fout));
  }
  for (PetscInt j = 0; j < fout; j++) L->b[j] = 0.0;
  PetscCall(GepGNNLayerSetNodes(L, nloc, N, A));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerForward(GepGNNLayer *L, const PetscReal *X, PetscReal *Y)
{
  PetscInt n = L->nloc * L->batch; /* the GEMM's rows: (node, signal) pairs */

  PetscFunctionBegin;
  if (L->type == GEP_GNN_GCN) PetscCall(GepGNNGCNForward(L, X));
  else if (L->type == GEP_GNN_GAT) PetscCall(GepGNNGATForward(L, X));
  else PetscCall(GepGNNGemm('N', 'N', n, L->fout, L->fin, 1.0, X, n, L->W, L->fin, 0.0, L->pre, n));
  for (PetscInt j = 0; j < L->fout; j++) {
    PetscReal *restrict pre = L->pre + j * n, *restrict y = Y + j * n;
    PetscReal           bj = L->b[j], slope = L->slope;
    for (PetscInt i = 0; i < n; i++) {
      PetscReal p = pre[i] += bj;
      y[i]        = p >= 0 ? p : slope * p;
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerBackward(GepGNNLayer *L, const PetscReal *X, const PetscReal *dY, PetscReal *dX)
{
  PetscInt         n = L->nloc * L->batch, fin = L->fin, fout = L->fout, nw = L->nw;
  PetscReal       *dpre = L->dpre, *buf = L->buf;
  PetscMPIInt      nwb;

  PetscFunctionBegin;
  {
    const PetscReal *restrict pre = L->pre, *restrict dy = dY;
    PetscReal *restrict       dp  = dpre, slope = L->slope;
    for (PetscInt i = 0; i < n * fout; i++) dp[i] = pre[i] >= 0 ? dy[i] : slope * dy[i];
  }
  for (PetscInt j = 0; j < fout; j++) {
    buf[nw + j] = 0;
    for (PetscInt i = 0; i < n; i++) buf[nw + j] += dpre[j * n + i];
  }
  if (L->type == GEP_GNN_GCN) PetscCall(GepGNNGCNBackward(L, X, buf, dX));
  else if (L->type == GEP_GNN_GAT) PetscCall(GepGNNGATBackward(L, X, buf, dX));
  else PetscCall(GepGNNGemm('T', 'N', fin, fout, n, 1.0, X, n, dpre, n, 0.0, buf, fin));
  PetscCall(PetscMPIIntCast(nw + fout, &nwb));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, buf, nwb, MPIU_REAL, MPI_SUM, L->comm));
  PetscCall(PetscArraycpy(L->dW, buf, nw));
  PetscCall(PetscArraycpy(L->db, buf + nw, fout));
  if (dX && L->type == GEP_GNN_DENSE) PetscCall(GepGNNGemm('N', 'T', n, fin, fout, 1.0, dpre, n, L->W, fin, 0.0, dX, n));
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
    PetscFunctionReturn(0);
  }
  if (l2 > 0)
    for (PetscInt i = 0; i < nw; i++) L->dW[i] += l2 * L->W[i];
  GepGNNAdamStep(nw, L->W, L->dW, L->mW, L->vW, t, lr);
  GepGNNAdamStep(L->fout, L->b, L->db, L->mb, L->vb, t, lr);
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerDestroy(GepGNNLayer *L)
{
  PetscFunctionBegin;
  PetscCall(PetscFree4(L->W, L->b, L->dW, L->db));
  PetscCall(PetscFree4(L->mW, L->vW, L->mb, L->vb));
  PetscCall(PetscFree(L->buf));
  PetscCall(PetscFree3(L->pre, L->S, L->dpre));
  PetscCall(PetscFree2(L->AX, L->T));
  PetscCall(MatDestroy(&L->Sm));
  PetscCall(MatDestroy(&L->AS));
  PetscCall(MatDestroy(&L->G));
  PetscCall(MatDestroy(&L->AtG));
  PetscCall(MatDestroy(&L->Xm));
  PetscCall(MatDestroy(&L->AXm));
  PetscCall(MatDestroy(&L->Tm));
  PetscCall(MatDestroy(&L->AtT));
  PetscCall(GepGNNGATDestroy(L));
  PetscFunctionReturn(0);
}
