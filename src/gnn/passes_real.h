/* The forward and backward passes of GepGNN layers and stacks, written once for
   either working precision and included by passes_double.c and passes_single.c,
   which define
     GEP_REAL      the element type (PetscReal or float),
     GEP_SINGLE    1 for float,
     GEP_RNAME(x)  a function's name (x, or x with Single appended),
     GEP_F(x)      a layer's or stack's array of that type (x, or x with _s appended).
   Single precision is what PyTorch trains MOGONET in: the GEMMs (sgemm), the
   activations, the weights' gradients (summed over the ranks in float) and Adam
   on the float weights (layer.c), which write their double copy as they step;
   the biases stay double. PETSc here is built for double, so a GCN's sparse
   products go through the layer's double arrays as staging (an input layer
   aggregating first multiplies the stack's double input directly; a layer
   transforming first reads and writes the staging arrays in its element-wise
   passes, StagedInPlace). The float weights are made from the double ones
   before every evaluation pass (key 0), which may follow a load or a restore.
   Graph attention runs in double only. */

#define R GEP_REAL

/* column-major C = op(A) op(B) in the working precision */
static inline PetscErrorCode Gemm(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, const R *A, PetscInt lda, const R *B, PetscInt ldb, R *C, PetscInt ldc)
{
#if GEP_SINGLE
  return GepGNNGemmSingle(ta, tb, m, n, k, 1.0f, A, lda, B, ldb, 0.0f, C, ldc);
#else
  return GepGNNGemm(ta, tb, m, n, k, 1.0, A, lda, B, ldb, 0.0, C, ldc);
#endif
}

#if GEP_SINGLE
/* out_d = op(A) in through the double staging array in_d; out (may be NULL: the caller reads out_d) its float copy */
static PetscErrorCode Product(GepGNNLayer *L, GepGNNGCNProductKind kind, PetscInt nin, const float *in, PetscReal *in_d, PetscInt nout, PetscReal *out_d, float *out)
{
  PetscFunctionBegin;
  GepGNNToDouble(nin, in, in_d);
  PetscCall(GepGNNGCNProduct(L, kind, in_d, out_d));
  if (out) GepGNNToSingle(nout, out_d, out);
  PetscFunctionReturn(0);
}
#else
static inline PetscErrorCode Product(GepGNNLayer *L, GepGNNGCNProductKind kind, PetscInt nin, const PetscReal *in, PetscReal *in_d, PetscInt nout, PetscReal *out_d, PetscReal *out)
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
  return (PetscBool)(GEP_SINGLE && L->type == GEP_GNN_GCN && !GepGNNGCNAggregateFirst(L));
}

#if GEP_SINGLE
/* in 8 running sums (float, as the GEMMs sum): a fixed order the compiler vectorises */
static inline float Sum(PetscInt n, const float *restrict x)
{
  float    acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, sum = 0;
  PetscInt i      = 0;

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

/* pre = A (X W), or (A X) W when aggregating first (A X kept for the backward pass) */
static PetscErrorCode GCNForward(GepGNNLayer *L, const R *X)
{
  PetscInt n = L->nloc * L->batch, fin = L->fin, fout = L->fout;

  PetscFunctionBegin;
  if (!GepGNNGCNAggregateFirst(L)) {
    PetscCall(Gemm('N', 'N', n, fout, fin, X, n, L->GEP_F(W), fin, L->GEP_F(S), n));
    PetscCall(Product(L, GEP_GCN_FORWARD_OUT, n * fout, L->GEP_F(S), L->S, n * fout, L->pre, GEP_SINGLE ? NULL : L->GEP_F(pre))); /* single: StagedInPlace */
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
  PetscCall(Gemm('N', 'N', n, fout, fin, L->GEP_F(AX), n, L->GEP_F(W), fin, L->GEP_F(pre), n));
  PetscFunctionReturn(0);
}

/* dW (into dWb) and dX (may be NULL) from dpre */
static PetscErrorCode GCNBackward(GepGNNLayer *L, const R *X, R *dWb, R *dX)
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

PetscErrorCode GEP_RNAME(GepGNNLayerForward)(GepGNNLayer *L, const R *X, R *Y)
{
  PetscInt n = L->nloc * L->batch; /* the GEMM's rows: (node, signal) pairs */
  R       *pre;

  PetscFunctionBegin;
#if GEP_SINGLE
  PetscCheck(L->single && L->type != GEP_GNN_GAT, L->comm, PETSC_ERR_SUP, "single-precision passes are set up for dense and GCN layers only");
  if (L->type == GEP_GNN_GCN) PetscCall(GCNForward(L, X));
#else
  PetscCheck(!L->single, L->comm, PETSC_ERR_ARG_WRONGSTATE, "a layer set up for single precision called with double arrays");
  if (L->type == GEP_GNN_GCN) PetscCall(GCNForward(L, X));
  else if (L->type == GEP_GNN_GAT) PetscCall(GepGNNGATForward(L, X));
#endif
  else PetscCall(Gemm('N', 'N', n, L->fout, L->fin, X, n, L->GEP_F(W), L->fin, L->GEP_F(pre), n));
  pre = L->GEP_F(pre);
  for (PetscInt j = 0; j < L->fout; j++) { /* bias and LeakyReLU in one pass */
    const PetscReal *restrict src = StagedInPlace(L) ? L->pre + j * n : NULL;
    R *restrict               p = pre + j * n, *restrict y = Y + j * n;
    const R                   bj = (R)L->b[j], slope = (R)L->slope;
    if (src)
      for (PetscInt i = 0; i < n; i++) {
        R v  = p[i] = (R)src[i] + bj;
        y[i] = v >= 0 ? v : slope * v;
      }
    else
      for (PetscInt i = 0; i < n; i++) {
        R v  = p[i] += bj;
        y[i] = v >= 0 ? v : slope * v;
      }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GEP_RNAME(GepGNNLayerBackward)(GepGNNLayer *L, const R *X, const R *dY, const R *mask, R *dX)
{
  PetscInt    n = L->nloc * L->batch, fin = L->fin, fout = L->fout, nw = L->nw;
  R          *dpre = L->GEP_F(dpre);
#if GEP_SINGLE
  R *buf = L->buf_s;
#else
  R *buf = L->dW; /* dW, then db */
#endif
  PetscMPIInt nwb;

  PetscFunctionBegin;
  for (PetscInt j = 0; j < fout; j++) { /* through the dropout and the LeakyReLU, and the bias's gradient, in one pass */
    const R *restrict pre = L->GEP_F(pre) + j * n, *restrict dy = dY + j * n, *restrict m = mask ? mask + j * n : NULL;
    R *restrict       dp  = dpre + j * n;
    const R           slope = (R)L->slope;
    if (m)
      for (PetscInt i = 0; i < n; i++) dp[i] = (pre[i] >= 0 ? dy[i] : slope * dy[i]) * m[i];
    else
      for (PetscInt i = 0; i < n; i++) dp[i] = pre[i] >= 0 ? dy[i] : slope * dy[i];
    buf[nw + j] = Sum(n, dp);
#if GEP_SINGLE
    if (StagedInPlace(L)) GepGNNToDouble(n, dp, L->dpre + j * n); /* the column while it is in cache */
#endif
  }
  if (L->type == GEP_GNN_GCN) PetscCall(GCNBackward(L, X, buf, dX));
#if !GEP_SINGLE
  else if (L->type == GEP_GNN_GAT) PetscCall(GepGNNGATBackward(L, X, buf, dX));
#endif
  else PetscCall(Gemm('T', 'N', fin, fout, n, X, n, dpre, n, buf, fin));
  PetscCall(PetscMPIIntCast(nw + fout, &nwb));
#if GEP_SINGLE /* summed in float, as PyTorch's data-parallel training sums its float gradients; Adam reads buf_s */
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, buf, nwb, MPI_FLOAT, MPI_SUM, L->comm));
  GepGNNToDouble(fout, buf + nw, L->db);
#else
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, L->dW, nwb, MPIU_REAL, MPI_SUM, L->comm));
#endif
  if (dX && L->type == GEP_GNN_DENSE) PetscCall(Gemm('N', 'T', n, fin, fout, dpre, n, L->GEP_F(W), fin, dX, n));
  PetscFunctionReturn(0);
}

/* o *= mask over the nloc x (batch f) block at global row rstart of an N-row activation; column
   s + batch c (signal s of channel c) is global column c btotal + bstart + s */
static void Dropout(uint64_t key, const GepGNNStack *st, PetscInt N, PetscInt nloc, PetscInt f, PetscReal p, R *restrict o, R *restrict mask)
{
  const uint32_t below = GepGNNDropBelow(p);
  const R        keep  = (R)(1.0 / (1.0 - p));

  for (PetscInt j = 0; j < st->batch * f; j++) {
    const PetscInt gcol = (j / st->batch) * st->btotal + st->bstart + j % st->batch;
    const uint64_t e0   = (uint64_t)gcol * (uint64_t)N + (uint64_t)st->rstart; /* in 64 bits: nodes x signals x channels may pass 2^31 */
    for (PetscInt i = 0; i < nloc; i++) {
      R s                = GepGNNUniform16(key, e0 + (uint64_t)i) < below ? 0 : keep;
      mask[j * nloc + i] = s;
      o[j * nloc + i] *= s;
    }
  }
}

PetscErrorCode GEP_RNAME(GepGNNStackForwardPass)(GepGNNStack *s, const R *X, uint64_t key)
{
  PetscFunctionBegin;
#if GEP_SINGLE
  if (!key) /* an evaluation: the weights may have been set since the last Adam step */
    for (PetscInt l = 0; l < s->nlayers; l++) GepGNNToSingle(s->layer[l].nw, s->layer[l].W, s->layer[l].W_s);
#endif
  for (PetscInt l = 0; l < s->nlayers; l++) {
    GepGNNLayer *L = &s->layer[l];
    R           *o = s->GEP_F(out)[l], *m = s->GEP_F(mask)[l];

    PetscCall(GEP_RNAME(GepGNNLayerForward)(L, l ? s->GEP_F(out)[l - 1] : X, o));
    if (m && key && s->dropout > 0) Dropout(key ^ ((uint64_t)(l + 1) * 0xd1b54a32d192ed03ULL), s, L->N, L->nloc, L->fout, s->dropout, o, m);
  }
  s->training = key && s->dropout > 0;
  PetscFunctionReturn(0);
}

PetscErrorCode GEP_RNAME(GepGNNStackBackwardPass)(GepGNNStack *s, const R *X, const R *dY, R *dX)
{
  const R *g = dY;

  PetscFunctionBegin;
  for (PetscInt l = s->nlayers - 1; l >= 0; l--) {
    GepGNNLayer *L   = &s->layer[l];
    R           *dIn = l ? s->GEP_F(dbuf)[l % 2] : dX;

    PetscCall(GEP_RNAME(GepGNNLayerBackward)(L, l ? s->GEP_F(out)[l - 1] : X, g, s->training ? s->GEP_F(mask)[l] : NULL, dIn));
    g = dIn;
  }
  PetscFunctionReturn(0);
}

#undef R
