/* GepGNN layers: a dense layer (X W + b) and MOGONET's graph convolution
   (A (X W) + b, the graph product in layer_gcn.c), each followed by a LeakyReLU
   (slope 1: none). Forward keeps the activation's input; backward turns dL/dY
   into the weight gradients (one allreduce) and dL/dX. */
#include "gnnimpl.h"

PETSC_INTERN PetscErrorCode GepGNNGCNPropagate(GepGNNLayer *);
PETSC_INTERN PetscErrorCode GepGNNGCNBackPropagate(GepGNNLayer *, const PetscReal *dpre);

PetscErrorCode GepGNNLayerSetUp(GepGNNLayer *L, MPI_Comm comm, GepGNNLayerType type, PetscInt fin, PetscInt fout, PetscInt nloc, PetscInt N, Mat A, PetscReal slope, PetscRandom rnd)
{
  PetscReal bound = PetscSqrtReal(6.0 / (fin + fout));

  PetscFunctionBegin;
  PetscCheck(type == GEP_GNN_DENSE || A, comm, PETSC_ERR_ARG_NULL, "a graph convolution needs a graph");
  L->type  = type;
  L->comm  = comm;
  L->fin   = fin;
  L->fout  = fout;
  L->nloc  = nloc;
  L->N     = N;
  L->slope = slope;
  L->A     = A;
  PetscCall(PetscMalloc4(fin * fout, &L->W, fout, &L->b, fin * fout, &L->dW, fout, &L->db));
  PetscCall(PetscMalloc2(nloc * fout + 1, &L->pre, nloc * fout + 1, &L->S));
  for (PetscInt i = 0; i < fin * fout; i++) { /* every rank draws the same stream */
    PetscReal u;
    PetscCall(PetscRandomGetValueReal(rnd, &u));
    L->W[i] = bound * (2.0 * u - 1.0);
  }
  for (PetscInt j = 0; j < fout; j++) L->b[j] = 0.0;
  if (type == GEP_GNN_GCN) {
    PetscCall(MatCreateDense(comm, nloc, PETSC_DECIDE, N, fout, L->S, &L->Sm));
    PetscCall(MatCreateDense(comm, nloc, PETSC_DECIDE, N, fout, NULL, &L->G));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerForward(GepGNNLayer *L, const PetscReal *X, PetscReal *Y)
{
  PetscInt n = L->nloc;

  PetscFunctionBegin;
  if (L->type == GEP_GNN_GCN) {
    PetscCall(GepGNNGemm('N', 'N', n, L->fout, L->fin, 1.0, X, n, L->W, L->fin, 0.0, L->S, n));
    PetscCall(GepGNNGCNPropagate(L)); /* pre = A S */
  } else PetscCall(GepGNNGemm('N', 'N', n, L->fout, L->fin, 1.0, X, n, L->W, L->fin, 0.0, L->pre, n));
  for (PetscInt j = 0; j < L->fout; j++)
    for (PetscInt i = 0; i < n; i++) {
      PetscReal p = L->pre[j * n + i] += L->b[j];
      Y[j * n + i] = p >= 0 ? p : L->slope * p;
    }
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerBackward(GepGNNLayer *L, const PetscReal *X, const PetscReal *dY, PetscReal *dX)
{
  PetscInt   n = L->nloc, fin = L->fin, fout = L->fout;
  PetscReal       *dpre, *buf;
  const PetscReal *dlin;
  PetscMPIInt      nw, nb;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(n * fout + 1, &dpre, fin * fout + fout, &buf));
  for (PetscInt i = 0; i < n * fout; i++) dpre[i] = L->pre[i] >= 0 ? dY[i] : L->slope * dY[i];
  for (PetscInt j = 0; j < fout; j++) {
    buf[fin * fout + j] = 0;
    for (PetscInt i = 0; i < n; i++) buf[fin * fout + j] += dpre[j * n + i];
  }
  /* the gradient with respect to X W: dpre itself, or A^T dpre for a graph convolution */
  dlin = dpre;
  if (L->type == GEP_GNN_GCN) {
    PetscCall(GepGNNGCNBackPropagate(L, dpre));
    dlin = L->S;
  }
  PetscCall(GepGNNGemm('T', 'N', fin, fout, n, 1.0, X, n, dlin, n, 0.0, buf, fin));
  PetscCall(PetscMPIIntCast(fin * fout, &nw));
  PetscCall(PetscMPIIntCast(fout, &nb));
  PetscCallMPI(MPI_Allreduce(buf, L->dW, nw, MPIU_REAL, MPI_SUM, L->comm));
  PetscCallMPI(MPI_Allreduce(buf + fin * fout, L->db, nb, MPIU_REAL, MPI_SUM, L->comm));
  if (dX) PetscCall(GepGNNGemm('N', 'T', n, fin, fout, 1.0, dlin, n, L->W, fin, 0.0, dX, n));
  PetscCall(PetscFree2(dpre, buf));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerDestroy(GepGNNLayer *L)
{
  PetscFunctionBegin;
  PetscCall(PetscFree4(L->W, L->b, L->dW, L->db));
  PetscCall(PetscFree2(L->pre, L->S));
  PetscCall(MatDestroy(&L->Sm));
  PetscCall(MatDestroy(&L->AS));
  PetscCall(MatDestroy(&L->G));
  PetscCall(MatDestroy(&L->AtG));
  PetscFunctionReturn(0);
}
