/* The linear model with -gnn_loss mse is ridge regression, a quadratic whose
   minimum is one linear solve: on standardised features (zero training mean)
   the intercept is the targets' mean and the weights solve
   (X^T X + alpha I) w = X^T (t - mean t), scikit-learn's Ridge(alpha). X^T X
   and X^T t are summed over the ranks' samples; every rank then factors the
   same D x D matrix (PETSc's dense Cholesky through KSP) and gets the same
   weights. Beyond GEP_RIDGE_MAX_FEATURES the dense matrix would not fit, and
   the caller minimises with Tao instead. */
#include <petscksp.h>
#include "gnnimpl.h"

PetscErrorCode GepGNNSolveRidge(GepGNN g, const PetscReal *X, PetscBool *solved)
{
  PetscInt    D = g->lin.fin, n = g->ntr;
  PetscReal  *G, mean           = 0, *tc;
  Mat         A;
  Vec         b, w;
  KSP         ksp;
  PC          pc;
  PetscMPIInt cnt;

  PetscFunctionBegin;
  *solved = PETSC_FALSE;
  if (D > GEP_RIDGE_MAX_FEATURES) PetscFunctionReturn(0);
  for (PetscInt i = 0; i < n; i++) mean += g->ttr[i];
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &mean, 1, MPIU_REAL, MPI_SUM, g->comm));
  mean /= g->Ntr;
  PetscCall(PetscMalloc2(D * D + D, &G, n + 1, &tc));
  for (PetscInt i = 0; i < n; i++) tc[i] = g->ttr[i] - mean;
  PetscCall(GepGNNGemm('T', 'N', D, D, n, 1.0, X, n, X, n, 0.0, G, D));
  PetscCall(GepGNNGemm('T', 'N', D, 1, n, 1.0, X, n, tc, n, 0.0, G + D * D, D));
  PetscCall(PetscMPIIntCast(D * D + D, &cnt));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, G, cnt, MPIU_REAL, MPI_SUM, g->comm));
  for (PetscInt j = 0; j < D; j++) G[j * D + j] += g->ridge_alpha;
  PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, D, D, G, &A));
  PetscCall(MatSetOption(A, MAT_SPD, PETSC_TRUE));
  PetscCall(VecCreateSeqWithArray(PETSC_COMM_SELF, 1, D, G + D * D, &b));
  PetscCall(VecCreateSeqWithArray(PETSC_COMM_SELF, 1, D, g->lin.W, &w));
  PetscCall(KSPCreate(PETSC_COMM_SELF, &ksp));
  PetscCall(KSPSetOperators(ksp, A, A));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCCHOLESKY));
  PetscCall(KSPSetOptionsPrefix(ksp, "gnn_ridge_"));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(KSPSolve(ksp, b, w));
  g->lin.b[0] = mean;
  PetscCall(KSPDestroy(&ksp));
  PetscCall(VecDestroy(&b));
  PetscCall(VecDestroy(&w));
  PetscCall(MatDestroy(&A));
  PetscCall(PetscFree2(G, tc));
  *solved = PETSC_TRUE;
  PetscFunctionReturn(0);
}
