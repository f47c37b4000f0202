/* The forward and backward passes of GepGNN layers and stacks, written once for
   either working precision and included by passes_double.c and passes_single.c,
   which define
     GEP_REAL      the element type (PetscReal or float),
     GEP_SINGLE    1 for float,
     GEP_RNAME(x)  a function's name (x, or x with Single appended),
     GEP_F(x)      a layer's or stack's array of that type (x, or x with _s appended).
   Single precision is what PyTorch trains MOGONET in: the GEMMs (sgemm), the
   activations, the weights' gradients (summed over the ranks in float) and Adam
   on the float weights (layer.c; their double copy W made when it is read,
   GepGNNLayerSyncWeights); the biases stay double. PETSc here is built for
   double, so a GCN's sparse products go through double arrays as staging (an
   input layer aggregating first multiplies the stack's double input directly;
   a layer transforming first reads and writes the staging arrays in its
   element-wise passes, StagedInPlace), which with the other work arrays of a
   layer's own pass are the stack's, shared by its layers (stack.c). The float
   weights are made from the double ones before an evaluation pass (key 0) that
   follows a load or a restore. Graph attention runs in double only.
   A pass keeps no activation input and no dropout mask: the backward pass reads
   both off the layer's output Y (its sign is the activation input's, as the
   LeakyReLU's slope is not negative; it is 0 where dropped), so that an epoch
   touches less memory. */

#define R GEP_REAL

/* column-major C = op(A) op(B) in the working precision */
static inline PetscErrorCode Gemm(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, const R *A, PetscInt lda,
                                  const R *B, PetscInt ldb, R *C, PetscInt ldc)
{
#if GEP_SINGLE
  return GepGNNGemmSingle(ta, tb, m, n, k, 1.0f, A, lda, B, ldb, 0.0f, C, ldc);
#else
  return GepGNNGemm(ta, tb, m, n, k, 1.0, A, lda, B, ldb, 0.0, C, ldc);
#endif
}

#if GEP_SINGLE
/* out_d = op(A) in through the double staging array in_d; out (may be NULL: the caller reads out_d) its float copy */
static PetscErrorCode Product(GepGNNLayer *L, GepGNNGCNProductKind kind, PetscInt nin, const float *in, PetscReal *in_d,
                              PetscInt nout, PetscReal *out_d, float *out)
{
  PetscFunctionBegin;
  GepGNNToDouble(nin, in, in_d);
  PetscCall(GepGNNGCNProduct(L, kind, in_d, out_d));
  if (out) GepGNNToSingle(nout, out_d, out);
  PetscFunctionReturn(0);
}
#else
static inline PetscErrorCode Product(GepGNNLayer *L, GepGNNGCNProductKind kind, PetscInt nin, const PetscReal *in,
                                     PetscReal *in_d, PetscInt nout, PetscReal *out_d, PetscReal *out)
{
  (void)nin;
  (void)in_d;
  (void)nout;
  (void)out_d;
  return GepGNNGCNProduct(L, kind, in, out);
}
#endif

/* a transforming-first GCN in single precision: its product's double output (the staging array) is what the bias
   and activation read, and its dpre goes straight to double (the product's input), in the passes that make them */
static inline PetscBool StagedInPlace(const GepGNNLayer *L)
{
  return (PetscBool)(GEP_SINGLE && L->staged);
}

/* an aggregating-first GCN of one input channel (a feature model's first layer: a signal per sample): (A X) W is
   the outer product of A X and W's one row, which the bias and activation pass forms as it reads A X, instead of a
   GEMM (k = 1) writing the activation-sized pre that the pass then reads: two passes over memory fewer, the same
   numbers (a product of two numbers, then the bias) */
static inline PetscBool OneChannelIn(const GepGNNLayer *L)
{
  return L->outer;
}

#if GEP_SINGLE
/* in 8 running sums (float, as the GEMMs sum): a fixed order the compiler vectorises */
static inline float Sum(PetscInt n, const float *restrict x)
{
  float    acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, sum = 0;
  PetscInt i = 0;

  for (; i + 8 <= n; i += 8)
    for (PetscInt k = 0; k < 8; k++) acc[k] += x[i + k];
  for (; i < n; i++) sum += x[i];
  for (PetscInt k = 0; k < 8; k++) sum += acc[k];
  return sum;
}
#else
static inline PetscReal Sum(PetscInt n, const PetscReal *restrict x)
{
  PetscReal sum = 0;
  for (PetscInt i = 0; i < n; i++) sum += x[i];
  return sum;
}
#endif

/* the dense layer: pre = X W; dW = X^T dpre, dX = dpre W^T */
PetscErrorCode GEP_RNAME(GepGNNDenseForward)(GepGNNLayer *L, const R *X)
{
  PetscInt n = L->nloc * L->batch;

  PetscFunctionBegin;
  PetscCall(Gemm('N', 'N', n, L->fout, L->fin, X, n, L->GEP_F(W), L->fin, L->GEP_F(pre), n));
  PetscFunctionReturn(0);
}

PetscErrorCode GEP_RNAME(GepGNNDenseBackward)(GepGNNLayer *L, const R *X, R *dWb, R *dX)
{
  PetscInt n = L->nloc * L->batch;

  PetscFunctionBegin;
  PetscCall(Gemm('T', 'N', L->fin, L->fout, n, X, n, L->GEP_F(dpre), n, dWb, L->fin));
  if (dX) PetscCall(Gemm('N', 'T', n, L->fin, L->fout, L->GEP_F(dpre), n, L->GEP_F(W), L->fin, dX, n));
  PetscFunctionReturn(0);
}

/* the graph convolution: pre = A (X W), or (A X) W when aggregating first (A X kept for the backward pass) */
PetscErrorCode GEP_RNAME(GepGNNGCNForward)(GepGNNLayer *L, const R *X)
{
  PetscInt n = L->nloc * L->batch, fin = L->fin, fout = L->fout;

  PetscFunctionBegin;
  if (!GepGNNGCNAggregateFirst(L)) {
    PetscCall(Gemm('N', 'N', n, fout, fin, X, n, L->GEP_F(W), fin, L->GEP_F(S), n));
    PetscCall(Product(L, GEP_GCN_FORWARD_OUT, n * fout, L->GEP_F(S), L->S, n * fout, L->pre,
                      GEP_SINGLE ? NULL : L->GEP_F(pre))); /* single: StagedInPlace */
    PetscFunctionReturn(0);
  }
#if GEP_SINGLE
  const void *in = L->Xd ? (const void *)L->Xd : (const void *)X;
#else
  const void *in = X;
#endif
  if (!(L->fixed && L->AXof == in)) { /* (a fixed input's A X is kept) */
#if GEP_SINGLE
    if (L->Xd) { /* an input layer: the product straight from the stack's double input */
      PetscCall(GepGNNGCNProduct(L, GEP_GCN_FORWARD_IN, L->Xd, L->AX));
      GepGNNToSingle(n * fin, L->AX, L->AX_s);
    } else
#endif
      PetscCall(Product(L, GEP_GCN_FORWARD_IN, n * fin, X, L->T, n * fin, L->AX, L->GEP_F(AX)));
    L->AXof = L->fixed ? in : NULL;
  }
  if (!OneChannelIn(L)) PetscCall(Gemm('N', 'N', n, fout, fin, L->GEP_F(AX), n, L->GEP_F(W), fin, L->GEP_F(pre), n));
  PetscFunctionReturn(0);
}

/* dW (into dWb) and dX (may be NULL) from dpre */
PetscErrorCode GEP_RNAME(GepGNNGCNBackward)(GepGNNLayer *L, const R *X, R *dWb, R *dX)
{
  PetscInt n = L->nloc * L->batch, fin = L->fin, fout = L->fout;
  R       *S = L->GEP_F(S), *dpre = L->GEP_F(dpre);

  PetscFunctionBegin;
  if (!GepGNNGCNAggregateFirst(L)) { /* S = A^T dpre: the gradient with respect to X W */
#if GEP_SINGLE
    /* StagedInPlace: the backward pass wrote dpre in double */
    PetscCall(GepGNNGCNProduct(L, GEP_GCN_BACKWARD_OUT, L->dpre, L->S));
    GepGNNToSingle(n * fout, L->S, S);
#else
    PetscCall(Product(L, GEP_GCN_BACKWARD_OUT, n * fout, dpre, L->dpre, n * fout, L->S, S));
#endif
    PetscCall(Gemm('T', 'N', fin, fout, n, X, n, S, n, dWb, fin));
    if (dX) PetscCall(Gemm('N', 'T', n, fin, fout, S, n, L->GEP_F(W), fin, dX, n));
    PetscFunctionReturn(0);
  }
  PetscCall(Gemm('T', 'N', fin, fout, n, L->GEP_F(AX), n, dpre, n, dWb, fin));
  if (dX) { /* dX = A^T (dpre W^T) */
    PetscCall(Gemm('N', 'T', n, fin, fout, dpre, n, L->GEP_F(W), fin, L->GEP_F(T), n));
    PetscCall(Product(L, GEP_GCN_BACKWARD_IN, n * fin, L->GEP_F(T), L->T, n * fin, L->AX, dX));
  }
  PetscFunctionReturn(0);
}

/* the dropout scale of the nloc elements from (row rstart, signal, channel) on: 0 or keep, from the hash of the
   global index (channel btotal + bstart + signal) N + row, the same on any number of ranks */
static inline void DropoutScale(const GepGNNDropout *d, PetscInt N, PetscInt nloc, PetscInt signal, PetscInt channel,
                                R *restrict y)
{
  const uint32_t below = GepGNNDropBelow(d->p);
  const R        keep  = (R)GepGNNDropKeep(d->p);
  const uint64_t e0 =
    (uint64_t)(channel * d->btotal + d->bstart + signal) * (uint64_t)N + (uint64_t)d->rstart; /* 64 bits */
  uint32_t x = GepGNNDropState(GepGNNDropOffset(d->key), e0);

  for (PetscInt i = 0; i < nloc; i++, x += GEP_GNN_WEYL) y[i] *= GepGNNUniform16(x) < below ? 0 : keep;
}

PetscErrorCode GEP_RNAME(GepGNNLayerForward)(GepGNNLayer *L, const R *X, const GepGNNDropout *drop, R *Y)
{
  PetscInt n = L->nloc * L->batch; /* the GEMM's rows: (node, signal) pairs */

  PetscFunctionBegin;
#if GEP_SINGLE
  PetscCheck(L->single && L->ops->forward_single, L->comm, PETSC_ERR_SUP, "%s have no single-precision passes",
             L->ops->description);
  PetscCall(L->ops->forward_single(L, X));
#else
  PetscCheck(!L->single, L->comm, PETSC_ERR_ARG_WRONGSTATE,
             "a layer set up for single precision called with double arrays");
  PetscCall(L->ops->forward(L, X));
#endif
  for (PetscInt j = 0; j < L->fout;
       j++) { /* bias, LeakyReLU and dropout in one pass; pre is not kept (backward reads Y) */
    const PetscReal *restrict src = StagedInPlace(L) ? L->pre + j * n : NULL;
    const R *restrict ax          = OneChannelIn(L) ? L->GEP_F(AX) : NULL;
    const R *restrict p           = L->GEP_F(pre) + j * n;
    R *restrict y                 = Y + j * n;
    const R bj = (R)L->b[j], slope = (R)L->slope;
    if (src)
      for (PetscInt i = 0; i < n; i++) {
        R v  = (R)src[i] + bj;
        y[i] = v >= 0 ? v : slope * v;
      }
    else if (ax) {
      const R wj = L->GEP_F(W)[j];
      for (PetscInt i = 0; i < n; i++) {
        R v  = ax[i] * wj + bj;
        y[i] = v >= 0 ? v : slope * v;
      }
    } else
      for (PetscInt i = 0; i < n; i++) {
        R v  = p[i] + bj;
        y[i] = v >= 0 ? v : slope * v;
      }
    if (drop)
      for (PetscInt s = 0; s < L->batch; s++) DropoutScale(drop, L->N, L->nloc, s, j, y + s * L->nloc);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GEP_RNAME(GepGNNLayerBackward)(GepGNNLayer *L, const R *X, const R *Y, const GepGNNDropout *drop,
                                              const R *dY, R *dX)
{
  PetscInt  n = L->nloc * L->batch, fout = L->fout, nw = L->nw;
  R        *dpre  = L->GEP_F(dpre);
  const R   slope = (R)L->slope, keep = drop ? (R)GepGNNDropKeep(drop->p) : 1;
  PetscBool identity = (PetscBool)(L->slope == 1.0 && !drop);
#if GEP_SINGLE
  R *buf = L->buf_s;
#else
  R *buf = L->dW; /* dW, then db */
#endif
  PetscMPIInt nwb;

  PetscFunctionBegin;
  PetscCheck(identity || Y, L->comm, PETSC_ERR_ARG_NULL,
             "the backward pass through an activation or dropout needs the forward pass's output");
  for (PetscInt j = 0; j < fout;
       j++) { /* through the dropout and the LeakyReLU, and the bias's gradient, in one pass */
    const R *restrict dy = dY + j * n, *restrict y = identity ? NULL : Y + j * n;
    R *restrict dp = dpre + j * n;
    if (identity) PetscCall(PetscArraycpy(dp, dy, n));
    else if (!drop) /* the output's sign is its input's (slope >= 0); at 0 the slope, as PyTorch */
      for (PetscInt i = 0; i < n; i++) dp[i] = y[i] > 0 ? dy[i] : slope * dy[i];
    else /* 0 where dropped (and where a kept input was exactly 0: the output cannot tell them apart) */
      for (PetscInt i = 0; i < n; i++) {
        const R d = dy[i], g = y[i] > 0 ? d : slope * d; /* (both read: no masked loads) */
        dp[i] = y[i] != 0 ? g * keep : 0;
      }
    buf[nw + j] = Sum(n, dp);
#if GEP_SINGLE
    if (StagedInPlace(L)) GepGNNToDouble(n, dp, L->dpre + j * n); /* the column while it is in cache */
#endif
  }
#if GEP_SINGLE
  PetscCall(L->ops->backward_single(L, X, buf, dX));
#else
  PetscCall(L->ops->backward(L, X, buf, dX));
#endif
  PetscCall(PetscMPIIntCast(nw + fout, &nwb));
#if GEP_SINGLE /* summed in float, as PyTorch's data-parallel training sums its float gradients; Adam reads buf_s */
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, buf, nwb, MPI_FLOAT, MPI_SUM, L->comm));
  GepGNNToDouble(fout, buf + nw, L->db);
#else
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, L->dW, nwb, MPIU_REAL, MPI_SUM, L->comm));
#endif
  PetscFunctionReturn(0);
}

/* layer l's dropout in a training pass (key != 0), or NULL */
static inline const GepGNNDropout *StackDropout(const GepGNNStack *s, PetscInt l, uint64_t key, GepGNNDropout *d)
{
  if (!key || s->dropout <= 0 || l >= s->ndrop) return NULL;
  d->key    = key ^ ((uint64_t)(l + 1) * 0xd1b54a32d192ed03ULL);
  d->p      = s->dropout;
  d->rstart = s->rstart;
  d->bstart = s->bstart;
  d->btotal = s->btotal;
  return d;
}

PetscErrorCode GEP_RNAME(GepGNNStackForwardPass)(GepGNNStack *s, const R *X, uint64_t key)
{
  GepGNNDropout d;

  PetscFunctionBegin;
#if GEP_SINGLE
  if (!key) /* an evaluation: the weights may have been set (W) since the last Adam step (which leaves W behind) */
    for (PetscInt l = 0; l < s->nlayers; l++)
      if (!s->layer[l].W_behind) GepGNNToSingle(s->layer[l].nw, s->layer[l].W, s->layer[l].W_s);
#endif
  for (PetscInt l = 0; l < s->nlayers; l++)
    PetscCall(GEP_RNAME(GepGNNLayerForward)(&s->layer[l], l ? s->GEP_F(out)[l - 1] : X, StackDropout(s, l, key, &d),
                                            s->GEP_F(out)[l]));
  s->key = key;
  PetscFunctionReturn(0);
}

PetscErrorCode GEP_RNAME(GepGNNStackBackwardPass)(GepGNNStack *s, const R *X, const R *dY, R *dX)
{
  const R      *g = dY;
  GepGNNDropout d;

  PetscFunctionBegin;
  for (PetscInt l = s->nlayers - 1; l >= 0; l--) {
    GepGNNLayer *L   = &s->layer[l];
    R           *dIn = l ? s->GEP_F(dbuf)[l % 2] : dX;

    PetscCall(GEP_RNAME(GepGNNLayerBackward)(L, l ? s->GEP_F(out)[l - 1] : X, s->GEP_F(out)[l],
                                             StackDropout(s, l, s->key, &d), g, dIn));
    g = dIn;
  }
  PetscFunctionReturn(0);
}

#undef R
