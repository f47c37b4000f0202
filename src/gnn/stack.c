/* GepGNN layer stacks: forward with dropout between hidden layers, backward
   through the masks, Adam on every layer. Dropout masks must not depend on the
   number of ranks, yet drawing the whole N x F mask on every rank from one
   stream would cost more than the layer; so every (row, column) of an
   activation gets its bit from a hash of a per-pass key (drawn from the run's
   seeded PetscRandom) and its global index: a 32-bit integer hash (Wellons'
   lowbias32), which the compiler vectorises; its low 16 bits are the uniform. */
#include "gnnimpl.h"

static inline uint32_t Hash32(uint32_t x)
{
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

/* dropped where the 16-bit uniform of the index is below p (p rounded to 1/65536) */
static inline uint32_t DropBelow(PetscReal p)
{
  return (uint32_t)(p * 65536.0 + 0.5);
}

/* the index (mod 2^32) mixed with the key, hashed */
static inline uint32_t Uniform16(uint64_t key, uint64_t e)
{
  return Hash32((uint32_t)key ^ Hash32((uint32_t)(key >> 32) + (uint32_t)e)) & 0xffffU;
}

PetscReal GepGNNDropoutScale(uint64_t key, PetscInt N, PetscInt row, PetscInt col, PetscReal p)
{
  return Uniform16(key, (uint64_t)col * (uint64_t)N + (uint64_t)row) < DropBelow(p) ? 0.0 : 1.0 / (1.0 - p);
}

/* o *= mask over the nloc x (batch f) block at global row rstart of an N-row activation; column
   s + batch c (signal s of channel c) is global column c btotal + bstart + s */
static void Dropout(uint64_t key, const GepGNNStack *st, PetscInt N, PetscInt nloc, PetscInt f, PetscReal p, PetscReal *restrict o, PetscReal *restrict mask)
{
  const uint32_t  below = DropBelow(p);
  const PetscReal keep  = 1.0 / (1.0 - p);

  for (PetscInt j = 0; j < st->batch * f; j++) {
    const PetscInt gcol = (j / st->batch) * st->btotal + st->bstart + j % st->batch;
    const uint64_t e0   = (uint64_t)gcol * (uint64_t)N + (uint64_t)st->rstart; /* in 64 bits: nodes x signals x channels may pass 2^31 */
    for (PetscInt i = 0; i < nloc; i++) {
      PetscReal s        = Uniform16(key, e0 + (uint64_t)i) < below ? 0.0 : keep;
      mask[j * nloc + i] = s;
      o[j * nloc + i] *= s;
    }
  }
}

static PetscErrorCode StackAllocate(GepGNNStack *s, PetscInt nloc)
{
  PetscInt mx = 1;

  nloc *= s->batch; /* rows of every activation block */
  PetscFunctionBegin;
  for (PetscInt l = 0; l < s->nlayers; l++) {
    PetscCall(PetscFree(s->out[l]));
    PetscCall(PetscFree(s->mask[l]));
    PetscCall(PetscMalloc1(nloc * s->layer[l].fout + 1, &s->out[l]));
    if (l < s->ndrop) PetscCall(PetscMalloc1(nloc * s->layer[l].fout + 1, &s->mask[l]));
    mx = PetscMax(mx, nloc * s->layer[l].fout + 1);
  }
  PetscCall(PetscFree2(s->dbuf[0], s->dbuf[1]));
  PetscCall(PetscMalloc2(mx, &s->dbuf[0], mx, &s->dbuf[1]));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackSetUp(GepGNNStack *s, MPI_Comm comm, PetscInt n, const PetscInt sizes[], const GepGNNLayerType type[], PetscInt fin, PetscInt nloc, PetscInt N, Mat A, PetscReal slope, PetscReal dropout, PetscRandom rnd)
{
  PetscFunctionBegin;
  PetscCall(PetscMemzero(s, sizeof(*s)));
  s->nlayers = n;
  s->dropout = dropout;
  s->batch = s->btotal = 1;
  s->ndrop             = n - 2;
  PetscCall(PetscCalloc3(n, &s->layer, n, &s->out, n, &s->mask));
  for (PetscInt l = 0; l < n; l++) PetscCall(GepGNNLayerSetUp(&s->layer[l], comm, type[l], l ? sizes[l - 1] : fin, sizes[l], nloc, N, A, l < n - 1 ? slope : 1.0, rnd));
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

PetscErrorCode GepGNNStackSetNodesBatch(GepGNNStack *s, PetscInt nloc, PetscInt N, Mat A, PetscInt batch, PetscInt bstart, PetscInt btotal)
{
  PetscFunctionBegin;
  s->bstart = bstart;
  s->btotal = btotal;
  s->batch = batch;
  for (PetscInt l = 0; l < s->nlayers; l++) PetscCall(GepGNNLayerSetNodesBatch(&s->layer[l], nloc, N, A, batch));
  PetscCall(StackAllocate(s, nloc));
  PetscCallMPI(MPI_Scan(&nloc, &s->rstart, 1, MPIU_INT, MPI_SUM, s->layer[0].comm));
  s->rstart -= nloc;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackForward(GepGNNStack *s, const PetscReal *X, uint64_t key, PetscReal **Y)
{
  PetscFunctionBegin;
  for (PetscInt l = 0; l < s->nlayers; l++) {
    GepGNNLayer *L = &s->layer[l];
    PetscReal   *o = s->out[l], *m = s->mask[l];

    PetscCall(GepGNNLayerForward(L, l ? s->out[l - 1] : X, o));
    if (m && key && s->dropout > 0) Dropout(key ^ ((uint64_t)(l + 1) * 0xd1b54a32d192ed03ULL), s, L->N, L->nloc, L->fout, s->dropout, o, m);
  }
  s->training = key && s->dropout > 0;
  *Y          = s->out[s->nlayers - 1];
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNStackBackward(GepGNNStack *s, const PetscReal *X, const PetscReal *dY, PetscReal *dX)
{
  const PetscReal *g = dY;

  PetscFunctionBegin;
  for (PetscInt l = s->nlayers - 1; l >= 0; l--) {
    GepGNNLayer *L   = &s->layer[l];
    PetscReal   *dIn = l ? s->dbuf[l % 2] : dX;

    if (s->mask[l] && s->training) { /* through the dropout: g already lives in a work buffer */
      PetscReal *gm = (PetscReal *)g;
      for (PetscInt i = 0; i < L->nloc * L->batch * L->fout; i++) gm[i] *= s->mask[l][i];
    }
    PetscCall(GepGNNLayerBackward(L, l ? s->out[l - 1] : X, g, dIn));
    g = dIn;
  }
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
  for (PetscInt l = 0; l < s->nlayers; l++) {
    PetscCall(GepGNNLayerDestroy(&s->layer[l]));
    PetscCall(PetscFree(s->out[l]));
    PetscCall(PetscFree(s->mask[l]));
  }
  PetscCall(PetscFree3(s->layer, s->out, s->mask));
  PetscCall(PetscFree2(s->dbuf[0], s->dbuf[1]));
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
      PetscCall(PetscArraycpy(buf, L->W, nw));
      PetscCall(PetscArraycpy(buf + nw, L->b, L->fout));
    } else {
      PetscCall(PetscArraycpy(L->W, buf, nw));
      PetscCall(PetscArraycpy(L->b, buf + nw, L->fout));
    }
    buf += nw + L->fout;
  }
  PetscFunctionReturn(0);
}
