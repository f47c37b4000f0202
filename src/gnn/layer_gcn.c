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
   instead of A^T. A large graph that one process holds is multiplied in blocks
   of its columns (BlockedProduct). The passes that use them are in
   passes_real.h. */
#include <unistd.h>
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

static const GepGNNLayerOps GCNOps;

PetscBool GepGNNGCNAggregateFirst(const GepGNNLayer *L)
{
  return (PetscBool)(L->ops == &GCNOps && (L->fin < L->fout || (L->input && L->fin < 2 * L->fout)));
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

/* A graph on one process multiplied in column blocks: PETSc's product gathers the rows of 4 columns of its dense
   factor at a time from anywhere in them, which for a graph of 20,000 nodes (640 kB) is more than a core's L2 cache
   (512 kB on AMD EPYC) and goes to the L3 that the ranks share; in blocks of columns of A it gathers from a block's
   rows only. out = sum_k A[:, block k] in[block k, :], the partial products after the first summed into work. On a
   20,000-node random graph with 800 columns: 2 blocks 280 ms a product against 311, and two processes side by side
   325 against 397 each. */
struct _GepGNNColumnBlocks {
  PetscInt K, *start; /* blocks [start[k], start[k + 1]) of the N columns */
  Mat     *A[2];      /* the blocks of A and (not symmetric) of A^T, made at their first use */
  Mat     *B[GEP_GCN_NUM_PRODUCTS],
    *C[GEP_GCN_NUM_PRODUCTS]; /* per product kind and block: wrapper of in's rows, product */
  PetscReal *work;            /* the blocks' partial products after the first: N x (batch max(fin, fout)) */
};

/* the gathered rows of 4 columns of a block, at most: three quarters of this machine's
   L2 cache (sysconf; 512 kB where it does not say) */
static size_t GatherBytes(void)
{
  long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
  return (size_t)(l2 > 0 ? l2 : 512 * 1024) / 4 * 3;
}

PetscInt GepGNNGCNColumnBlocks(const GepGNNLayer *L)
{
  size_t   g = GatherBytes();
  PetscInt K = L->colblocks > 0 ? L->colblocks : (PetscInt)((4 * sizeof(PetscReal) * (size_t)L->N + g - 1) / g);
  return PetscMax(1, PetscMin(K, L->N));
}

static PetscErrorCode BlocksDestroy(GepGNNLayer *L)
{
  GepGNNColumnBlocks *b = L->blk;

  PetscFunctionBegin;
  if (!b) PetscFunctionReturn(0);
  for (PetscInt k = 0; k < b->K; k++) {
    for (PetscInt t = 0; t < 2; t++)
      if (b->A[t]) PetscCall(MatDestroy(&b->A[t][k]));
    for (PetscInt q = 0; q < GEP_GCN_NUM_PRODUCTS; q++) {
      if (b->B[q]) PetscCall(MatDestroy(&b->B[q][k]));
      if (b->C[q]) PetscCall(MatDestroy(&b->C[q][k]));
    }
  }
  for (PetscInt t = 0; t < 2; t++) PetscCall(PetscFree(b->A[t]));
  for (PetscInt q = 0; q < GEP_GCN_NUM_PRODUCTS; q++) PetscCall(PetscFree2(b->B[q], b->C[q]));
  PetscCall(PetscFree(b->start));
  PetscCall(PetscFree(b->work));
  PetscCall(PetscFree(L->blk));
  PetscFunctionReturn(0);
}

/* the column blocks of the one-process matrix M (the graph or its transpose, t = 0 or 1) */
static PetscErrorCode BlocksOf(GepGNNColumnBlocks *b, Mat M, PetscInt t)
{
  PetscBool mpiaij;
  Mat       Ms = M;
  IS        rows, cols;
  PetscInt  N;

  PetscFunctionBegin;
  PetscCall(PetscObjectTypeCompare((PetscObject)M, MATMPIAIJ, &mpiaij));
  if (mpiaij) PetscCall(MatMPIAIJGetSeqAIJ(M, &Ms, NULL, NULL)); /* on one process: the whole matrix */
  PetscCall(MatGetSize(Ms, &N, NULL));
  PetscCall(PetscCalloc1(b->K, &b->A[t]));
  PetscCall(ISCreateStride(PETSC_COMM_SELF, N, 0, 1, &rows));
  for (PetscInt k = 0; k < b->K; k++) {
    PetscCall(ISCreateStride(PETSC_COMM_SELF, b->start[k + 1] - b->start[k], b->start[k], 1, &cols));
    PetscCall(MatCreateSubMatrix(Ms, rows, cols, MAT_INITIAL_MATRIX, &b->A[t][k]));
    PetscCall(ISDestroy(&cols));
  }
  PetscCall(ISDestroy(&rows));
  PetscFunctionReturn(0);
}

/* out = M in in column blocks (the graph on one process) */
static PetscErrorCode BlockedProduct(GepGNNLayer *L, GepGNNGCNProductKind kind, Mat M, PetscInt t, PetscInt ncols,
                                     const PetscReal *in, PetscReal *out)
{
  GepGNNColumnBlocks *b = L->blk;
  PetscInt            N = L->N;

  PetscFunctionBegin;
  if (!b) {
    PetscInt K = GepGNNGCNColumnBlocks(L);
    PetscCall(PetscNew(&L->blk));
    b    = L->blk;
    b->K = K;
    PetscCall(PetscMalloc1(K + 1, &b->start));
    for (PetscInt k = 0; k <= K; k++) b->start[k] = (N * k) / K;
    PetscCall(PetscMalloc1(N * L->batch * PetscMax(L->fin, L->fout) + 1, &b->work));
  }
  if (!b->A[t]) PetscCall(BlocksOf(b, M, t));
  if (!b->B[kind]) { /* the wrappers on in's rows of each block (leading dimension N) and the products, made once */
    PetscCall(PetscCalloc2(b->K, &b->B[kind], b->K, &b->C[kind]));
    for (PetscInt k = 0; k < b->K; k++) {
      PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, b->start[k + 1] - b->start[k], ncols,
                                  (PetscScalar *)in + b->start[k], &b->B[kind][k]));
      PetscCall(MatDenseSetLDA(b->B[kind][k], N));
      PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, N, ncols, k ? b->work : out, &b->C[kind][k]));
      PetscCall(MatProductCreateWithMat(b->A[t][k], b->B[kind][k], NULL, b->C[kind][k]));
      PetscCall(MatProductSetType(b->C[kind][k], MATPRODUCT_AB));
      PetscCall(MatProductSetFromOptions(b->C[kind][k]));
      PetscCall(MatProductSymbolic(b->C[kind][k]));
    }
  }
  for (PetscInt k = 0; k < b->K; k++) {
    PetscCall(MatDensePlaceArray(b->B[kind][k], in + b->start[k]));
    PetscCall(MatDensePlaceArray(b->C[kind][k], k ? b->work : out));
    PetscCall(MatProductNumeric(b->C[kind][k]));
    PetscCall(MatDenseResetArray(b->C[kind][k]));
    PetscCall(MatDenseResetArray(b->B[kind][k]));
    if (k)
      for (PetscInt i = 0; i < N * ncols; i++) out[i] += b->work[i];
  }
  PetscFunctionReturn(0);
}

/* out = op(A) in: in placed into the kind's wrapper B, out into its product C (both created at the first call); a
   graph on one process in column blocks when it is large */
PetscErrorCode GepGNNGCNProduct(GepGNNLayer *L, GepGNNGCNProductKind kind, const PetscReal *in, PetscReal *out)
{
  Mat         A = L->A, At = NULL, *B = &L->Bwrap[kind], *C = &L->Cprod[kind];
  PetscInt    ncols = L->batch * (kind == GEP_GCN_FORWARD_OUT || kind == GEP_GCN_BACKWARD_OUT ? L->fout : L->fin);
  PetscMPIInt size;

  PetscFunctionBegin;
  if (kind == GEP_GCN_BACKWARD_OUT || kind == GEP_GCN_BACKWARD_IN) PetscCall(Transpose(L, &At));
  if (At) A = At;
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)A), &size));
  if (size == 1 && GepGNNGCNColumnBlocks(L) > 1) {
    PetscCall(BlockedProduct(L, kind, A, At ? 1 : 0, ncols, in, out));
    PetscFunctionReturn(0);
  }
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

/* aggregating first keeps A X and dpre W^T (nloc x (batch fin)), in float too in single precision */
static PetscErrorCode GCNSetNodes(GepGNNLayer *L)
{
  PetscInt  rows = L->nloc * L->batch;
  PetscBool agg  = GepGNNGCNAggregateFirst(L);

  PetscFunctionBegin;
  L->staged       = (PetscBool)!agg; /* single: the sparse product's double output is what the bias pass reads */
  L->outer        = (PetscBool)(agg && L->fin == 1);
  L->double_input = agg; /* an input layer's product takes the stack's double input */
  if (agg) PetscCall(PetscMalloc2(rows * L->fin + 1, &L->AX, rows * L->fin + 1, &L->T));
  if (L->single) PetscCall(PetscMalloc2(agg ? rows * L->fin + 1 : 1, &L->AX_s, agg ? rows * L->fin + 1 : 1, &L->T_s));
  PetscFunctionReturn(0);
}

static PetscErrorCode GCNDestroyNodes(GepGNNLayer *L)
{
  PetscFunctionBegin;
  PetscCall(PetscFree2(L->AX, L->T));
  PetscCall(PetscFree2(L->AX_s, L->T_s));
  PetscCall(BlocksDestroy(L));
  PetscFunctionReturn(0);
}

static const GepGNNLayerOps GCNOps = {
  .description     = "graph convolutions",
  .graph           = PETSC_TRUE,
  .setnodes        = GCNSetNodes,
  .destroynodes    = GCNDestroyNodes,
  .forward         = GepGNNGCNForward,
  .backward        = GepGNNGCNBackward,
  .forward_single  = GepGNNGCNForwardSingle,
  .backward_single = GepGNNGCNBackwardSingle,
};

/* MOGONET's graph convolution, A (X W) + b */
PetscErrorCode GepGNNLayerCreate_GCN(GepGNNLayer *L)
{
  PetscFunctionBegin;
  L->ops = &GCNOps;
  PetscFunctionReturn(0);
}
