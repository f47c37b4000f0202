/* The graph product of a GepGNN graph convolution: forward A S, backward A^T G,
   with the sparse graph (MATMPIAIJ) and the row blocks wrapped as MPI dense
   matrices; the products' symbolic phase is done once and reused. */
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

PetscErrorCode GepGNNGCNPropagate(GepGNNLayer *L)
{
  PetscFunctionBegin;
  PetscCall(MatMatMult(L->A, L->Sm, L->AS ? MAT_REUSE_MATRIX : MAT_INITIAL_MATRIX, PETSC_DEFAULT, &L->AS));
  PetscCall(CopyLocal(L->AS, L->nloc, L->fout, L->pre));
  PetscFunctionReturn(0);
}

/* S <- A^T dpre */
PetscErrorCode GepGNNGCNBackPropagate(GepGNNLayer *L, const PetscReal *dpre)
{
  PetscScalar *g;
  PetscInt     lda;

  PetscFunctionBegin;
  PetscCall(MatDenseGetLDA(L->G, &lda));
  PetscCall(MatDenseGetArrayWrite(L->G, &g));
  for (PetscInt j = 0; j < L->fout; j++)
    for (PetscInt i = 0; i < L->nloc; i++) g[j * lda + i] = dpre[j * L->nloc + i];
  PetscCall(MatDenseRestoreArrayWrite(L->G, &g));
  PetscCall(MatTransposeMatMult(L->A, L->G, L->AtG ? MAT_REUSE_MATRIX : MAT_INITIAL_MATRIX, PETSC_DEFAULT, &L->AtG));
  PetscCall(CopyLocal(L->AtG, L->nloc, L->fout, L->S));
  PetscFunctionReturn(0);
}
