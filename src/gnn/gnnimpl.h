/* GepGNN internals: layers on row blocks. A rank holds the rows of its samples
   (or nodes) of every activation, column-major (nlocal x features, leading
   dimension nlocal) so that a block is also the local part of a PETSc MPI dense
   matrix; weights are replicated and their gradients summed over ranks. */
#pragma once
#include <petscmat.h>
#include "gepsys.h"

typedef enum { GEP_GNN_DENSE, GEP_GNN_GCN } GepGNNLayerType;

typedef struct {
  GepGNNLayerType type;
  MPI_Comm        comm;
  PetscInt        fin, fout, nloc, N;
  PetscReal       slope;   /* LeakyReLU: slope below 0 (1: identity) */
  PetscReal      *W, *b;   /* fin x fout (column-major), fout */
  PetscReal      *dW, *db; /* their gradients, summed over ranks */
  PetscReal      *pre;     /* nloc x fout: the activation's input */
  PetscReal      *S;       /* GCN: nloc x fout work (X W, then the gradient A^T G) */
  Mat             A;       /* GCN: the graph (a reference) */
  Mat             Sm, AS, G, AtG; /* GCN: dense wrappers and products */
} GepGNNLayer;

/* weights drawn as torch's xavier_uniform_ (bound sqrt(6 / (fin + fout))), bias 0 */
PETSC_INTERN PetscErrorCode GepGNNLayerSetUp(GepGNNLayer *, MPI_Comm, GepGNNLayerType, PetscInt fin, PetscInt fout, PetscInt nlocal, PetscInt N, Mat A, PetscReal slope, PetscRandom);
/* Y = act(X W + b) (dense) or act(A (X W) + b) (GCN); X nlocal x fin, Y nlocal x fout */
PETSC_INTERN PetscErrorCode GepGNNLayerForward(GepGNNLayer *, const PetscReal *X, PetscReal *Y);
/* from dL/dY (nlocal x fout): dW, db (summed over ranks) and, if dX is not NULL, dL/dX */
PETSC_INTERN PetscErrorCode GepGNNLayerBackward(GepGNNLayer *, const PetscReal *X, const PetscReal *dY, PetscReal *dX);
PETSC_INTERN PetscErrorCode GepGNNLayerDestroy(GepGNNLayer *);
/* column-major C = alpha op(A) op(B) + beta C: the row-major C^T = op(B)^T op(A)^T */
static inline PetscErrorCode GepGNNGemm(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, PetscReal alpha, const PetscReal *A, PetscInt lda, const PetscReal *B, PetscInt ldb, PetscReal beta, PetscReal *C, PetscInt ldc)
{
  return GepGemm(tb, ta, n, m, k, alpha, B, ldb, A, lda, beta, C, ldc);
}
/* L = (1 / N) sum_i w_i CE(softmax(Z_i), y_i) over all ranks' samples (w NULL: 1);
   Z nlocal x C (column-major); dZ (may be NULL) = dL/dZ. A label outside 0..C-1 is an error. */
PETSC_INTERN PetscErrorCode GepGNNCrossEntropy(MPI_Comm, PetscInt nlocal, PetscInt C, const PetscReal *Z, const PetscInt *y, const PetscReal *w, PetscReal *loss, PetscReal *dZ);
/* one Adam step (beta 0.9, 0.999, eps 1e-8) at step t >= 1 on n parameters with moments m, v */
PETSC_INTERN void GepGNNAdamStep(PetscInt n, PetscReal *p, const PetscReal *g, PetscReal *m, PetscReal *v, PetscInt t, PetscReal lr);
