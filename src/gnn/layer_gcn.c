/* The graph products of a GepGNN graph convolution, with the sparse graph
   (MATMPIAIJ) and the row blocks wrapped as MPI dense matrices (no copies: the
   arrays are placed into the products, whose symbolic phase is done once and
   reused). Transform first, pre = A (X W): forward A S, backward A^T G.
   Aggregate first when the layer widens (fin < fout, as PyTorch Geometric
   does; the sparse product then has fin columns, not fout): pre = (A X) W,
   keeping A X for dW = (A X)^T dpre, and dX = A^T (dpre W^T). A stack's input
   layer aggregates first also when it narrows by less than half (fin < 2 fout):
   its dX is not needed in training, so (A X) W costs one product of fin
   columns, A (X W) two of fout. A graph known to be symmetric multiplies by A
   instead of A^T. The passes that use them are in passes_real.h. */
#include "gnnimpl.h"

/* A^T for the backward products: formed once (MatTranspose) and multiplied as any matrix, which PETSc does twice as
   fast as its transpose product; NULL when A is known to be symmetric */
static PetscErrorCode Transpose(GepGNNLayer *L, Mat *At)
{
  PetscBool set, symmetric;

  PetscFunctionBegin;
  *At = NULL;
  PetscCall(MatIsSymmetricKnown(L->A, &set, &symmetric));
  if (set && symmetric) PetscFunctionReturn(0);
  if (!L->At) PetscCall(MatTranspose(L->A, MAT_INITIAL_MATRIX, &L->At));
  *At = L->At;
  PetscFunctionReturn(0);
}

PetscBool GepGNNGCNAggregateFirst(const GepGNNLayer *L)
{
  return (PetscBool)(L->type == GEP_GNN_GCN && (L->fin < L->fout || (L->input && L->fin < 2 * L->fout)));
}

/* PETSc 3.18's MPIAIJ x MPIDense product multiplies the diagonal block by the local rows with MatMatMult(...,
   MAT_REUSE_MATRIX, ...) on the product's local block, which carries no product of its own and so repeats the
   symbolic phase on every call (a TODO in PETSc's source; about 10 ms for 800 columns here). A product created once
   on that local block with the same operands is reused by it instead. */
static PetscErrorCode KeepLocalProduct(Mat A, Mat B, Mat C)
{
  PetscMPIInt size;
  PetscBool   mpiaij;
  Mat         Ad, Ao, Bl, Cl;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)A), &size));
  PetscCall(PetscObjectTypeCompare((PetscObject)A, MATMPIAIJ, &mpiaij));
  if (size == 1 || !mpiaij) PetscFunctionReturn(0);
  PetscCall(MatMPIAIJGetSeqAIJ(A, &Ad, &Ao, NULL));
  PetscCall(MatDenseGetLocalMatrix(B, &Bl));
  PetscCall(MatDenseGetLocalMatrix(C, &Cl));
  PetscCall(MatProductCreateWithMat(Ad, Bl, NULL, Cl));
  PetscCall(MatProductSetType(Cl, MATPRODUCT_AB));
  PetscCall(MatProductSetFromOptions(Cl));
  PetscCall(MatProductSymbolic(Cl));
  PetscFunctionReturn(0);
}

/* out = op(A) in: in placed into the kind's wrapper B, out into its product C (both created at the first call) */
PetscErrorCode GepGNNGCNProduct(GepGNNLayer *L, GepGNNGCNProductKind kind, const PetscReal *in, PetscReal *out)
{
  Mat      A = L->A, At = NULL, *B = &L->Bwrap[kind], *C = &L->Cprod[kind];
  PetscInt ncols = L->batch * (kind == GEP_GCN_FORWARD_OUT || kind == GEP_GCN_BACKWARD_OUT ? L->fout : L->fin);

  PetscFunctionBegin;
  if (kind == GEP_GCN_BACKWARD_OUT || kind == GEP_GCN_BACKWARD_IN) PetscCall(Transpose(L, &At));
  if (At) A = At;
  if (!*B) { /* the first call: the wrapper made on in, the product on out (so that PETSc allocates no array of its
                own, as large as the activation, which the later calls would not use), its symbolic phase done */
    PetscCall(MatCreateDense(L->comm, L->nloc, PETSC_DECIDE, L->N, ncols, (PetscScalar *)in, B));
    PetscCall(MatCreateDense(L->comm, L->nloc, PETSC_DECIDE, L->N, ncols, out, C));
    PetscCall(MatProductCreateWithMat(A, *B, NULL, *C));
    PetscCall(MatProductSetType(*C, MATPRODUCT_AB));
    PetscCall(MatProductSetFromOptions(*C));
    PetscCall(MatProductSymbolic(*C));
    PetscCall(KeepLocalProduct(A, *B, *C));
    PetscCall(MatProductNumeric(*C));
    PetscFunctionReturn(0);
  }
  PetscCall(MatDensePlaceArray(*B, in));
  PetscCall(MatDensePlaceArray(*C, out));
  PetscCall(MatMatMult(A, *B, MAT_REUSE_MATRIX, PETSC_DEFAULT, C));
  PetscCall(MatDenseResetArray(*C));
  PetscCall(MatDenseResetArray(*B));
  PetscFunctionReturn(0);
}
