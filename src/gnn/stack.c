/* GepGNN layer stacks: set-up, Adam on every layer, and the passes' interface:
   forward with dropout between hidden layers, backward through it (the passes
   themselves in passes_real.h, in double or in single precision; a
   single-precision stack converts its input and output at this interface).
   The dropout masks come from a hash of the element's global index (gnnimpl.h)
   and are not stored: the backward pass reads them off the layers' outputs. */
#include "gnnimpl.h"

PetscReal GepGNNDropoutScale(uint64_t key, PetscInt N, PetscInt row, PetscInt col, PetscReal p)
{
  return GepGNNUniform16(GepGNNDropState(GepGNNDropOffset(key), (uint64_t)col * (uint64_t)N + (uint64_t)row)) <
             GepGNNDropBelow(p)
           ? 0.0
           : GepGNNDropKeep(p);
}

/* The arrays a stack's passes use within a call and leave nothing in: the layers' work (work: S, and pre or dpre,
   which a pass uses only one of; single precision: the GCNs' double staging, with the float work work_s), the
   gradients between layers (dbuf, single dbuf_s), and in single precision the input and the gradients converted at
   the interface (X_s, dX_s, dY_s). Stacks that run their passes one after another (a model's views) share one set
   (GepGNNStackShareScratch), which then stays in cache instead of one set a view (ROSMAP's three views: pre-training
   about 3 % faster in float32). A pass binds it, growing it first to its stack's sizes where it is smaller. */
struct _GepGNNScratch {
  PetscInt   refct;
  PetscInt   nwork, ndbuf, nsingle, nin, nout; /* capacities: work, dbuf, work_s and dbuf_s, X_s and dX_s, dY_s */
  PetscReal *work[2], *dbuf[2];
  float     *work_s[2], *dbuf_s[2], *X_s, *dX_s, *dY_s;
};

static PetscErrorCode ScratchCreate(GepGNNScratch **c)
{
  PetscFunctionBegin;
  PetscCall(PetscNew(c));
  (*c)->refct = 1;
  PetscFunctionReturn(0);
}

static PetscErrorCode ScratchRelease(GepGNNScratch **c)
{
  PetscFunctionBegin;
  if (*c && --(*c)->refct == 0) {
    PetscCall(PetscFree2((*c)->work[0], (*c)->work[1]));
    PetscCall(PetscFree2((*c)->dbuf[0], (*c)->dbuf[1]));
    PetscCall(PetscFree4((*c)->work_s[0], (*c)->work_s[1], (*c)->dbuf_s[0], (*c)->dbuf_s[1]));
    PetscCall(PetscFree2((*c)->X_s, (*c)->dX_s));
    PetscCall(PetscFree((*c)->dY_s));
    PetscCall(PetscFree(*c));
  }
  *c = NULL;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackShareScratch(GepGNNStack *s, GepGNNStack *with)
{
  PetscFunctionBegin;
  if (s->scratch == with->scratch) PetscFunctionReturn(0);
  PetscCall(ScratchRelease(&s->scratch));
  s->scratch = with->scratch;
  s->scratch->refct++;
  PetscFunctionReturn(0);
}

/* the stack's and its layers' work arrays pointed into its scratch, its arrays grown first where they are smaller
   than the stack needs (their contents are not kept) */
static PetscErrorCode BindScratch(GepGNNStack *s)
{
  GepGNNScratch *c  = s->scratch;
  PetscInt       nw = s->nwork, nin = s->single ? s->nin : 0, nout = s->single ? s->nout : 0;

  PetscFunctionBegin;
  if (c->nwork < nw) {
    PetscCall(PetscFree2(c->work[0], c->work[1]));
    PetscCall(PetscMalloc2(nw, &c->work[0], nw, &c->work[1]));
    c->nwork = nw;
  }
  if (!s->single && c->ndbuf < nw) {
    PetscCall(PetscFree2(c->dbuf[0], c->dbuf[1]));
    PetscCall(PetscMalloc2(nw, &c->dbuf[0], nw, &c->dbuf[1]));
    c->ndbuf = nw;
  }
  if (s->single && c->nsingle < nw) {
    PetscCall(PetscFree4(c->work_s[0], c->work_s[1], c->dbuf_s[0], c->dbuf_s[1]));
    PetscCall(PetscMalloc4(nw, &c->work_s[0], nw, &c->work_s[1], nw, &c->dbuf_s[0], nw, &c->dbuf_s[1]));
    c->nsingle = nw;
  }
  if (c->nin < nin) {
    PetscCall(PetscFree2(c->X_s, c->dX_s));
    PetscCall(PetscMalloc2(nin, &c->X_s, nin, &c->dX_s));
    c->nin = nin;
  }
  if (c->nout < nout) {
    PetscCall(PetscFree(c->dY_s));
    PetscCall(PetscMalloc1(nout, &c->dY_s));
    c->nout = nout;
  }
  for (PetscInt k = 0; k < 2; k++) {
    s->work[k]   = c->work[k];
    s->dbuf[k]   = c->dbuf[k];
    s->work_s[k] = c->work_s[k];
    s->dbuf_s[k] = c->dbuf_s[k];
  }
  s->X_s  = c->X_s;
  s->dX_s = c->dX_s;
  s->dY_s = c->dY_s;
  for (PetscInt l = 0; l < s->nlayers; l++) { /* a transforming-first GCN: forward S -> pre, backward dpre -> S */
    GepGNNLayer *L = &s->layer[l];
    L->S           = s->work[0];
    L->pre = L->dpre = s->work[1];
    L->S_s = L->pre_s = s->work_s[0]; /* (pre_s: the others' GEMM output) */
    L->dpre_s         = s->work_s[1];
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode StackFree(GepGNNStack *s)
{
  PetscFunctionBegin;
  for (PetscInt l = 0; l < s->nlayers; l++) {
    PetscCall(PetscFree(s->out[l]));
    if (s->out_s) PetscCall(PetscFree(s->out_s[l]));
  }
  PetscFunctionReturn(0);
}

/* the activations (double, or float with the output layer's also in double), and the sizes of the scratch */
static PetscErrorCode StackAllocate(GepGNNStack *s, PetscInt nloc)
{
  PetscInt mx = 1, last = s->nlayers - 1;

  nloc *= s->batch; /* rows of every activation block */
  PetscFunctionBegin;
  PetscCall(StackFree(s));
  for (PetscInt l = 0; l < s->nlayers; l++) {
    PetscInt size = nloc * s->layer[l].fout + 1;

    mx = PetscMax(mx, size);
    if (!s->single || l == last) PetscCall(PetscMalloc1(size, &s->out[l]));
    if (s->single) PetscCall(PetscMalloc1(size, &s->out_s[l]));
  }
  s->nwork = mx;
  s->nin   = nloc * s->layer[0].fin + 1;
  s->nout  = nloc * s->layer[last].fout + 1;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackSetUp(GepGNNStack *s, MPI_Comm comm, PetscInt n, const PetscInt sizes[],
                                const GepGNNLayerType type[], PetscInt fin, PetscInt nloc, PetscInt N, Mat A,
                                PetscReal slope, PetscReal dropout, PetscRandom rnd)
{
  PetscFunctionBegin;
  PetscCall(PetscMemzero(s, sizeof(*s)));
  s->nlayers = n;
  s->dropout = dropout;
  s->batch = s->btotal = 1;
  s->ndrop             = n - 2;
  PetscCall(PetscCalloc2(n, &s->layer, n, &s->out));
  for (PetscInt l = 0; l < n; l++)
    PetscCall(GepGNNLayerSetUpInStack(&s->layer[l], comm, type[l], l ? sizes[l - 1] : fin, sizes[l], nloc, N, A,
                                      l < n - 1 ? slope : 1.0, rnd));
  PetscCall(ScratchCreate(&s->scratch));
  s->layer[0].input = PETSC_TRUE; /* which may change how it multiplies by the graph */
  PetscCall(GepGNNLayerSetNodes(&s->layer[0], nloc, N, A));
  PetscCall(StackAllocate(s, nloc));
  PetscCallMPI(MPI_Scan(&nloc, &s->rstart, 1, MPIU_INT, MPI_SUM, comm));
  s->rstart -= nloc;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackSetNodes(GepGNNStack *s, PetscInt nloc, PetscInt N, Mat A)
{
  PetscFunctionBegin;
  PetscCall(GepGNNStackSetNodesBatch(s, nloc, N, A, 1, 0, 1));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackSetNodesBatch(GepGNNStack *s, PetscInt nloc, PetscInt N, Mat A, PetscInt batch,
                                        PetscInt bstart, PetscInt btotal)
{
  PetscFunctionBegin;
  s->bstart = bstart;
  s->btotal = btotal;
  s->batch  = batch;
  for (PetscInt l = 0; l < s->nlayers; l++) PetscCall(GepGNNLayerSetNodesBatch(&s->layer[l], nloc, N, A, batch));
  PetscCall(StackAllocate(s, nloc));
  PetscCallMPI(MPI_Scan(&nloc, &s->rstart, 1, MPIU_INT, MPI_SUM, s->layer[0].comm));
  s->rstart -= nloc;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackSetSingle(GepGNNStack *s, PetscBool single)
{
  GepGNNLayer *L0 = &s->layer[0];

  PetscFunctionBegin;
  if (single == s->single) PetscFunctionReturn(0);
  PetscCall(StackFree(s));
  if (single && !s->out_s) PetscCall(PetscCalloc1(s->nlayers, &s->out_s));
  if (single) PetscCall(GepGemmSingleWarmUp());
  s->single = single;
  for (PetscInt l = 0; l < s->nlayers; l++) PetscCall(GepGNNLayerSetSingle(&s->layer[l], single));
  PetscCall(GepGNNStackSetNodesBatch(s, L0->nloc, L0->N, L0->A, s->batch, s->bstart, s->btotal));
  PetscFunctionReturn(0);
}

/* rows of layer l's activations times n columns */
static inline PetscInt Size(const GepGNNStack *s, PetscInt l, PetscInt n)
{
  return s->layer[l].nloc * s->batch * n;
}

void GepGNNStackSetColumnBlocks(GepGNNStack *s, PetscInt K)
{
  for (PetscInt l = 0; l < s->nlayers; l++) s->layer[l].colblocks = K;
}

PetscErrorCode GepGNNStackSetInputFixed(GepGNNStack *s, PetscBool fixed)
{
  PetscFunctionBegin;
  s->layer[0].fixed = fixed;
  s->layer[0].AXof  = NULL;
  PetscFunctionReturn(0);
}

/* single: whether the input layer reads X in float (not when it aggregates first: its product takes the double X,
   and its backward pass uses A X only) */
static inline PetscBool InputConverted(const GepGNNStack *s)
{
  return (PetscBool)!s->layer[0].double_input;
}

PetscErrorCode GepGNNStackForward(GepGNNStack *s, const PetscReal *X, uint64_t key, PetscReal **Y)
{
  PetscInt last = s->nlayers - 1;

  PetscFunctionBegin;
  PetscCall(BindScratch(s));
  if (!s->single) PetscCall(GepGNNStackForwardPass(s, X, key));
  else {
    if (InputConverted(s)) GepGNNToSingle(Size(s, 0, s->layer[0].fin), X, s->X_s);
    else s->layer[0].Xd = X;
    PetscCall(GepGNNStackForwardPassSingle(s, s->X_s, key));
    s->layer[0].Xd = NULL;
    GepGNNToDouble(Size(s, last, s->layer[last].fout), s->out_s[last], s->out[last]);
  }
  *Y = s->out[last];
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackBackward(GepGNNStack *s, const PetscReal *X, const PetscReal *dY, PetscReal *dX)
{
  PetscInt last = s->nlayers - 1;

  PetscFunctionBegin;
  PetscCall(BindScratch(s));
  if (!s->single) {
    PetscCall(GepGNNStackBackwardPass(s, X, dY, dX));
    PetscFunctionReturn(0);
  }
  if (InputConverted(s)) GepGNNToSingle(Size(s, 0, s->layer[0].fin), X, s->X_s);
  GepGNNToSingle(Size(s, last, s->layer[last].fout), dY, s->dY_s);
  PetscCall(GepGNNStackBackwardPassSingle(s, s->X_s, s->dY_s, dX ? s->dX_s : NULL));
  if (dX) GepGNNToDouble(Size(s, 0, s->layer[0].fin), s->dX_s, dX);
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackAdam(GepGNNStack *s, PetscInt t, PetscReal lr, PetscReal l2)
{
  PetscFunctionBegin;
  for (PetscInt l = 0; l < s->nlayers; l++) PetscCall(GepGNNLayerAdam(&s->layer[l], t, lr, l2));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackDestroy(GepGNNStack *s)
{
  PetscFunctionBegin;
  PetscCall(StackFree(s));
  PetscCall(ScratchRelease(&s->scratch));
  for (PetscInt l = 0; l < s->nlayers; l++) PetscCall(GepGNNLayerDestroy(&s->layer[l]));
  PetscCall(PetscFree2(s->layer, s->out));
  PetscCall(PetscFree(s->out_s));
  PetscFunctionReturn(0);
}

PetscInt GepGNNStackNumParameters(const GepGNNStack *s)
{
  PetscInt n = 0;
  for (PetscInt l = 0; l < s->nlayers; l++) n += s->layer[l].nw + s->layer[l].fout;
  return n;
}

PetscErrorCode GepGNNStackCopyParameters(GepGNNStack *s, PetscBool get, PetscReal *buf)
{
  PetscFunctionBegin;
  for (PetscInt l = 0; l < s->nlayers; l++) {
    GepGNNLayer *L  = &s->layer[l];
    PetscInt     nw = L->nw;
    if (get) {
      GepGNNLayerSyncWeights(L);
      PetscCall(PetscArraycpy(buf, L->W, nw));
      PetscCall(PetscArraycpy(buf + nw, L->b, L->fout));
    } else {
      PetscCall(PetscArraycpy(L->W, buf, nw));
      PetscCall(PetscArraycpy(L->b, buf + nw, L->fout));
      if (L->W_s) GepGNNToSingle(nw, L->W, L->W_s); /* the float master copy follows */
      L->W_behind = PETSC_FALSE;
    }
    buf += nw + L->fout;
  }
  PetscFunctionReturn(0);
}
