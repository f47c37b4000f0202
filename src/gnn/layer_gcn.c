/* The graph product of a GepGNN graph convolution: forward A S, backward A^T G,
   with the sparse graph (MATMPIAIJ) and the row blocks wrapped as MPI dense
   matrices (no copies: the layer's arrays are placed into the products). The
   products' symbolic phase is done once and reused. */
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

/* C = op(A) B into out: the first time C is created (and copied out), then out is placed into C */
static PetscErrorCode Product(GepGNNLayer *L, PetscBool transpose, Mat B, Mat *C, PetscReal *out)
{
  PetscFunctionBegin;
  if (!*C) {
    if (transpose) PetscCall(MatTransposeMatMult(L->A, B, MAT_INITIAL_MATRIX, PETSC_DEFAULT, C));
    else PetscCall(MatMatMult(L->A, B, MAT_INITIAL_MATRIX, PETSC_DEFAULT, C));
    PetscCall(CopyLocal(*C, L->nloc, L->batch * L->fout, out));
    PetscFunctionReturn(0);
  }
  PetscCall(MatDensePlaceArray(*C, out));
  if (transpose) PetscCall(MatTransposeMatMult(L->A, B, MAT_REUSE_MATRIX, PETSC_DEFAULT, C));
  else PetscCall(MatMatMult(L->A, B, MAT_REUSE_MATRIX, PETSC_DEFAULT, C));
  PetscCall(MatDenseResetArray(*C));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNGCNPropagate(GepGNNLayer *L)
{
  PetscFunctionBegin;
  PetscCall(Product(L, PETSC_FALSE, L->Sm, &L->AS, L->pre));
  PetscFunctionReturn(0);
}

/* S <- A^T dpre (G wraps dpre); A dpre for a graph known to be symmetric (PETSc's transpose product costs twice as much) */
PetscErrorCode GepGNNGCNBackPropagate(GepGNNLayer *L, const PetscReal *dpre)
{
  PetscBool set, symmetric;

  PetscFunctionBegin;
  PetscCheck(dpre == L->dpre, PETSC_COMM_SELF, PETSC_ERR_PLIB, "the gradient must be in the layer's dpre");
  PetscCall(MatIsSymmetricKnown(L->A, &set, &symmetric));
  PetscCall(Product(L, (PetscBool)!(set && symmetric), L->G, &L->AtG, L->S));
  PetscFunctionReturn(0);
}
