/* Backward passes of the GepGNN model pieces against central finite
   differences, on MOGONET's sample graph of -data (k = 2):
   1. a layer stack as MOGONET's view network (graph convolutions D -> 6 -> 5,
      LeakyReLU 0.25, dropout 0.5 between them with a fixed mask key, then a
      dense classifier 5 -> 3) under L = sum C o Y: dL/dW and dL/db of every
      layer (a sample of the weights) and dL/dX (a sample of the inputs);
   2. the fusion input, VCDN's (outer product of three views' sigmoid(logits),
      2 classes), the concatenation and (regression) the outputs side by side,
      under L = sum C o F: dL/dlogits;
   3. the dropout masks' statistics (the dropped fraction, two keys' masks, neighbouring elements');
   4. (not with -gat) the single-precision passes (-gnn_precision single): the
      loss, every dL/dW, dL/db and dL/dX of the stack in float32 against the
      double passes' on the same weights and dropout masks, the input layer
      transforming first (D -> 6) and aggregating first (D -> 120), within
      -single_rtol (1e-5; float32 rounding gives about 1e-6);
   5. stacks sharing their scratch arrays (as a model's views do): a wider
      stack's passes between a stack's forward and backward passes (the
      scratch grows in between) leave its gradients exactly as without them,
      in double and in single precision.
   Relative error (2-norm over the checked entries) at most -rtol (1e-6). The
   same numbers on any number of ranks (the dropout masks do not depend on it). */
#include "gepsim.h"
#include "gepgraph.h"
#include "gnnimpl.h"
#include "gradcheck.h"
#include "csvrows.h"

typedef struct {
  GepGNNStack *s;
  PetscReal   *X, *Cw;
  uint64_t     key;
} Problem;

static PetscErrorCode StackLoss(Problem *p, PetscReal *loss)
{
  PetscReal *Y, sum = 0;
  PetscInt   n = p->s->layer[0].nloc * p->s->layer[p->s->nlayers - 1].fout;

  PetscFunctionBegin;
  PetscCall(GepGNNStackForward(p->s, p->X, p->key, &Y));
  for (PetscInt i = 0; i < n; i++) sum += p->Cw[i] * Y[i];
  PetscCallMPI(MPI_Allreduce(&sum, loss, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* (L(v + h) - L(v - h)) / 2h for the value v at x (NULL: this rank holds no such value) */
static PetscErrorCode Central(Problem *p, PetscReal *x, PetscReal h, PetscReal *fd)
{
  PetscReal save = x ? *x : 0, lp, lm;

  PetscFunctionBegin;
  if (x) *x = save + h;
  PetscCall(StackLoss(p, &lp));
  if (x) *x = save - h;
  PetscCall(StackLoss(p, &lm));
  if (x) *x = save;
  *fd = (lp - lm) / (2 * h);
  PetscFunctionReturn(0);
}

/* 4. the stack of widths D -> w0 -> 5 -> 3 in single precision against double (gradients of all weights and of X) */
static PetscErrorCode SingleAgainstDouble(Problem *p, Mat A, PetscInt D, PetscInt nloc, PetscInt N, PetscInt w0,
                                          PetscRandom rnd, PetscReal rtol, PetscInt *fails)
{
  PetscInt        sizes[3] = {w0, 5, 3}, np = 0;
  GepGNNLayerType type[3] = {GEPGNNLAYERGCN, GEPGNNLAYERGCN, GEPGNNLAYERDENSE};
  GepGNNStack     t;
  Problem         q = *p;
  PetscReal      *g[2], *dX[2], *dY, loss[2], num = 0, den = 0, xnum = 0, xden = 0;
  char            what[160];

  PetscFunctionBegin;
  PetscCall(GepGNNStackSetUp(&t, PETSC_COMM_WORLD, 3, sizes, type, D, nloc, N, A, 0.25, 0.5, rnd));
  for (PetscInt l = 0; l < 3; l++) {
    for (PetscInt j = 0; j < sizes[l]; j++) t.layer[l].b[j] = 0.05 * (j + 1) - 0.13;
    np += t.layer[l].nw + t.layer[l].fout;
  }
  PetscCall(PetscMalloc5(np, &g[0], np, &g[1], nloc * D + 1, &dX[0], nloc * D + 1, &dX[1], nloc * 3 + 1, &dY));
  q.s = &t;
  for (PetscInt k = 0; k < 2; k++) {
    PetscInt off = 0;

    PetscCall(GepGNNStackSetSingle(&t, (PetscBool)(k == 1)));
    PetscCall(StackLoss(&q, &loss[k]));
    PetscCall(PetscArraycpy(dY, p->Cw, nloc * 3));
    PetscCall(GepGNNStackBackward(&t, p->X, dY, dX[k]));
    for (PetscInt l = 0; l < 3; l++) { /* dW then db, contiguous (single precision: dW in buf_s) */
      const GepGNNLayer *L = &t.layer[l];
      for (PetscInt i = 0; i < L->nw; i++) g[k][off + i] = k ? (PetscReal)L->buf_s[i] : L->dW[i];
      PetscCall(PetscArraycpy(g[k] + off + L->nw, L->db, L->fout));
      off += L->nw + L->fout;
    }
  }
  for (PetscInt i = 0; i < np; i++) {
    num += (g[1][i] - g[0][i]) * (g[1][i] - g[0][i]);
    den += g[0][i] * g[0][i];
  }
  for (PetscInt i = 0; i < nloc * D; i++) {
    xnum += (dX[1][i] - dX[0][i]) * (dX[1][i] - dX[0][i]);
    xden += dX[0][i] * dX[0][i];
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &xnum, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &xden, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(PetscSNPrintf(what, sizeof(what), "single precision, input layer %s (D -> %" PetscInt_FMT "): loss",
                          GepGNNGCNAggregateFirst(&t.layer[0]) ? "aggregating first" : "transforming first", w0));
  *fails += GradCheckReport(what, (loss[1] - loss[0]) * (loss[1] - loss[0]), loss[0] * loss[0], rtol);
  PetscCall(PetscSNPrintf(what, sizeof(what),
                          "single precision (D -> %" PetscInt_FMT "): dL/dW and dL/db of every layer against double",
                          w0));
  *fails += GradCheckReport(what, num, den, rtol);
  PetscCall(PetscSNPrintf(what, sizeof(what), "single precision (D -> %" PetscInt_FMT "): dL/dX against double", w0));
  *fails += GradCheckReport(what, xnum, xden, rtol);
  /* a check that could not tell the precisions apart would be no check: float32 must show */
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "single precision (D -> %" PetscInt_FMT "): the passes differ from double (loss by %.1e) %s\n",
                        w0, (double)PetscAbsReal(loss[1] - loss[0]), loss[1] != loss[0] ? "ok" : "FAIL"));
  *fails += loss[1] == loss[0];
  PetscCall(PetscFree5(g[0], g[1], dX[0], dX[1], dY));
  PetscCall(GepGNNStackDestroy(&t));
  PetscFunctionReturn(0);
}

/* the gradients of p's stack (dW or single buf_s, db of every layer, then dX) after its forward pass and, if other is
   not NULL, other's forward and backward passes in between */
static PetscErrorCode GradientsWith(Problem *p, GepGNNStack *other, PetscInt nloc, PetscInt D, PetscReal *g)
{
  GepGNNStack *s = p->s;
  PetscReal   *Y, *dY, *dXo;
  PetscInt     no = other ? nloc * other->layer[other->nlayers - 1].fout : 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(nloc * 3 + 1, &dY, nloc * D + 1, &dXo));
  PetscCall(GepGNNStackForward(s, p->X, p->key, &Y));
  if (other) { /* on another input, so that nothing of its pass could pass for s's */
    PetscReal *Yo, *dYo, *Xo;
    PetscCall(PetscMalloc2(no + 1, &dYo, nloc * D + 1, &Xo));
    for (PetscInt i = 0; i < nloc * D; i++) Xo[i] = 1.7 * p->X[i] + 0.1;
    for (PetscInt i = 0; i < no; i++) dYo[i] = PetscSinReal(0.1 * i);
    PetscCall(GepGNNStackForward(other, Xo, p->key + 1, &Yo));
    PetscCall(GepGNNStackBackward(other, Xo, dYo, dXo));
    PetscCall(PetscFree2(dYo, Xo));
  }
  PetscCall(PetscArraycpy(dY, p->Cw, nloc * 3));
  PetscCall(GepGNNStackBackward(s, p->X, dY, g + GepGNNStackNumParameters(s))); /* dX after the parameters */
  for (PetscInt l = 0, off = 0; l < s->nlayers; l++) {
    const GepGNNLayer *L = &s->layer[l];
    for (PetscInt i = 0; i < L->nw; i++) g[off + i] = s->single ? (PetscReal)L->buf_s[i] : L->dW[i];
    PetscCall(PetscArraycpy(g + off + L->nw, L->db, L->fout));
    off += L->nw + L->fout;
  }
  PetscCall(PetscFree2(dY, dXo));
  PetscFunctionReturn(0);
}

/* 5. p's stack and a wider one (D -> 50 -> 5 -> 3, its input layer also transforming first) sharing the scratch, in
 * double and single precision */
static PetscErrorCode SharedScratch(Problem *p, Mat A, PetscInt D, PetscInt nloc, PetscInt N, PetscRandom rnd,
                                    PetscInt *fails)
{
  PetscInt        sizes[3] = {50, 5, 3}, n = GepGNNStackNumParameters(p->s) + nloc * D;
  GepGNNLayerType type[3] = {GEPGNNLAYERGCN, GEPGNNLAYERGCN, GEPGNNLAYERDENSE};
  GepGNNStack     t;
  PetscReal      *g[2];

  PetscFunctionBegin;
  PetscCall(GepGNNStackSetUp(&t, PETSC_COMM_WORLD, 3, sizes, type, D, nloc, N, A, 0.25, 0.5, rnd));
  PetscCall(GepGNNStackShareScratch(&t, p->s));
  PetscCall(PetscMalloc2(n + 1, &g[0], n + 1, &g[1]));
  for (PetscInt k = 0; k < 2; k++) {
    PetscInt diff = 0;

    PetscCall(GepGNNStackSetSingle(p->s, (PetscBool)(k == 1)));
    PetscCall(GepGNNStackSetSingle(&t, (PetscBool)(k == 1)));
    PetscCall(GradientsWith(p, NULL, nloc, D, g[0]));
    PetscCall(GradientsWith(p, &t, nloc, D, g[1]));
    for (PetscInt i = 0; i < n; i++) diff += g[0][i] != g[1][i];
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &diff, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
    PetscCall(
      PetscPrintf(PETSC_COMM_WORLD,
                  "shared scratch, %s: a wider stack's passes between forward and backward change %" PetscInt_FMT
                  " of %" PetscInt_FMT " gradients %s\n",
                  k ? "single" : "double", diff, n, diff ? "FAIL" : "ok"));
    *fails += diff != 0;
  }
  PetscCall(GepGNNStackSetSingle(p->s, PETSC_FALSE));
  PetscCall(PetscFree2(g[0], g[1]));
  PetscCall(GepGNNStackDestroy(&t));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char            paths[1][PETSC_MAX_PATH_LEN] = {""};
  PetscInt        N, D, nloc, rstart, fails = 0, sizes[3] = {6, 5, 3};
  GepGNNLayerType type[3] = {GEPGNNLAYERGCN, GEPGNNLAYERGCN, GEPGNNLAYERDENSE};
  PetscBool       gat     = PETSC_FALSE;
  PetscReal       h = 1e-5, rtol = 1e-6, srtol = 1e-5, *dX, *dY, num, den, fd;
  Mat             A;
  PetscRandom     rnd;
  GepGNNStack     s;
  Problem         p;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-data", paths[0], sizeof(paths[0]), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-rtol", &rtol, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-gat", &gat, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-single_rtol", &srtol, NULL));
  if (gat) type[0] = type[1] = GEPGNNLAYERGAT;
  {
    PetscReal *Xr;
    PetscCall(TestReadCSVRows(PETSC_COMM_WORLD, 1, paths, &N, &D, &nloc, &rstart, &Xr));
    PetscCall(GepGraphSampleSimilarity(PETSC_COMM_WORLD, N, D, nloc, Xr, 2, &A, NULL));
    PetscCall(PetscMalloc1(nloc * D + 1, &p.X));
    for (PetscInt i = 0; i < nloc; i++)
      for (PetscInt d = 0; d < D; d++) p.X[d * nloc + i] = Xr[i * D + d];
    PetscCall(PetscFree(Xr));
  }
  PetscCall(GepRandomCreateSeeded(11, &rnd));
  PetscCall(GepGNNStackSetUp(&s, PETSC_COMM_WORLD, 3, sizes, type, D, nloc, N, A, 0.25, 0.5, rnd));
  for (PetscInt l = 0; l < 3; l++)
    for (PetscInt j = 0; j < sizes[l]; j++)
      s.layer[l].b[j] = 0.05 * (j + 1) - 0.13; /* (away from a LeakyReLU kink at h) */
  PetscCall(PetscMalloc3(nloc * 3 + 1, &p.Cw, nloc * D + 1, &dX, nloc * 3 + 1, &dY));
  for (PetscInt j = 0; j < 3; j++) /* drawn for all N rows, kept where local */
    for (PetscInt i = 0; i < N; i++) {
      PetscReal u;
      PetscCall(PetscRandomGetValueReal(rnd, &u));
      if (i >= rstart && i < rstart + nloc) p.Cw[j * nloc + (i - rstart)] = 2 * u - 1;
    }
  p.s   = &s;
  p.key = 0x5eed5eed12345ULL;
  { /* 1. the stack */
    PetscReal loss;
    PetscCall(StackLoss(&p, &loss));
    PetscCall(PetscArraycpy(dY, p.Cw, nloc * 3));
    PetscCall(GepGNNStackBackward(&s, p.X, dY, dX));
    for (PetscInt l = 0; l < 3; l++) {
      GepGNNLayer *L = &s.layer[l];
      PetscReal   *gW, *gb;
      char         what[128];

      PetscCall(PetscMalloc2(L->nw, &gW, L->fout,
                             &gb)); /* the backward's, before FD runs overwrite nothing but keep them apart */
      PetscCall(PetscArraycpy(gW, L->dW, L->nw));
      PetscCall(PetscArraycpy(gb, L->db, L->fout));
      num = den = 0;
      for (PetscInt i = 0; i < L->nw;
           i          = i + (l == 0 && i < L->fin * L->fout - 13 ? 13 : 1)) { /* (every attention weight) */
        PetscCall(Central(&p, &L->W[i], h, &fd));
        num += (fd - gW[i]) * (fd - gW[i]);
        den += gW[i] * gW[i];
      }
      PetscCall(PetscSNPrintf(what, sizeof(what), "stack layer %" PetscInt_FMT " (%s%s%s), dL/dW", l + 1,
                              L->ops->description, L->ops->extra_name ? ", with its " : "",
                              L->ops->extra_name ? L->ops->extra_name : ""));
      fails += GradCheckReport(what, num, den, rtol);
      num = den = 0;
      for (PetscInt j = 0; j < L->fout; j++) {
        PetscCall(Central(&p, &L->b[j], h, &fd));
        num += (fd - gb[j]) * (fd - gb[j]);
        den += gb[j] * gb[j];
      }
      PetscCall(PetscSNPrintf(what, sizeof(what), "stack layer %" PetscInt_FMT ", dL/db", l + 1));
      fails += GradCheckReport(what, num, den, rtol);
      PetscCall(PetscFree2(gW, gb));
    }
    num = den = 0;
    for (PetscInt e = 0; e < 40; e++) {
      PetscInt  i = (e * 37) % N, d = (e * 11) % D;
      PetscBool mine = (PetscBool)(i >= rstart && i < rstart + nloc);
      PetscReal g    = mine ? dX[d * nloc + (i - rstart)] : 0;

      PetscCall(Central(&p, mine ? &p.X[d * nloc + (i - rstart)] : NULL, h, &fd));
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &g, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
      num += (fd - g) * (fd - g);
      den += g * g;
    }
    fails += GradCheckReport("stack with dropout, dL/dX (40 entries)", num, den, rtol);
  }
  for (PetscInt cc = 0; cc < 3;
       cc++) { /* 2. the fusion input (VCDN, concatenation, outputs): 3 views, 2 classes, local rows only */
    GepGNNFusionType type   = (GepGNNFusionType)cc;
    const char      *name[] = {"VCDN outer product of 3 views, dL/dlogits", "concatenation of 3 views, dL/dlogits",
                               "outputs of 3 views side by side (regression), dL/doutputs"};
    PetscInt         M = 3, C = 2, K = GepGNNFusionWidth(type, 3, 2), n = nloc;
    PetscReal       *Z[3], *dZ[3], *F, *Cf;

    PetscCall(PetscMalloc2(n * K + 1, &F, n * K + 1, &Cf));
    for (PetscInt v = 0; v < M; v++) {
      PetscCall(PetscMalloc2(n * C + 1, &Z[v], n * C + 1, &dZ[v]));
      for (PetscInt i = 0; i < n * C; i++) Z[v][i] = 1.5 * PetscSinReal(0.7 * i + 2.1 * v + 0.3);
    }
    for (PetscInt i = 0; i < n * K; i++) Cf[i] = PetscCosReal(0.37 * i);
    PetscCall(GepGNNFusionBackward(type, n, M, C, Z, Cf, dZ));
    num = den = 0;
    for (PetscInt v = 0; v < M; v++)
      for (PetscInt i = 0; i < n * C; i += 5) {
        PetscReal save = Z[v][i], lp = 0, lm = 0;
        Z[v][i] = save + h;
        PetscCall(GepGNNFusionFeatures(type, n, M, C, Z, F));
        for (PetscInt q = 0; q < n * K; q++) lp += Cf[q] * F[q];
        Z[v][i] = save - h;
        PetscCall(GepGNNFusionFeatures(type, n, M, C, Z, F));
        for (PetscInt q = 0; q < n * K; q++) lm += Cf[q] * F[q];
        Z[v][i] = save;
        num += ((lp - lm) / (2 * h) - dZ[v][i]) * ((lp - lm) / (2 * h) - dZ[v][i]);
        den += dZ[v][i] * dZ[v][i];
      }
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &num, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &den, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
    fails += GradCheckReport(name[cc], num, den, rtol);
    for (PetscInt v = 0; v < M; v++) PetscCall(PetscFree2(Z[v], dZ[v]));
    PetscCall(PetscFree2(F, Cf));
  }
  { /* 3. dropout masks: the dropped fraction is p, two keys' masks are independent
       (over 10^5 indices: standard deviations 0.0016 and 0.0016; asserted 0.01) */
    PetscInt  n = 100000, drop = 0, same = 0;
    PetscReal p3 = 0.3;
    for (PetscInt e = 0; e < n; e++) {
      PetscReal a = GepGNNDropoutScale(p.key, n, e, 0, p3), b = GepGNNDropoutScale(p.key + 1, n, e, 0, p3);
      drop += a == 0.0;
      same += (a == 0.0) == (b == 0.0);
      fails += !(a == 0.0 || PetscAbsReal(a - 1.0 / 0.7) < 1e-15);
    }
    PetscCall(PetscPrintf(
      PETSC_COMM_WORLD, "dropout p = 0.3: dropped fraction %.4f, agreement of two keys %.4f (independent: %.4f) %s\n",
      (double)drop / n, (double)same / n, 0.3 * 0.3 + 0.7 * 0.7,
      PetscAbsReal((PetscReal)drop / n - 0.3) < 0.01 && PetscAbsReal((PetscReal)same / n - 0.58) < 0.01 ? "ok"
                                                                                                        : "FAIL"));
    fails += !(PetscAbsReal((PetscReal)drop / n - 0.3) < 0.01 && PetscAbsReal((PetscReal)same / n - 0.58) < 0.01);
  }
  { /* 3b. neighbouring elements' masks are independent: p = 0.5 over 2^26 indices, the agreement at lags 1-4 within
       3e-4 of 1/2 (5 standard deviations; a bare hash of consecutive counters agrees 7e-4 too often at lag 2) */
    const PetscInt n = (PetscInt)1 << 26;
    unsigned char *kept;
    PetscReal      worst = 0;

    PetscCall(PetscMalloc1(n, &kept));
    for (PetscInt e = 0; e < n; e++) kept[e] = GepGNNDropoutScale(p.key, n, e, 0, 0.5) != 0.0;
    for (PetscInt lag = 1; lag <= 4; lag++) {
      PetscInt agree = 0;
      for (PetscInt e = 0; e + lag < n; e++) agree += kept[e] == kept[e + lag];
      worst = PetscMax(worst, PetscAbsReal((PetscReal)agree / (n - lag) - 0.5));
    }
    PetscCall(PetscFree(kept));
    PetscCall(PetscPrintf(
      PETSC_COMM_WORLD, "dropout p = 0.5: the masks of neighbouring elements agree at lags 1-4 within %.1e of 1/2 %s\n",
      (double)worst, worst < 3e-4 ? "ok" : "FAIL"));
    fails += !(worst < 3e-4);
  }
  if (!gat) { /* 4., 5. */
    PetscCall(SingleAgainstDouble(&p, A, D, nloc, N, 6, rnd, srtol, &fails));
    PetscCall(SingleAgainstDouble(&p, A, D, nloc, N, 120, rnd, srtol, &fails));
    PetscCall(SharedScratch(&p, A, D, nloc, N, rnd, &fails));
  }
  PetscCall(GepGNNStackDestroy(&s));
  PetscCall(PetscRandomDestroy(&rnd));
  PetscCall(PetscFree3(p.Cw, dX, dY));
  PetscCall(PetscFree(p.X));
  PetscCall(MatDestroy(&A));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
