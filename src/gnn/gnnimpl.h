/* GepGNN internals: layers on row blocks. A rank holds the rows of its samples
   (or nodes) of every activation, column-major (nlocal x features, leading
   dimension nlocal) so that a block is also the local part of a PETSc MPI dense
   matrix; weights are replicated and their gradients summed over ranks. */
#pragma once
#include <stdint.h>
#include <petsc/private/petscimpl.h>
#include <petscmat.h>
#include "gepsys.h"

/* a layer type, registered by name (layer_register.c; one file each): dense, MOGONET's graph convolution, graph
   attention */
typedef const char *GepGNNLayerType;
#define GEPGNNLAYERDENSE "dense"
#define GEPGNNLAYERGCN   "gcn"
#define GEPGNNLAYERGAT   "gat"
typedef struct _GepGNNLayer GepGNNLayer;
typedef struct _GepGNNGAT   GepGNNGAT; /* a graph attention layer's edges, ghost exchange and work (layer_gat.c) */
typedef struct _GepGNNColumnBlocks
                              GepGNNColumnBlocks; /* a one-process graph's products in column blocks (layer_gcn.c) */
typedef struct _GepGNNScratch GepGNNScratch;      /* a stack's scratch arrays, which stacks may share (stack.c) */
typedef enum { GEP_GNN_LOSS_CROSS_ENTROPY, GEP_GNN_LOSS_MSE } GepGNNLossType;
/* the fusion's input: VCDN's outer product of the views' sigmoid(logits), their sigmoid(logits) side by side, or
   (regression) their outputs side by side */
typedef enum { GEP_GNN_FUSION_VCDN, GEP_GNN_FUSION_CONCAT, GEP_GNN_FUSION_OUTPUTS } GepGNNFusionType;

/* a graph convolution's sparse products: A S, A^T G (transform first), A X, A^T T (aggregate first) */
typedef enum {
  GEP_GCN_FORWARD_OUT,
  GEP_GCN_BACKWARD_OUT,
  GEP_GCN_FORWARD_IN,
  GEP_GCN_BACKWARD_IN,
  GEP_GCN_NUM_PRODUCTS
} GepGNNGCNProductKind;

/* What a layer type does; its create function points the layer at them. The passes' linear part: forward makes pre
   (without the bias) from X; backward, from dpre, the weights' gradients into dWb and dX (may be NULL). In double,
   and in float if the type runs in single precision (else NULL). setnodes makes what depends on the node set (after
   the common arrays), destroynodes frees it; both may be NULL. */
typedef struct {
  const char *description;      /* as -gnn_view names the layers: "graph convolutions" */
  PetscBool   graph;            /* multiplies by a graph */
  PetscInt    extra_per_output; /* weights after the fin x fout of W: this many rows of fout (GAT: a_src, a_dst) */
  const char *extra_name;       /* their dataset in a model file (W<l>, b<l>, then <extra_name><l>) */
  PetscErrorCode (*setnodes)(GepGNNLayer *);
  PetscErrorCode (*destroynodes)(GepGNNLayer *);
  PetscErrorCode (*forward)(GepGNNLayer *, const PetscReal *X);
  PetscErrorCode (*backward)(GepGNNLayer *, const PetscReal *X, PetscReal *dWb, PetscReal *dX);
  PetscErrorCode (*forward_single)(GepGNNLayer *, const float *X);
  PetscErrorCode (*backward_single)(GepGNNLayer *, const float *X, float *dWb, float *dX);
} GepGNNLayerOps;

struct _GepGNNLayer {
  const GepGNNLayerOps *ops;
  char                  type[32]; /* its registered name */
  MPI_Comm              comm;
  PetscInt              fin, fout, nloc, N;
  PetscInt              batch;  /* signals per node (feature graphs: samples), 1 for sample graphs; an activation is
                                   nloc x (batch fout), column (s + batch c) the signal s of channel c */
  PetscReal  slope;             /* LeakyReLU: slope below 0 (1: identity) */
  PetscInt   nw;                /* weights: fin x fout, then (GAT) the attention vectors a_src, a_dst (fout each) */
  PetscReal *W, *b;             /* nw (W column-major), fout */
  PetscReal *dW, *db;           /* their gradients, summed over ranks (db = dW + nw) */
  PetscReal *mW, *vW, *mb, *vb; /* Adam's moments */
  PetscReal *pre;               /* nloc x fout: the activation's input (work: the backward pass reads the output) */
  PetscReal *S;                 /* GCN: nloc x fout work (X W, then the gradient A^T G) */
  PetscReal *dpre;              /* backward work: nloc x fout */
  PetscBool  stack_work;        /* a stack's layer: S, pre, dpre (single: the staging) and S_s, pre_s, dpre_s are the
                                   stack's scratch, bound by its passes; otherwise S, pre, dpre are the layer's own */
  Mat         A, At;            /* GCN: the graph (a reference); its transpose (formed for the backward products) */
  PetscBool   input;            /* a stack's first layer (GCN: aggregates first when fin < 2 fout) */
  PetscBool   fixed;            /* input layer: its inputs are not changed in place (GepGNNStackSetInputFixed) */
  const void *AXof;             /* fixed: the input whose A X the layer holds (NULL: none) */
  PetscReal  *AX, *T;           /* GCN aggregating first (fin < fout): A X and dpre W^T, nloc x (batch fin) */
  Mat Bwrap[GEP_GCN_NUM_PRODUCTS], Cprod[GEP_GCN_NUM_PRODUCTS]; /* GCN: per product, a dense wrapper of its input
                             (placed at each call) and the product */
  GepGNNGAT          *gat;                                      /* GAT: set up for the graph A and batch */
  PetscInt            colblocks; /* GCN on a one-process graph: its products in this many column blocks (0: by N) */
  GepGNNColumnBlocks *blk;       /* their blocks and products */
  PetscBool           single; /* float32 passes and Adam (GepGNNLayerSetSingle), as PyTorch trains: GEMMs, activations,
                                 the weights W_s, their gradients (buf_s, summed over the ranks in float) and Adam
                                 moments in float, W their double copy; the biases in double; the GCN's sparse
                                 products (PETSc, double) through the double arrays above as staging */
  float *W_s, *pre_s, *S_s, *dpre_s, *buf_s, *AX_s, *T_s; /* single: the weights (the master copy, made from W
                                                              for evaluation passes), the work arrays, buf_s the
                                                              gradients */
  float           *mW_s, *vW_s; /* single: Adam's moments of W (kept when the layer returns to double) */
  PetscBool        W_behind;    /* single: Adam has stepped W_s since W was made from it (GepGNNLayerSyncWeights) */
  const PetscReal *Xd;          /* single, input layer: the stack's double input of this pass */
  /* where the linear part leaves its result, set by the type's setnodes for the common bias and activation pass */
  PetscBool staged;       /* single: pre (and dpre in the backward pass) live in the double staging arrays */
  PetscBool outer;        /* pre is the outer product of AX (one input channel) and W's row, formed by that pass */
  PetscBool double_input; /* single, input layer: reads the stack's double input (so it is not converted) */
};

/* the layer types: register one (its create function sets L->ops), all of gepsim's, set one by name; whether a type
   runs in single precision */
PETSC_INTERN PetscFunctionList GepGNNLayerList;
PETSC_INTERN PetscErrorCode    GepGNNLayerRegister(const char[], PetscErrorCode (*)(GepGNNLayer *));
PETSC_INTERN PetscErrorCode    GepGNNLayerRegisterAll(void);
PETSC_INTERN PetscErrorCode    GepGNNLayerSetType(GepGNNLayer *, GepGNNLayerType);
PETSC_INTERN PetscErrorCode GepGNNLayerTypeGetOps(GepGNNLayerType, const GepGNNLayerOps **); /* NULL: not registered */
/* the dense and GCN passes' linear parts, written once for both precisions (passes_real.h) */
PETSC_INTERN PetscErrorCode GepGNNDenseForward(GepGNNLayer *, const PetscReal *X);
PETSC_INTERN PetscErrorCode GepGNNDenseBackward(GepGNNLayer *, const PetscReal *X, PetscReal *dWb, PetscReal *dX);
PETSC_INTERN PetscErrorCode GepGNNDenseForwardSingle(GepGNNLayer *, const float *X);
PETSC_INTERN PetscErrorCode GepGNNDenseBackwardSingle(GepGNNLayer *, const float *X, float *dWb, float *dX);
PETSC_INTERN PetscErrorCode GepGNNGCNForward(GepGNNLayer *, const PetscReal *X);
PETSC_INTERN PetscErrorCode GepGNNGCNBackward(GepGNNLayer *, const PetscReal *X, PetscReal *dWb, PetscReal *dX);
PETSC_INTERN PetscErrorCode GepGNNGCNForwardSingle(GepGNNLayer *, const float *X);
PETSC_INTERN PetscErrorCode GepGNNGCNBackwardSingle(GepGNNLayer *, const float *X, float *dWb, float *dX);

/* weights drawn as torch's xavier_normal_ (standard deviation sqrt(2 / (fin + fout))), as MOGONET initialises, bias 0;
   a GAT's attention vectors then with standard deviation sqrt(2 / (1 + fout)) (the glorot of PyTorch Geometric's
   GATConv) */
PETSC_INTERN PetscErrorCode GepGNNLayerSetUp(GepGNNLayer *, MPI_Comm, GepGNNLayerType, PetscInt fin, PetscInt fout,
                                             PetscInt nlocal, PetscInt N, Mat A, PetscReal slope, PetscRandom);
/* the same for a layer of a stack, whose work arrays are the stack's (stack.c) */
PETSC_INTERN PetscErrorCode GepGNNLayerSetUpInStack(GepGNNLayer *, MPI_Comm, GepGNNLayerType, PetscInt fin,
                                                    PetscInt fout, PetscInt nlocal, PetscInt N, Mat A, PetscReal slope,
                                                    PetscRandom);
/* the layer on another node set (same weights): nlocal of N rows, graph A for a GCN */
PETSC_INTERN PetscErrorCode GepGNNLayerSetNodes(GepGNNLayer *, PetscInt nlocal, PetscInt N, Mat A);
/* the same with batch signals per node (the GEMMs see nlocal batch rows of fin channels) */
PETSC_INTERN PetscErrorCode GepGNNLayerSetNodesBatch(GepGNNLayer *, PetscInt nlocal, PetscInt N, Mat A, PetscInt batch);
/* the dropout of a layer's output in a training pass: element (row, signal s, channel c) of an N-row activation is
   dropped by the hash of its global index (c btotal + bstart + s) N + row (GepGNNUniform16 of its state for the key),
   so that the mask is the same on any number of ranks and need not be stored; rstart is this rank's first row */
typedef struct {
  uint64_t  key;
  PetscReal p;
  PetscInt  rstart, bstart, btotal;
} GepGNNDropout;
/* Y = drop(act(X W + b)) (dense) or drop(act(A (X W) + b)) (GCN), drop NULL: none; X nlocal x fin, Y nlocal x fout. The
   passes are written once (passes_real.h) for double (these names) and for float (Single appended: a layer of a
   single-precision stack). */
PETSC_INTERN PetscErrorCode GepGNNLayerForward(GepGNNLayer *, const PetscReal *X, const GepGNNDropout *drop,
                                               PetscReal *Y);
PETSC_INTERN PetscErrorCode GepGNNLayerForwardSingle(GepGNNLayer *, const float *X, const GepGNNDropout *drop,
                                                     float *Y);
/* from dL/dY (nlocal x fout) and the forward pass's output Y and dropout (Y read only through an activation (slope !=
   1) or a dropout; the LeakyReLU's slope >= 0, so that Y's sign is its input's): dW, db (summed over ranks; in single
   precision dW in buf_s, db in both) and, if dX is not NULL, dL/dX */
PETSC_INTERN PetscErrorCode GepGNNLayerBackward(GepGNNLayer *, const PetscReal *X, const PetscReal *Y,
                                                const GepGNNDropout *drop, const PetscReal *dY, PetscReal *dX);
PETSC_INTERN PetscErrorCode GepGNNLayerBackwardSingle(GepGNNLayer *, const float *X, const float *Y,
                                                      const GepGNNDropout *drop, const float *dY, float *dX);
/* one Adam step on W and b from dW (single: buf_s), db (plus l2 W, a decay of the weights only) at step t >= 1; t = 0
   resets the moments */
PETSC_INTERN PetscErrorCode GepGNNLayerAdam(GepGNNLayer *, PetscInt t, PetscReal lr, PetscReal l2);
/* switch the layer's passes and Adam to float32 (the float weights made from W) or back to double (W made from them),
   carrying Adam's moments over (the caller then sets the nodes again, which makes the float work arrays) */
PETSC_INTERN PetscErrorCode GepGNNLayerSetSingle(GepGNNLayer *, PetscBool);
/* single: W made from the float weights W_s if Adam has stepped them since (every reader of W calls it first: the
   double copy is not written at every step, which would cost a quarter of the float Adam's memory traffic) */
PETSC_INTERN void           GepGNNLayerSyncWeights(GepGNNLayer *);
PETSC_INTERN PetscErrorCode GepGNNLayerDestroy(GepGNNLayer *);
/* column-major C = alpha op(A) op(B) + beta C: the row-major C^T = op(B)^T op(A)^T */
static inline PetscErrorCode GepGNNGemm(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, PetscReal alpha,
                                        const PetscReal *A, PetscInt lda, const PetscReal *B, PetscInt ldb,
                                        PetscReal beta, PetscReal *C, PetscInt ldc)
{
  return GepGemm(tb, ta, n, m, k, alpha, B, ldb, A, lda, beta, C, ldc);
}
/* float32 GEMM on BLAS's sgemm, column-major as GepGNNGemm */
static inline PetscErrorCode GepGNNGemmSingle(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, float alpha,
                                              const float *A, PetscInt lda, const float *B, PetscInt ldb, float beta,
                                              float *C, PetscInt ldc)
{
  return GepGemmSingle(tb, ta, n, m, k, alpha, B, ldb, A, lda, beta, C, ldc);
}
/* precision conversions at the single-precision passes' boundaries */
static inline void GepGNNToSingle(PetscInt n, const PetscReal *restrict x, float *restrict y)
{
  for (PetscInt i = 0; i < n; i++) y[i] = (float)x[i];
}
static inline void GepGNNToDouble(PetscInt n, const float *restrict x, PetscReal *restrict y)
{
  for (PetscInt i = 0; i < n; i++) y[i] = x[i];
}
/* the layer kinds' graph products (layer_gcn.c, layer_gat.c): pre = the aggregation of X (without the bias); dW (into
   dWb, for a GAT then the attention's gradients) and dX (may be NULL) from dpre. A GCN's products are PETSc's (double):
   out = A in (forward) or A^T in (backward), in and out nlocal x (batch fout), or x (batch fin) when aggregating
   first (fin < fout: pre = (A X) W) */
PETSC_INTERN PetscErrorCode GepGNNGCNProduct(GepGNNLayer *, GepGNNGCNProductKind, const PetscReal *in, PetscReal *out);
/* the column blocks of a one-process graph's products: colblocks, or 0: enough that the rows of 4 columns of a
   block's dense factor fit a core's L2 cache (its size from sysconf) */
PETSC_INTERN PetscInt GepGNNGCNColumnBlocks(const GepGNNLayer *);
/* a GCN multiplies (A X) W rather than A (X W) (layer_gcn.c); false for any other type */
PETSC_INTERN PetscBool GepGNNGCNAggregateFirst(const GepGNNLayer *);
/* L = (1 / N) sum_i w_i CE(softmax(Z_i), y_i) over all ranks' samples (w NULL: 1);
   Z nlocal x C (column-major); dZ (may be NULL) = dL/dZ. A label outside 0..C-1 is an error. */
PETSC_INTERN PetscErrorCode GepGNNCrossEntropy(MPI_Comm, PetscInt nlocal, PetscInt C, const PetscReal *Z,
                                               const PetscInt *y, const PetscReal *w, PetscReal *loss, PetscReal *dZ);
/* L = (1 / N) sum_i w_i (z_i - t_i)^2 over all ranks' samples (w NULL: 1), one output z; dZ (may be NULL) = dL/dz */
PETSC_INTERN PetscErrorCode GepGNNMeanSquaredError(MPI_Comm, PetscInt nlocal, const PetscReal *z, const PetscReal *t,
                                                   const PetscReal *w, PetscReal *loss, PetscReal *dZ);
/* one Adam step (beta 0.9, 0.999, eps 1e-8) at step t >= 1 on n parameters with moments m, v */
PETSC_INTERN void GepGNNAdamStep(PetscInt n, PetscReal *p, const PetscReal *g, PetscReal *m, PetscReal *v, PetscInt t,
                                 PetscReal lr);
/* the same in float32 on the float parameters ps (the master copy), moments m, v and gradient g */
PETSC_INTERN void GepGNNAdamStepSingle(PetscInt n, float *ps, const float *g, float *m, float *v, PetscInt t,
                                       PetscReal lr);

/* A stack of layers: hidden layers, then an output layer; dropout between
   hidden layers when training (MOGONET's encoder of three graph convolutions,
   its classifier appended as the output layer, a dense layer without activation). */
typedef struct {
  PetscInt       nlayers;
  GepGNNLayer   *layer;
  PetscReal    **out;     /* out[l]: output of layer l (after dropout), nloc x fout */
  PetscReal     *dbuf[2]; /* backward work (bound to the scratch by a pass, as the work arrays below) */
  PetscReal      dropout;
  PetscInt       ndrop;  /* layers 0..ndrop-1 are followed by dropout (default: all hidden layers but the last) */
  PetscInt       rstart; /* first global row of this rank */
  PetscInt       batch, bstart, btotal; /* signals per node: this batch is signals [bstart, bstart + batch) of btotal */
  uint64_t       key;                   /* the last forward pass's (0: an evaluation, without dropout) */
  PetscBool      single;  /* float32 passes (GepGNNStackSetSingle); then out[] holds only the output layer's (double) */
  float        **out_s;   /* single: the activations */
  GepGNNScratch *scratch; /* the arrays the passes leave nothing in (stack.c), which stacks may share */
  PetscInt       nwork, nin, nout;              /* the sizes this stack needs of them */
  float         *dbuf_s[2], *X_s, *dX_s, *dY_s; /* single, bound to the scratch by a pass: work; X, dL/dX, dL/dY */
  PetscReal     *work[2]; /* the work every layer uses within its own pass (S, pre and dpre; single: the GCN's */
  float *work_s[2];       /* double staging, and S_s, pre_s, dpre_s), shared by the layers so that it stays in cache */
} GepGNNStack;

/* layers of sizes fin -> sizes[0] -> ... -> sizes[n - 1] of kinds type[l]; LeakyReLU slope on the hidden layers,
   the output layer linear */
PETSC_INTERN PetscErrorCode GepGNNStackSetUp(GepGNNStack *, MPI_Comm, PetscInt n, const PetscInt sizes[],
                                             const GepGNNLayerType type[], PetscInt fin, PetscInt nlocal, PetscInt N,
                                             Mat A, PetscReal slope, PetscReal dropout, PetscRandom);
PETSC_INTERN PetscErrorCode GepGNNStackSetNodes(GepGNNStack *, PetscInt nlocal, PetscInt N, Mat A);
/* a promise that the inputs given to the passes are not changed in place until the call with PETSC_FALSE (training:
   the training samples' table): an input layer aggregating first then reuses A X for the same input array */
PETSC_INTERN PetscErrorCode GepGNNStackSetInputFixed(GepGNNStack *, PetscBool);
/* the column blocks of the graph convolutions' products on a one-process graph (0: by its size; layer_gcn.c) */
PETSC_INTERN void GepGNNStackSetColumnBlocks(GepGNNStack *, PetscInt);
/* float32 passes (dense and GCN layers only); the interface (X, Y, dY, dX) stays double */
PETSC_INTERN PetscErrorCode GepGNNStackSetSingle(GepGNNStack *, PetscBool);
/* s uses the scratch arrays of with, which must run its passes at other times (a model's views, trained one after
   another) */
PETSC_INTERN PetscErrorCode GepGNNStackShareScratch(GepGNNStack *s, GepGNNStack *with);
/* batch signals per node, signals [bstart, bstart + batch) of btotal (dropout masks depend on the global signal index
 * only) */
PETSC_INTERN PetscErrorCode GepGNNStackSetNodesBatch(GepGNNStack *, PetscInt nlocal, PetscInt N, Mat A, PetscInt batch,
                                                     PetscInt bstart, PetscInt btotal);
/* forward from X; key != 0: training (dropout masks from key), 0: evaluation. Returns the output. */
PETSC_INTERN PetscErrorCode GepGNNStackForward(GepGNNStack *, const PetscReal *X, uint64_t key, PetscReal **Y);
/* from dL/dY: every layer's dW, db; dX (may be NULL) */
PETSC_INTERN PetscErrorCode GepGNNStackBackward(GepGNNStack *, const PetscReal *X, const PetscReal *dY, PetscReal *dX);
PETSC_INTERN PetscErrorCode GepGNNStackAdam(GepGNNStack *, PetscInt t, PetscReal lr, PetscReal l2);
PETSC_INTERN PetscErrorCode GepGNNStackDestroy(GepGNNStack *);
/* number of weights and biases; copies to (get) or from (set) buf */
PETSC_INTERN PetscInt       GepGNNStackNumParameters(const GepGNNStack *);
PETSC_INTERN PetscErrorCode GepGNNStackCopyParameters(GepGNNStack *, PetscBool get, PetscReal *buf);
/* the passes of a stack in either precision (passes_real.h): forward from layer 0's input X (key != 0: dropout), the
   output in out[nlayers - 1]; backward from dL/dY, dX may be NULL */
PETSC_INTERN PetscErrorCode GepGNNStackForwardPass(GepGNNStack *, const PetscReal *X, uint64_t key);
PETSC_INTERN PetscErrorCode GepGNNStackForwardPassSingle(GepGNNStack *, const float *X, uint64_t key);
PETSC_INTERN PetscErrorCode GepGNNStackBackwardPass(GepGNNStack *, const PetscReal *X, const PetscReal *dY,
                                                    PetscReal *dX);
PETSC_INTERN PetscErrorCode GepGNNStackBackwardPassSingle(GepGNNStack *, const float *X, const float *dY, float *dX);
/* Dropout masks must not depend on the number of ranks, yet drawing the whole N x F mask on every rank from one
   stream would cost more than the layer; so every (row, column) of an activation gets its bit from a hash of a
   per-pass key (drawn from the run's seeded PetscRandom) and its global index: a 32-bit integer hash (Wellons'
   lowbias32, which the compiler vectorises) of the index times the golden ratio's odd 32-bit constant (a Weyl
   sequence: on consecutive counters alone the hash's bits agree at lag 2 about 0.07 % more often than chance) plus
   an offset, itself a hash of the key; its high 16 bits are the uniform. A pass so reads a window of one
   pseudo-random sequence from a random start (two of an epoch's windows overlap with probability about their
   length / 2^32), and keys that differ by little start far apart. (One hash an element: hashing the key mixed with
   every index, two, cost 2 % of a float32 pre-training epoch on ROSMAP.) */
static inline uint32_t GepGNNHash32(uint32_t x)
{
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}
/* dropped where the 16-bit uniform of the index is below p (p rounded to 1/65536) */
static inline uint32_t GepGNNDropBelow(PetscReal p)
{
  return (uint32_t)(p * 65536.0 + 0.5);
}
/* the scale of a kept element */
static inline PetscReal GepGNNDropKeep(PetscReal p)
{
  return 1.0 / (1.0 - p);
}
/* a key's offset into the sequence */
static inline uint32_t GepGNNDropOffset(uint64_t key)
{
  return GepGNNHash32((uint32_t)key ^ GepGNNHash32((uint32_t)(key >> 32)));
}
#define GEP_GNN_WEYL 0x9e3779b9U /* the golden ratio's odd 32-bit constant */
/* the sequence's state at index e (mod 2^32) for the key of offset off (index e + 1's: this plus GEP_GNN_WEYL, which
   a loop adds rather than multiplies: the compiler keeps the multiplication otherwise) */
static inline uint32_t GepGNNDropState(uint32_t off, uint64_t e)
{
  return off + (uint32_t)e * GEP_GNN_WEYL;
}
/* the uniform of a state */
static inline uint32_t GepGNNUniform16(uint32_t x)
{
  return GepGNNHash32(x) >> 16;
}
/* the dropout scale of element (row, col) of an N-row activation for a key: the same on any number of ranks */
PETSC_INTERN PetscReal GepGNNDropoutScale(uint64_t key, PetscInt N, PetscInt row, PetscInt col, PetscReal p);

/* A feature-graph network (feature_net.c): the nodes are a view's features (and any nodes its
   knowledge graph adds, which carry no data), each sample a one-channel signal on them. Graph
   convolutions over the knowledge graph A (LeakyReLU, dropout between them), then a readout to
   every sample's class logits: node (a linear map of every node's channels, its weights held
   with the nodes) or mean (the channels averaged over the nodes, then a dense layer). Distributed
   by samples (the default): every rank holds the whole graph (a copy) and all nodes of its block of
   the samples, so the passes need no communication and only the gradients are summed over ranks
   once per backward pass; or by nodes (a graph too large to copy): the nodes spread over the ranks
   in blocks with every sample, the graph products exchanging their halo rows. Samples go through in
   chunks of chunk signals (the last padded with zero signals, so every pass has one shape), the
   gradient summed over the chunks (a chunk's activations are recomputed for its backward pass when
   there is more than one, except the first's: the forward pass goes last to first and leaves them). */
typedef enum { GEP_GNN_READOUT_NODE, GEP_GNN_READOUT_MEAN } GepGNNReadout;
typedef enum { GEP_GNN_DISTRIBUTE_SAMPLES, GEP_GNN_DISTRIBUTE_NODES } GepGNNDistribute;
typedef struct {
  MPI_Comm         comm;
  GepGNNDistribute dist;
  PetscInt         D, dloc, dstart, C, f,
    chunk;             /* nodes, this rank's block (by samples: all); classes; last hidden width; signals per pass */
  Mat           A;     /* the graph the layers use (by nodes: a reference; by samples: Acopy) */
  Mat           Acopy; /* by samples: the whole graph on this rank */
  GepGNNReadout readout;
  GepGNNStack   gcn;            /* the graph convolutions */
  PetscReal  *R, *dR, *mR, *vR; /* node readout: dloc x f x C (column (c + f k)), this rank's nodes (by samples: all) */
  PetscReal  *b, *db, *mb, *vb; /* node readout: bias (C) */
  GepGNNLayer out;              /* mean readout: dense f -> C (every rank the same, on PETSC_COMM_SELF) */
  PetscReal  *dH, *P, *dP, *Zc, *dZc; /* work: a chunk's dL/dH, pooled channels, logits and their gradients */
  PetscReal  *acc;                    /* gradients of the convolutions summed over chunks */
  PetscReal  *Xpad, *dXpad;           /* the last chunk's signals padded with zero signals to the chunk size */
  uint64_t    key;                    /* of the last forward pass (the backward pass recomputes with it) */
  PetscInt    Nlast, nlast, slast;    /* signals of the last forward pass: in all, on this rank, the first's index */
  PetscBool   first_held;             /* the layers hold that pass's first chunk's activations */
} GepGNNFeatureNet;

/* graph layers of kind type (GCN or GAT) over the row-distributed graph A, hidden widths hidden[0..nh); weights drawn
   from rnd in layer order, then the readout's (the same on any number of ranks, either distribution) */
PETSC_INTERN PetscErrorCode GepGNNFeatureNetSetUp(GepGNNFeatureNet *, MPI_Comm, Mat A, GepGNNDistribute,
                                                  GepGNNLayerType type, PetscInt nh, const PetscInt hidden[],
                                                  PetscInt C, GepGNNReadout, PetscReal slope, PetscReal dropout,
                                                  PetscInt chunk, PetscRandom);
/* logits Z (n x C, column-major) of this rank's n signals X (dloc x n, column-major), signals [s0, s0 + n) of N: by
   samples a block of them, by nodes all (n = N, s0 = 0; X this rank's nodes, Z every rank); key != 0: training */
PETSC_INTERN PetscErrorCode GepGNNFeatureNetForward(GepGNNFeatureNet *, PetscInt N, PetscInt n, PetscInt s0,
                                                    const PetscReal *X, uint64_t key, PetscReal *Z);
/* after Forward on the same X: from dL/dZ (n x C; by nodes every rank the same) every weight's gradient (summed over
   ranks); dX (may be NULL, dloc x n) = dL/dX */
PETSC_INTERN PetscErrorCode GepGNNFeatureNetBackward(GepGNNFeatureNet *, const PetscReal *X, const PetscReal *dZ,
                                                     PetscReal *dX);
PETSC_INTERN PetscErrorCode GepGNNFeatureNetAdam(GepGNNFeatureNet *, PetscInt t, PetscReal lr);
/* this rank's share of the weights (by nodes the node readout's are distributed; the rest, and by samples all,
 * replicated) */
PETSC_INTERN PetscInt       GepGNNFeatureNetNumParameters(const GepGNNFeatureNet *);
PETSC_INTERN PetscErrorCode GepGNNFeatureNetCopyParameters(GepGNNFeatureNet *, PetscBool get, PetscReal *buf);
PETSC_INTERN PetscErrorCode GepGNNFeatureNetDestroy(GepGNNFeatureNet *);

/* VCDN's input: per sample the outer product of the views' sigmoid(logits),
   M views of C classes -> C^M features (index (..(c0 C + c1) C + ..)). */
PETSC_INTERN PetscErrorCode GepGNNVCDNFeatures(PetscInt nlocal, PetscInt M, PetscInt C, PetscReal *const Z[],
                                               PetscReal *F);
/* from dL/dF: dL/dZ of every view */
PETSC_INTERN PetscErrorCode GepGNNVCDNBackward(PetscInt nlocal, PetscInt M, PetscInt C, PetscReal *const Z[],
                                               const PetscReal *dF, PetscReal *const dZ[]);
/* the fusion input: VCDN's outer product, or (concat) the views' sigmoid(logits) side by side; its width; its backward
 */
PETSC_INTERN PetscInt       GepGNNFusionWidth(GepGNNFusionType, PetscInt M, PetscInt C);
PETSC_INTERN PetscErrorCode GepGNNFusionFeatures(GepGNNFusionType, PetscInt nlocal, PetscInt M, PetscInt C,
                                                 PetscReal *const Z[], PetscReal *F);
PETSC_INTERN PetscErrorCode GepGNNFusionBackward(GepGNNFusionType, PetscInt nlocal, PetscInt M, PetscInt C,
                                                 PetscReal *const Z[], const PetscReal *dF, PetscReal *const dZ[]);

/* ---- the model object (gnn.c, gnn_train.c, gnn_linear.c, gnn_output.c) ---- */
#include "gepgnn.h"
#include "gepgraph.h"
#include "gepomics.h"
#include "geph5.h"
PETSC_INTERN const char *const GepGNNReadouts[], *const GepGNNDistributions[], *const GepGNNWeightSchemes[];
PETSC_INTERN const char *const GepGNNImportanceMethods[], *const GepGNNPrecisions[];

#define GEP_GNN_MAX_VIEWS  8
#define GEP_GNN_MAX_LAYERS 8

/* The data (gnn_data.c): labels (one integer class >= 0 per line) or regression targets (one number per line);
   the views' tables through GepOmics (g->data: training, test), opened against N0 training labels, their
   entries gathered to where the networks want them, closed once the networks hold them. */
PETSC_INTERN PetscErrorCode GepGNNReadLabels(const char path[], PetscInt *N, PetscInt **y);
PETSC_INTERN PetscErrorCode GepGNNReadTargets(const char path[], PetscInt *N, PetscReal **t);
PETSC_INTERN PetscErrorCode GepGNNOpenData(GepGNN, PetscInt N0);
PETSC_INTERN PetscErrorCode GepGNNGatherData(GepGNN, PetscInt m, PetscInt N0, PetscInt n, const PetscInt rows[],
                                             PetscInt d0, PetscInt nd, PetscInt si, PetscInt sj, PetscReal *out);
PETSC_INTERN PetscErrorCode GepGNNCloseData(GepGNN);

typedef enum { GEP_GNN_WEIGHT_FREQUENCY, GEP_GNN_WEIGHT_NONE, GEP_GNN_WEIGHT_BALANCED } GepGNNSampleWeight;
typedef enum {
  GEP_GNN_IMPORTANCE_NONE,
  GEP_GNN_IMPORTANCE_GRADIENT,
  GEP_GNN_IMPORTANCE_ABLATION,
  GEP_GNN_IMPORTANCE_BOTH
} GepGNNImportance;

typedef struct {
  char       train[PETSC_MAX_PATH_LEN], test[PETSC_MAX_PATH_LEN], featnames[PETSC_MAX_PATH_LEN], name[64];
  PetscInt   D;
  char     **feat;       /* D feature names */
  PetscReal *Xtr;        /* ntr x D, column-major: this rank's training samples */
  PetscReal *Xall;       /* nall x D, column-major: this rank's rows of [training; test] */
  PetscReal *Xva;        /* nva x D: this rank's rows of [training; validation] (with a validation split) */
  Mat Atr, Aall, Ava;    /* sample graphs over the training samples, [training; test] and [training; validation] (edges
                            training-new only) */
  PetscReal   threshold; /* the training graph's distance threshold */
  GepGNNStack net;       /* encoder and classifier */
  /* the feature-graph model (gnn_feature.c) */
  char              graph[PETSC_MAX_PATH_LEN]; /* the knowledge graph's edge list ("": none, self-loops only) */
  Mat               Akg;   /* the knowledge graph over the nodes (the features, then any added neighbours) */
  GepGraphEdgeStats kg;    /* its counts and added nodes */
  PetscReal        *XT[3]; /* the node sets' signals (GepGNNNodeSet order): by samples, every node x this rank's
                              samples of the set; by nodes, this rank's nodes x every sample */
  GepGNNFeatureNet fnet;
  PetscReal       *Zrep, *Zloc, *dZrep; /* logits of all the set's samples, of this rank's rows; gradients of all */
  PetscReal       *imp_ablation, *imp_gradient; /* feature importance (D each), after GepGNNComputeImportance */
} GepGNNViewData;

PETSC_INTERN PetscLogEvent GEP_GNNGraph, GEP_GNNTrain, GEP_GNNPredict, GEP_GNNImportance;

/* the model: graph networks fused (mogonet, feature) or the linear baseline */
typedef struct _GepGNNOps       *GepGNNOps;
typedef struct _GepGNNViewNetOps GepGNNViewNetOps;
struct _GepGNNOps {
  PetscErrorCode (*setup)(GepGNN);
  PetscErrorCode (*train)(GepGNN);
  PetscErrorCode (*predict)(GepGNN);
};

struct _p_GepGNN {
  PETSCHEADER(struct _GepGNNOps);
  MPI_Comm                comm; /* the object's */
  const GepGNNViewNetOps *vnet; /* the views' networks, set by the model's create function (linear: none) */
  GepGNNSampleWeight      weighting;
  GepGNNImportance        importance;
  PetscInt                importance_top; /* features listed per view */
  GepGNNFusionType        fusion_type;    /* -gnn_fusion (regression: the outputs side by side) */
  PetscBool               regression;     /* -gnn_loss mse: C = 1 output, targets instead of labels */
  PetscInt                M, C;           /* views, classes */
  GepGNNViewData          v[GEP_GNN_MAX_VIEWS];
  char                    labels_tr[PETSC_MAX_PATH_LEN], labels_te[PETSC_MAX_PATH_LEN];
  char                    omics_file[PETSC_MAX_PATH_LEN], group_tr[64], group_te[64]; /* -gnn_omics: one HDF5 file */
  PetscInt                ngraphs;                                                    /* -gnn_graph's count */
  GepOmics                data[2]; /* until set-up: the training and test samples (the same object for one file) */
  PetscInt                data_off[2], data_n[2]; /* the first training and test sample in them, their counts */
  PetscInt                N0;                     /* samples of the training file (training and validation) */
  PetscInt                k, nhidden, hidden[GEP_GNN_MAX_LAYERS], hfusion;
  char                    layer_type[32]; /* of the graph layers (-gnn_layer_type): gcn, gat, ... */
  PetscBool               single;         /* -gnn_precision single: the sample-graph views' stacks in float32 */
  PetscInt                pretrain, epochs, seed, monitor;
  PetscReal               dropout, slope, lr_pre, lr, lr_fusion, logistic_c, ridge_alpha;
  PetscInt                Ntr, Nte, ntr, rtr, nall, rall; /* global and local sizes, first local rows */
  PetscInt                Nva, nva, rva;                  /* validation samples; local rows of [training; validation] */
  PetscReal               valfrac;                        /* -gnn_validation_fraction */
  PetscInt                patience, val_interval, best_epoch, epochs_run;
  PetscInt               *yva;          /* all validation labels */
  PetscReal              *pva;          /* Nva x C validation probabilities */
  PetscInt                nval, valcap; /* validation curve: epoch, loss */
  PetscReal              *valcurve;
  PetscInt               *ytr, *yte; /* local training labels; all test labels (NULL: none) */
  PetscReal              *ttr, *tte,
    *tva; /* regression: local training targets (standardised); all test (NULL: none) and validation targets */
  PetscReal        tmu, tsd; /* regression: the training targets' mean and standard deviation (outputs are z-scores) */
  PetscReal       *wtr;      /* local training sample weights */
  GepGNNStack      fusion;   /* VCDN (more than one view) */
  PetscBool        graph_strict, graph_neighbours, graph_signed; /* feature model: edge-list options */
  GepGNNReadout    readout;                                      /* feature model: node or mean */
  GepGNNDistribute distribute;                                   /* feature model: by samples or by nodes */
  PetscInt         chunk;                                        /* feature model: samples per pass (0: all) */
  PetscInt         colblocks;                                    /* -gnn_graph_column_blocks (0: by the graph's size) */
  PetscInt        *tr_va, *tr_te; /* feature model, until set-up: the node sets' rows (GepGNNGatherData) */
  PetscReal       *F, *dZ[GEP_GNN_MAX_VIEWS], *dY; /* work */
  PetscRandom      rnd;
  PetscBool        setup, trained, progress, loaded; /* loaded: weights from a file (gepsim predict) */
  char             model_file[PETSC_MAX_PATH_LEN];
  PetscReal       *prob;                /* Ntest x C, every rank */
  GepClassifierScores scores;           /* of the last prediction */
  GepRegressionScores rscores;          /* the same, regression */
  PetscInt            ncurve, curvecap; /* per monitored epoch: epoch, loss, acc, f1, f1w, f1m, auc */
  PetscReal          *curve;
  PetscReal          *loss; /* training loss per epoch */
  PetscReal           time_train;
  /* the linear model (gnn_linear.c): standardisation and weights */
  PetscReal  *mu, *sd; /* per concatenated feature */
  GepGNNLayer lin;
};

PETSC_INTERN PetscFunctionList GepGNNList;
PETSC_INTERN PetscErrorCode    GepGNNRegisterAll(void);
PETSC_INTERN PetscErrorCode    GepGNNSetUpMOGONET(GepGNN);
/* the training loss of the model's outputs Z on this rank's training rows (cross-entropy or mean squared error), dZ */
PETSC_INTERN PetscErrorCode GepGNNTrainingLoss(GepGNN, const PetscReal *Z, PetscReal *loss, PetscReal *dZ);
/* whether the test split has labels (a regression: targets) */
static inline PetscBool GepGNNTestLabelled(GepGNN g)
{
  return (PetscBool)(g->regression ? g->tte != NULL : g->yte != NULL);
}
/* the test scores of g->prob (classification or regression) into g->scores or g->rscores; *score: the one ablation
   uses (F1 of class 1 for two classes, else macro F1; R^2), NULL if not needed */
PETSC_INTERN PetscErrorCode GepGNNScoreTest(GepGNN, PetscReal *score);
/* the five test scores of a monitor row: ACC, F1, F1 weighted, F1 macro, AUC; or RMSE, MAE, R^2, r, NaN */
PETSC_INTERN void           GepGNNScoreRow(GepGNN, PetscReal s[5]);
PETSC_INTERN PetscErrorCode GepGNNTrainMOGONET(GepGNN);
PETSC_INTERN PetscErrorCode GepGNNPredictMOGONET(GepGNN);
typedef enum { GEP_GNN_NODES_TRAIN, GEP_GNN_NODES_TEST, GEP_GNN_NODES_VALIDATION } GepGNNNodeSet;
/* The networks a graph model runs on each view, behind which the training schedule, prediction, early stopping,
   the fusion, importance and the model file run either: MOGONET's sample-graph stacks (gnn_net_sample.c) or
   knowledge-graph networks (gnn_feature.c). A model's create function points g->vnet at one. */
struct _GepGNNViewNetOps {
  PetscBool single;                /* has single-precision passes (-gnn_precision single) */
  PetscBool knowledge_graphs;      /* reads -gnn_graph */
  PetscBool data_at_setup;         /* gathers its inputs from the data at set-up (GepGNNGatherData), not at loading */
  PetscErrorCode (*setup)(GepGNN); /* every view's network, after the data */
  PetscErrorCode (*setnodes)(GepGNN, GepGNNNodeSet); /* before a pass on a node set (NULL: any) */
  PetscErrorCode (*fixinput)(GepGNN, PetscBool);     /* inputs unchanged while training (may be NULL) */
  PetscErrorCode (*forward)(GepGNN, PetscInt m, GepGNNNodeSet, uint64_t key, PetscReal **Z);
  PetscErrorCode (*backward)(GepGNN, PetscInt m, GepGNNNodeSet, const PetscReal *dZ, PetscReal *dX);
  PetscErrorCode (*adam)(GepGNN, PetscInt m, PetscInt t, PetscReal lr);
  PetscInt (*nparams)(GepGNN, PetscInt m);
  PetscErrorCode (*copyparams)(GepGNN, PetscInt m, PetscBool get, PetscReal *buf);
  /* importance of view m's features (D values, every rank): gradient x input from dL/dZ of the test node set;
     ablation (each feature zeroed, the test score's loss) */
  PetscErrorCode (*gradientinput)(GepGNN, PetscInt m, const PetscReal *dZ, PetscReal *imp);
  PetscErrorCode (*ablation)(GepGNN, PetscInt m, PetscReal *imp);
  PetscErrorCode (*testinput)(GepGNN, PetscInt m, PetscInt r, PetscInt j, PetscReal **x); /* GepGNNGetTestInput */
  /* view m's network in a model file (group /model/<view>) */
  PetscErrorCode (*write)(GepGNN, GepH5, const char group[], PetscInt m);
  PetscErrorCode (*read)(GepGNN, GepH5File, const char path[], const char group[], PetscInt m);
  PetscErrorCode (*view)(GepGNN, PetscInt m, PetscViewer); /* view m's line of GepGNNView */
  PetscErrorCode (*viewall)(GepGNN, PetscViewer);          /* what all views share (may be NULL) */
};
PETSC_INTERN const GepGNNViewNetOps GepGNNSampleNetOps, GepGNNFeatureNetOps;
/* a node set's samples N, this rank's rows n from row r */
PETSC_INTERN void GepGNNNodeSetSize(GepGNN, GepGNNNodeSet, PetscInt *N, PetscInt *n, PetscInt *r);
/* feature model: the signals of a node set on this rank (the columns of its XT), the first's index in the set */
PETSC_INTERN void GepGNNFeatureSignals(GepGNN, GepGNNNodeSet, PetscInt *ns, PetscInt *s0);
/* implementer's: where this rank holds the input of feature j of node r of [training; test] that the test
   predictions read (NULL if another rank holds it) */
PETSC_EXTERN PetscErrorCode GepGNNGetTestInput(GepGNN, PetscInt m, PetscInt r, PetscInt j, PetscReal **x);
/* the views' networks, whichever model (gnn_view.c): logits Z of this rank's rows of a node set (key != 0: training,
   after GepGNNSetNodes for the sample-graph model); backward from dL/dZ of those rows (dX: the view's input layout, may
   be NULL); Adam; this rank's share of the weights */
PETSC_INTERN PetscErrorCode GepGNNViewForward(GepGNN, PetscInt m, GepGNNNodeSet, uint64_t key, PetscReal **Z);
PETSC_INTERN PetscErrorCode GepGNNViewBackward(GepGNN, PetscInt m, GepGNNNodeSet, const PetscReal *dZ, PetscReal *dX);
PETSC_INTERN PetscErrorCode GepGNNViewAdam(GepGNN, PetscInt m, PetscInt t, PetscReal lr);
PETSC_INTERN PetscInt       GepGNNViewNumParameters(GepGNN, PetscInt m);
PETSC_INTERN PetscErrorCode GepGNNViewCopyParameters(GepGNN, PetscInt m, PetscBool get, PetscReal *buf);
/* the feature-graph networks' passes (gnn_view.c) */
PETSC_INTERN PetscErrorCode GepGNNFeatureViewForward(GepGNN, PetscInt m, GepGNNNodeSet, uint64_t key, PetscReal **Z);
PETSC_INTERN PetscErrorCode GepGNNFeatureViewBackward(GepGNN, PetscInt m, GepGNNNodeSet, const PetscReal *dZ,
                                                      PetscReal *dX);
/* ablation importance of view m's features (gnn_importance.c): sample graphs rebuilt without each feature, or each
   feature's signal zeroed */
PETSC_INTERN PetscErrorCode GepGNNSampleAblation(GepGNN, PetscInt m, PetscReal *imp);
PETSC_INTERN PetscErrorCode GepGNNFeatureAblation(GepGNN, PetscInt m, PetscReal *imp);
/* a stack's and a feature-graph network's weights in a model file (gnn_output.c, gnn_load.c) */
PETSC_INTERN PetscErrorCode GepGNNWriteStack(GepH5, const char group[], GepGNNStack *);
PETSC_INTERN PetscErrorCode GepGNNWriteFeatureNet(GepH5, const char group[], GepGNNViewData *);
PETSC_INTERN PetscErrorCode GepGNNReadStack(GepH5File, const char path[], const char group[], GepGNNStack *);
PETSC_INTERN PetscErrorCode GepGNNReadFeatureNet(GepH5File, const char path[], const char group[], GepGNNViewData *);
/* the feature-graph model's graphs, signals and networks (gnn_feature.c) */
PETSC_INTERN PetscErrorCode GepGNNSetUpFeatureViews(GepGNN);
/* gradient x input of the features of feature-graph view m (D values, every rank) from dL/dX of the test node set */
PETSC_INTERN PetscErrorCode GepGNNFeatureGradientInput(GepGNN, PetscInt m, const PetscReal *dX, PetscReal *imp);
/* the views' networks and the VCDN on a node set: the training samples, [training; test] or [training; validation] */
PETSC_INTERN PetscErrorCode GepGNNSetNodes(GepGNN, GepGNNNodeSet);
/* the new samples' probabilities (g->prob, or g->pva for validation) from the views' outputs Z[m] on that node set */
PETSC_INTERN PetscErrorCode GepGNNFuse(GepGNN, GepGNNNodeSet, PetscReal *const Z[]);
/* mean cross-entropy (regression: squared error) of the validation samples (the model in evaluation mode) */
PETSC_INTERN PetscErrorCode GepGNNValidationLoss(GepGNN, PetscReal *);
/* the training file and the test file into the node sets (gnn_split.c) */
PETSC_INTERN PetscErrorCode GepGNNLoadData(GepGNN);
/* a column-major n x D block as a new row-major array (the graph builders' layout) */
PETSC_INTERN PetscErrorCode GepGNNRowMajor(PetscInt n, PetscInt D, const PetscReal *Xc, PetscReal **Xr);
PETSC_INTERN PetscErrorCode GepGNNSetUpLinear(GepGNN);
PETSC_INTERN PetscErrorCode GepGNNTrainLinear(GepGNN);
/* ridge regression's weights by one Cholesky solve from the standardised training block X (gnn_ridge.c); not solved
   (Tao's turn) beyond GEP_RIDGE_MAX_FEATURES */
#define GEP_RIDGE_MAX_FEATURES 8000
PETSC_INTERN PetscErrorCode GepGNNSolveRidge(GepGNN, const PetscReal *X, PetscBool *solved);
PETSC_INTERN PetscErrorCode GepGNNPredictLinear(GepGNN);
PETSC_INTERN PetscErrorCode GepGNNReadSolverOptions(GepGNN);
/* softmax of nloc rows of logits Z (column-major) of a node set [training; new], this rank's rows
   [rfirst, rfirst + nloc): the new samples' rows (>= Ntr) gathered into prob (every rank) */
PETSC_INTERN PetscErrorCode GepGNNGatherNewProbabilities(GepGNN, PetscInt nloc, PetscInt rfirst, const PetscReal *Z,
                                                         PetscReal *prob);
