/* The graph products of a GepGNN graph convolution, with the sparse graph
   (MATMPIAIJ) and the row blocks wrapped as MPI dense matrices (no copies: the
   layer's arrays are placed into the products, whose symbolic phase is done
   once and reused). Transform first, pre = A (X W): forward A S, backward
   A^T G. Aggregate first when the layer widens (fin < fout, as PyTorch
   Geometric does; the sparse product then has fin columns, not fout):
   pre = (A X) W, keeping A X for dW = (A X)^T dpre, and dX = A^T (dpre W^T).
   A graph known to be symmetric multiplies by A instead of A^T (PETSc's
   transpose product costs twice as much). */
#include "gnnimpl.h"

static PetscErrorCode CopyLocal(Mat M, PetscInt n, PetscInt f, PetscReal *out)
{
  const PetscScalar *a;
  PetscInt           lda;

  PetscFunctionBegin;
  PetscCall(MatDenseGetLDA(M, &lda));
  PetscCall(MatDenseGetArrayRead(M, &a));
  for (PetscInt j = 0; j < f; j++)
    for (PetscInt i = 0; i < n; i++) out[j * n + i] = a[j * lda + i];
  PetscCall(MatDenseRestoreArrayRead(M, &a));
  PetscFunctionReturn(0);
}

static PetscErrorCode Transposed(GepGNNLayer *L, PetscBool *t)
{
  PetscBool set, symmetric;

  PetscFunctionBegin;
  PetscCall(MatIsSymmetricKnown(L->A, &set, &symmetric));
  *t = (PetscBool)!(set && symmetric);
  PetscFunctionReturn(0);
}

/* C = op(A) B into out (ncols columns): the first time C is created (and copied out), then out is placed into C */
static PetscErrorCode Product(GepGNNLayer *L, PetscBool transpose, Mat B, Mat *C, PetscInt ncols, PetscReal *out)
{
  PetscFunctionBegin;
  if (!*C) {
    if (transpose) PetscCall(MatTransposeMatMult(L->A, B, MAT_INITIAL_MATRIX, PETSC_DEFAULT, C));
    else PetscCall(MatMatMult(L->A, B, MAT_INITIAL_MATRIX, PETSC_DEFAULT, C));
    PetscCall(CopyLocal(*C, L->nloc, ncols, out));
    PetscFunctionReturn(0);
  }
  PetscCall(MatDensePlaceArray(*C, out));
  if (transpose) PetscCall(MatTransposeMatMult(L->A, B, MAT_REUSE_MATRIX, PETSC_DEFAULT, C));
  else PetscCall(MatMatMult(L->A, B, MAT_REUSE_MATRIX, PETSC_DEFAULT, C));
  PetscCall(MatDenseResetArray(*C));
  PetscFunctionReturn(0);
}

PetscBool GepGNNGCNAggregateFirst(const GepGNNLayer *L)
{
  return (PetscBool)(L->type == GEP_GNN_GCN && L->fin < L->fout);
}

PetscErrorCode GepGNNGCNForward(GepGNNLayer *L, const PetscReal *X)
{
  PetscInt n = L->nloc * L->batch;

  PetscFunctionBegin;
  if (!GepGNNGCNAggregateFirst(L)) {
    PetscCall(GepGNNGemm('N', 'N', n, L->fout, L->fin, 1.0, X, n, L->W, L->fin, 0.0, L->S, n));
    PetscCall(Product(L, PETSC_FALSE, L->Sm, &L->AS, L->batch * L->fout, L->pre)); /* pre = A S */
    PetscFunctionReturn(0);
  }
  PetscCall(MatDensePlaceArray(L->Xm, X)); /* AX = A X, then pre = AX W */
  PetscCall(Product(L, PETSC_FALSE, L->Xm, &L->AXm, L->batch * L->fin, L->AX));
  PetscCall(MatDenseResetArray(L->Xm));
  PetscCall(GepGNNGemm('N', 'N', n, L->fout, L->fin, 1.0, L->AX, n, L->W, L->fin, 0.0, L->pre, n));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNGCNBackward(GepGNNLayer *L, const PetscReal *X, PetscReal *dWb, PetscReal *dX)
{
  PetscInt  n = L->nloc * L->batch, fin = L->fin, fout = L->fout;
  PetscBool t = PETSC_TRUE;

  PetscFunctionBegin;
  PetscCall(Transposed(L, &t));
  if (!GepGNNGCNAggregateFirst(L)) { /* S = A^T dpre (G wraps dpre): the gradient with respect to X W */
    PetscCall(Product(L, t, L->G, &L->AtG, L->batch * fout, L->S));
    PetscCall(GepGNNGemm('T', 'N', fin, fout, n, 1.0, X, n, L->S, n, 0.0, dWb, fin));
    if (dX) PetscCall(GepGNNGemm('N', 'T', n, fin, fout, 1.0, L->S, n, L->W, fin, 0.0, dX, n));
    PetscFunctionReturn(0);
  }
  PetscCall(GepGNNGemm('T', 'N', fin, fout, n, 1.0, L->AX, n, L->dpre, n, 0.0, dWb, fin));
  if (dX) { /* dX = A^T (dpre W^T) */
    PetscCall(GepGNNGemm('N', 'T', n, fin, fout, 1.0, L->dpre, n, L->W, fin, 0.0, L->T, n));
    PetscCall(Product(L, t, L->Tm, &L->AtT, L->batch * fin, dX));
  }
  PetscFunctionReturn(0);
}
