/* GepGNN feature-graph networks: graph convolutions over a knowledge graph whose
   nodes are features, every sample a signal on the nodes, read out to the
   sample's class logits (see GepGNNFeatureNet in gnnimpl.h). The convolutions
   are the sample-graph layers run with batch = samples: an activation block is
   nodes x (samples x channels), so X W is one GEMM over (node, sample) rows and
   A (X W) one sparse product with samples x channels columns. */
#include "gnnimpl.h"

/* by samples: the whole graph A on this rank (its symmetry flag kept: the layers then skip forming A^T) */
static PetscErrorCode CopyGraph(Mat A, Mat *Acopy)
{
  PetscMPIInt size;
  PetscBool   set, symmetric;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PetscObjectComm((PetscObject)A), &size));
  if (size == 1) {
    PetscCall(PetscObjectReference((PetscObject)A));
    *Acopy = A;
    PetscFunctionReturn(0);
  }
  PetscCall(MatCreateRedundantMatrix(A, size, MPI_COMM_NULL, MAT_INITIAL_MATRIX, Acopy));
  PetscCall(MatIsSymmetricKnown(A, &set, &symmetric));
  if (set) {
    PetscCall(MatSetOption(*Acopy, MAT_SYMMETRIC, symmetric));
    PetscCall(MatSetOption(*Acopy, MAT_SYMMETRY_ETERNAL, PETSC_TRUE));
  }
  PetscFunctionReturn(0);
}

/* the convolutions on chunk [s0, s0 + B) of N signals (the blocks reallocated only when B changes) */
static PetscErrorCode SetChunk(GepGNNFeatureNet *fn, PetscInt s0, PetscInt B, PetscInt N)
{
  PetscFunctionBegin;
  if (fn->gcn.batch != B) {
    PetscCall(GepGNNStackSetNodesBatch(&fn->gcn, fn->dloc, fn->D, fn->A, B, s0, N));
    PetscCall(PetscFree5(fn->dH, fn->P, fn->dP, fn->Zc, fn->dZc));
    PetscCall(PetscMalloc5(fn->dloc * B * fn->f + 1, &fn->dH, B * fn->f + 1, &fn->P, B * fn->f + 1, &fn->dP,
                           B * fn->C + 1, &fn->Zc, B * fn->C + 1, &fn->dZc));
    PetscCall(PetscFree2(fn->Xpad, fn->dXpad));
    PetscCall(PetscMalloc2(fn->dloc * B + 1, &fn->Xpad, fn->dloc * B + 1, &fn->dXpad));
    if (fn->readout == GEP_GNN_READOUT_MEAN) PetscCall(GepGNNLayerSetNodes(&fn->out, B, B, NULL));
  }
  fn->gcn.bstart = s0;
  fn->gcn.btotal = N;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNFeatureNetSetUp(GepGNNFeatureNet *fn, MPI_Comm comm, Mat A, GepGNNDistribute dist,
                                     GepGNNLayerType type, PetscInt nh, const PetscInt hidden[], PetscInt C,
                                     GepGNNReadout readout, PetscReal slope, PetscReal dropout, PetscInt chunk,
                                     PetscRandom rnd)
{
  GepGNNLayerType types[GEP_GNN_MAX_LAYERS];
  PetscInt        rend;

  PetscFunctionBegin;
  PetscCheck(nh >= 1 && nh <= GEP_GNN_MAX_LAYERS, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "a feature-graph network needs 1 to %d graph convolutions", GEP_GNN_MAX_LAYERS);
  PetscCall(PetscMemzero(fn, sizeof(*fn)));
  fn->comm = comm;
  fn->dist = dist;
  fn->A    = A;
  if (dist == GEP_GNN_DISTRIBUTE_SAMPLES) {
    PetscCall(CopyGraph(A, &fn->Acopy));
    fn->A = fn->Acopy;
  }
  fn->C       = C;
  fn->f       = hidden[nh - 1];
  fn->readout = readout;
  fn->chunk   = chunk;
  PetscCall(MatGetSize(fn->A, &fn->D, NULL));
  PetscCall(MatGetOwnershipRange(fn->A, &fn->dstart, &rend));
  fn->dloc = rend - fn->dstart;
  for (PetscInt l = 0; l < nh; l++) types[l] = type;
  PetscCall(GepGNNStackSetUp(&fn->gcn, dist == GEP_GNN_DISTRIBUTE_SAMPLES ? PETSC_COMM_SELF : comm, nh, hidden, types,
                             1, fn->dloc, fn->D, fn->A, slope, dropout, rnd));
  fn->gcn.layer[nh - 1].slope = slope; /* every convolution activated; the readout is the linear output */
  fn->gcn.ndrop               = nh - 1;
  if (readout ==
      GEP_GNN_READOUT_NODE) { /* Xavier normal over the whole D f x C map, each rank keeping its nodes' rows */
    PetscInt  n  = fn->dloc * fn->f * C;
    PetscReal sd = PetscSqrtReal(2.0 / (fn->D * fn->f + C)), w;
    PetscCall(PetscMalloc4(n + 1, &fn->R, n + 1, &fn->dR, n + 1, &fn->mR, n + 1, &fn->vR));
    PetscCall(PetscCalloc4(C, &fn->b, C, &fn->db, C, &fn->mb, C, &fn->vb));
    for (PetscInt k = 0; k < C; k++)
      for (PetscInt c = 0; c < fn->f; c++)
        for (PetscInt d = 0; d < fn->D; d++) {
          PetscCall(GepRandomNormal(rnd, &w));
          if (d >= fn->dstart && d < rend) fn->R[(d - fn->dstart) + fn->dloc * (c + fn->f * k)] = sd * w;
        }
  } else PetscCall(GepGNNLayerSetUp(&fn->out, PETSC_COMM_SELF, GEPGNNLAYERDENSE, fn->f, C, 1, 1, NULL, 1.0, rnd));
  fn->gcn.batch = 0;  /* the first chunk allocates */
  fn->Nlast     = -1; /* no forward pass yet */
  PetscFunctionReturn(0);
}

/* the chunk's logits Zc (B x C) from the last convolution's output H */
static PetscErrorCode Readout(GepGNNFeatureNet *fn, PetscInt B, const PetscReal *H)
{
  PetscInt    dloc = fn->dloc, f = fn->f, C = fn->C;
  PetscMPIInt n;

  PetscFunctionBegin;
  if (fn->readout == GEP_GNN_READOUT_NODE) {
    for (PetscInt c = 0; c < f; c++)
      PetscCall(GepGNNGemm('T', 'N', B, C, dloc, 1.0, H + dloc * B * c, dloc, fn->R + dloc * c, dloc * f, c ? 1.0 : 0.0,
                           fn->Zc, B));
    PetscCall(PetscMPIIntCast(B * C, &n));
    if (fn->dist == GEP_GNN_DISTRIBUTE_NODES)
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, fn->Zc, n, MPIU_REAL, MPI_SUM, fn->comm));
    for (PetscInt k = 0; k < C; k++)
      for (PetscInt s = 0; s < B; s++) fn->Zc[s + B * k] += fn->b[k];
  } else {
    for (PetscInt j = 0; j < B * f; j++) {
      PetscReal sum = 0;
      for (PetscInt d = 0; d < dloc; d++) sum += H[d + dloc * j];
      fn->P[j] = sum / fn->D;
    }
    PetscCall(PetscMPIIntCast(B * f, &n));
    if (fn->dist == GEP_GNN_DISTRIBUTE_NODES)
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, fn->P, n, MPIU_REAL, MPI_SUM, fn->comm));
    PetscCall(GepGNNLayerForward(&fn->out, fn->P, NULL, fn->Zc));
  }
  PetscFunctionReturn(0);
}

/* from the chunk's dZc: the readout's gradients (summed into dR, db; the mean readout's layer gradient overwritten) and
 * dH */
static PetscErrorCode ReadoutBackward(GepGNNFeatureNet *fn, PetscInt B, const PetscReal *H)
{
  PetscInt dloc = fn->dloc, f = fn->f, C = fn->C;

  PetscFunctionBegin;
  if (fn->readout == GEP_GNN_READOUT_NODE) {
    for (PetscInt c = 0; c < f; c++) {
      PetscCall(
        GepGNNGemm('N', 'N', dloc, C, B, 1.0, H + dloc * B * c, dloc, fn->dZc, B, 1.0, fn->dR + dloc * c, dloc * f));
      PetscCall(GepGNNGemm('N', 'T', dloc, B, C, 1.0, fn->R + dloc * c, dloc * f, fn->dZc, B, 0.0,
                           fn->dH + dloc * B * c, dloc));
    }
    for (PetscInt k = 0; k < C; k++)
      for (PetscInt s = 0; s < B; s++) fn->db[k] += fn->dZc[s + B * k];
  } else {
    PetscCall(GepGNNLayerBackward(&fn->out, fn->P, fn->Zc, NULL, fn->dZc, fn->dP));
    for (PetscInt j = 0; j < B * f; j++) {
      PetscReal g = fn->dP[j] / fn->D;
      for (PetscInt d = 0; d < dloc; d++) fn->dH[d + dloc * j] = g;
    }
  }
  PetscFunctionReturn(0);
}

/* the signals of chunk [s0, s0 + nb) as a block of B: in place, or padded with zero signals (the last chunk) so that
   every chunk has the same shape and the graph products' symbolic phase is done once */
static PetscErrorCode ChunkInput(GepGNNFeatureNet *fn, const PetscReal *X, PetscInt s0, PetscInt nb, PetscInt B,
                                 const PetscReal **Xc)
{
  PetscFunctionBegin;
  *Xc = X + fn->dloc * s0;
  if (nb == B) PetscFunctionReturn(0);
  PetscCall(PetscArraycpy(fn->Xpad, *Xc, fn->dloc * nb));
  PetscCall(PetscArrayzero(fn->Xpad + fn->dloc * nb, fn->dloc * (B - nb)));
  *Xc = fn->Xpad;
  PetscFunctionReturn(0);
}

static PetscInt ChunkSize(const GepGNNFeatureNet *fn, PetscInt N)
{
  return fn->chunk > 0 ? PetscMin(fn->chunk, N) : N;
}

PetscErrorCode GepGNNFeatureNetForward(GepGNNFeatureNet *fn, PetscInt N, PetscInt n, PetscInt s0, const PetscReal *X,
                                       uint64_t key, PetscReal *Z)
{
  PetscInt B = ChunkSize(fn, n);

  PetscFunctionBegin;
  PetscCheck(fn->dist == GEP_GNN_DISTRIBUTE_SAMPLES || (n == N && s0 == 0), fn->comm, PETSC_ERR_ARG_WRONG,
             "a feature-graph network distributed by nodes takes every signal on every rank");
  fn->key   = key;
  fn->Nlast = N;
  fn->nlast = n;
  fn->slast = s0;
  /* the chunks last to first, so that the layers end holding the first chunk's activations: the backward pass,
     which goes first to last, then starts without recomputing them (with chunks of 100 of 500 signals, a fifth of
     the recomputation), and sums the gradients in the same order */
  for (PetscInt c0 = n > 0 ? (n - 1) / B * B : -1; c0 >= 0; c0 -= B) { /* (a rank may hold no signals: B = 0) */
    PetscInt         nb = PetscMin(B, n - c0);
    const PetscReal *Xc;
    PetscReal       *H;

    PetscCall(SetChunk(fn, s0 + c0, B, N));
    PetscCall(ChunkInput(fn, X, c0, nb, B, &Xc));
    PetscCall(GepGNNStackForward(&fn->gcn, Xc, key, &H));
    PetscCall(Readout(fn, B, H));
    for (PetscInt k = 0; k < fn->C; k++)
      for (PetscInt s = 0; s < nb; s++) Z[c0 + s + n * k] = fn->Zc[s + B * k];
  }
  fn->first_held = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/* the gradients of the replicated layers (the convolutions, the mean readout's layer): added into acc, or (back)
   copied from it into the layers */
static PetscErrorCode Accumulate(GepGNNFeatureNet *fn, PetscBool back)
{
  PetscInt     nl = fn->gcn.nlayers + (fn->readout == GEP_GNN_READOUT_MEAN), q = 0;
  GepGNNLayer *L;

  PetscFunctionBegin;
  for (PetscInt l = 0; l < nl; l++) {
    L = l < fn->gcn.nlayers ? &fn->gcn.layer[l] : &fn->out;
    for (PetscInt i = 0; i < L->nw + L->fout; i++, q++) {
      PetscReal *g = i < L->nw ? &L->dW[i] : &L->db[i - L->nw];
      if (back) *g = fn->acc[q];
      else fn->acc[q] += *g;
    }
  }
  PetscFunctionReturn(0);
}

static PetscInt NumReplicated(const GepGNNFeatureNet *fn)
{
  return GepGNNStackNumParameters(&fn->gcn) + (fn->readout == GEP_GNN_READOUT_MEAN ? (fn->f + 1) * fn->C : 0);
}

/* by samples: every gradient summed over the ranks (a rank without samples adds zeros) */
static PetscErrorCode SumOverRanks(GepGNNFeatureNet *fn)
{
  PetscMPIInt n;

  PetscFunctionBegin;
  PetscCall(PetscMPIIntCast(NumReplicated(fn), &n));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, fn->acc, n, MPIU_REAL, MPI_SUM, fn->comm));
  if (fn->readout == GEP_GNN_READOUT_MEAN) PetscFunctionReturn(0);
  PetscCall(PetscMPIIntCast(fn->D * fn->f * fn->C, &n));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, fn->dR, n, MPIU_REAL, MPI_SUM, fn->comm));
  PetscCall(PetscMPIIntCast(fn->C, &n));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, fn->db, n, MPIU_REAL, MPI_SUM, fn->comm));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNFeatureNetBackward(GepGNNFeatureNet *fn, const PetscReal *X, const PetscReal *dZ, PetscReal *dX)
{
  PetscInt  n = fn->nlast, N = fn->Nlast, B = ChunkSize(fn, n);
  PetscBool recompute = (PetscBool)(B < n), samples = (PetscBool)(fn->dist == GEP_GNN_DISTRIBUTE_SAMPLES);
  PetscBool accumulate = (PetscBool)(recompute || samples); /* else the one chunk's gradients stay in the layers */

  PetscFunctionBegin;
  PetscCheck(fn->Nlast >= 0, fn->comm, PETSC_ERR_ORDER,
             "GepGNNFeatureNetBackward() after a forward pass on the same signals");
  if (fn->readout == GEP_GNN_READOUT_NODE) {
    PetscCall(PetscArrayzero(fn->dR, fn->dloc * fn->f * fn->C));
    PetscCall(PetscArrayzero(fn->db, fn->C));
  }
  if (accumulate) {
    if (!fn->acc) PetscCall(PetscMalloc1(NumReplicated(fn) + 1, &fn->acc));
    PetscCall(PetscArrayzero(fn->acc, NumReplicated(fn)));
  }
  for (PetscInt c0 = 0; c0 < n; c0 += B) {
    PetscInt         nb = PetscMin(B, n - c0);
    const PetscReal *Xc;
    PetscReal       *H, *dXc = dX && nb == B ? dX + fn->dloc * c0 : fn->dXpad;

    PetscCall(ChunkInput(fn, X, c0, nb, B, &Xc));
    if (recompute &&
        !(c0 == 0 && fn->first_held)) { /* this chunk's activations again (the same key: the same dropout masks) */
      PetscCall(SetChunk(fn, fn->slast + c0, B, N));
      PetscCall(GepGNNStackForward(&fn->gcn, Xc, fn->key, &H));
      if (fn->readout == GEP_GNN_READOUT_MEAN) PetscCall(Readout(fn, B, H));
    } else H = fn->gcn.out[fn->gcn.nlayers - 1];
    for (PetscInt k = 0; k < fn->C; k++) /* the padding signals get no gradient */
      for (PetscInt s = 0; s < B; s++) fn->dZc[s + B * k] = s < nb ? dZ[c0 + s + n * k] : 0.0;
    PetscCall(ReadoutBackward(fn, B, H));
    PetscCall(GepGNNStackBackward(&fn->gcn, Xc, fn->dH, dX ? dXc : NULL));
    if (dX && nb < B) PetscCall(PetscArraycpy(dX + fn->dloc * c0, fn->dXpad, fn->dloc * nb));
    if (accumulate) PetscCall(Accumulate(fn, PETSC_FALSE));
  }
  if (recompute) fn->first_held = PETSC_FALSE; /* the layers hold the last chunk's activations now */
  if (samples) PetscCall(SumOverRanks(fn));
  if (accumulate) PetscCall(Accumulate(fn, PETSC_TRUE));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNFeatureNetAdam(GepGNNFeatureNet *fn, PetscInt t, PetscReal lr)
{
  PetscInt n = fn->dloc * fn->f * fn->C;

  PetscFunctionBegin;
  PetscCall(GepGNNStackAdam(&fn->gcn, t, lr, 0.0));
  if (fn->readout == GEP_GNN_READOUT_MEAN) {
    PetscCall(GepGNNLayerAdam(&fn->out, t, lr, 0.0));
    PetscFunctionReturn(0);
  }
  if (t == 0) {
    PetscCall(PetscArrayzero(fn->mR, n));
    PetscCall(PetscArrayzero(fn->vR, n));
    PetscCall(PetscArrayzero(fn->mb, fn->C));
    PetscCall(PetscArrayzero(fn->vb, fn->C));
    PetscFunctionReturn(0);
  }
  GepGNNAdamStep(n, fn->R, fn->dR, fn->mR, fn->vR, t, lr);
  GepGNNAdamStep(fn->C, fn->b, fn->db, fn->mb, fn->vb, t, lr);
  PetscFunctionReturn(0);
}

PetscInt GepGNNFeatureNetNumParameters(const GepGNNFeatureNet *fn)
{
  PetscInt n = GepGNNStackNumParameters(&fn->gcn);
  if (fn->readout == GEP_GNN_READOUT_NODE) return n + fn->dloc * fn->f * fn->C + fn->C;
  return n + (fn->f + 1) * fn->C;
}

PetscErrorCode GepGNNFeatureNetCopyParameters(GepGNNFeatureNet *fn, PetscBool get, PetscReal *buf)
{
  PetscInt n = fn->dloc * fn->f * fn->C;

  PetscFunctionBegin;
  PetscCall(GepGNNStackCopyParameters(&fn->gcn, get, buf));
  buf += GepGNNStackNumParameters(&fn->gcn);
  if (fn->readout == GEP_GNN_READOUT_MEAN) {
    GepGNNStack s = {0}; /* the one layer as a stack */
    s.nlayers     = 1;
    s.layer       = &fn->out;
    PetscCall(GepGNNStackCopyParameters(&s, get, buf));
  } else if (get) {
    PetscCall(PetscArraycpy(buf, fn->R, n));
    PetscCall(PetscArraycpy(buf + n, fn->b, fn->C));
  } else {
    PetscCall(PetscArraycpy(fn->R, buf, n));
    PetscCall(PetscArraycpy(fn->b, buf + n, fn->C));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNFeatureNetDestroy(GepGNNFeatureNet *fn)
{
  PetscFunctionBegin;
  if (fn->gcn.layer) PetscCall(GepGNNStackDestroy(&fn->gcn));
  PetscCall(PetscFree4(fn->R, fn->dR, fn->mR, fn->vR));
  PetscCall(PetscFree4(fn->b, fn->db, fn->mb, fn->vb));
  if (fn->out.W) PetscCall(GepGNNLayerDestroy(&fn->out));
  PetscCall(PetscFree5(fn->dH, fn->P, fn->dP, fn->Zc, fn->dZc));
  PetscCall(PetscFree2(fn->Xpad, fn->dXpad));
  PetscCall(PetscFree(fn->acc));
  PetscCall(MatDestroy(&fn->Acopy));
  PetscFunctionReturn(0);
}
