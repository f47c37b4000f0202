/* Backward passes of the GepGNN layers against central finite differences.
   Graph: MOGONET's sample graph of -data (headerless CSV, samples x features,
   k = 2); input X = the data; loss L = sum_ij C_ij Y_ij with C drawn from a
   seeded stream (the same on any number of ranks). For a dense, a graph
   convolution and a graph attention layer (LeakyReLU 0.25), compares dL/dW,
   dL/db and dL/dX (a sample of entries; for the attention layer also its
   attention vectors) with (L(p + h) - L(p - h)) / 2h: relative error (2-norm
   over the checked entries) at most -rtol (1e-6). -fout (4) sets the layers'
   width; wider than the data, the graph convolution aggregates first;
   -gat 0 leaves the attention layer out (at width 240 its softmax saturates:
   dL/da is then too small for central differences to resolve); -h the step;
   -weight_stride (7): every how many weights are checked. Then the weighted
   cross-entropy's and mean squared error's gradients the same way, and Adam's
   first step (which moves every parameter by lr g / (|g| + eps)) to rounding. */
#include "gepsim.h"
#include "gepgraph.h"
#include "gnnimpl.h"
#include "gradcheck.h"
#include "csvrows.h"

/* L = sum C o Y over all ranks */
static PetscErrorCode Loss(GepGNNLayer *L, const PetscReal *X, const PetscReal *C, PetscReal *Y, PetscReal *loss)
{
  PetscReal s = 0;

  PetscFunctionBegin;
  PetscCall(GepGNNLayerForward(L, X, NULL, Y));
  for (PetscInt i = 0; i < L->nloc * L->fout; i++) s += C[i] * Y[i];
  PetscCallMPI(MPI_Allreduce(&s, loss, 1, MPIU_REAL, MPI_SUM, L->comm));
  PetscFunctionReturn(0);
}

/* central difference of the loss in the value *p (owned by rank owner, or by every rank if owner < 0) */
static PetscErrorCode Central(GepGNNLayer *L, PetscReal *X, const PetscReal *C, PetscReal *Y, PetscReal *p, PetscReal h,
                              PetscReal *fd)
{
  PetscReal save = p ? *p : 0, lp, lm;

  PetscFunctionBegin;
  if (p) *p = save + h;
  PetscCall(Loss(L, X, C, Y, &lp));
  if (p) *p = save - h;
  PetscCall(Loss(L, X, C, Y, &lm));
  if (p) *p = save;
  *fd = (lp - lm) / (2 * h);
  PetscFunctionReturn(0);
}

/* squared error and squared norm over every stride-th of the n replicated parameters p with gradients g */
static PetscErrorCode CheckParameters(GepGNNLayer *L, PetscReal *X, const PetscReal *C, PetscReal *Y, PetscReal *p,
                                      const PetscReal *g, PetscInt n, PetscInt stride, PetscReal h, PetscReal *num,
                                      PetscReal *den)
{
  PetscReal fd = 0;

  PetscFunctionBegin;
  *num = *den = 0;
  for (PetscInt i = 0; i < n; i += stride) {
    PetscCall(Central(L, X, C, Y, &p[i], h, &fd));
    *num += (fd - g[i]) * (fd - g[i]);
    *den += g[i] * g[i];
  }
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char            paths[1][PETSC_MAX_PATH_LEN] = {""};
  PetscInt        N = 0, D = 0, nloc = 0, rstart = 0, fout = 4, fails = 0, nx = 40, wstride = 7;
  PetscBool       gat = PETSC_TRUE;
  PetscReal      *X, *C, *Y, *dX, h = 1e-5, rtol = 1e-6;
  Mat             A;
  PetscRandom     rnd;
  GepGNNLayerType types[] = {GEPGNNLAYERDENSE, GEPGNNLAYERGCN, GEPGNNLAYERGAT};
  const char     *names[] = {"dense", "graph convolution", "graph attention"};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-data", paths[0], sizeof(paths[0]), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-rtol", &rtol, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-fout", &fout, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-weight_stride", &wstride, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-h", &h, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-gat", &gat, NULL));
  {
    PetscReal *Xr; /* row-major for the graph builder; the layers take column-major blocks */
    PetscCall(TestReadCSVRows(PETSC_COMM_WORLD, 1, paths, &N, &D, &nloc, &rstart, &Xr));
    PetscCall(GepGraphSampleSimilarity(PETSC_COMM_WORLD, N, D, nloc, Xr, 2, &A, NULL));
    PetscCall(PetscMalloc1(nloc * D + 1, &X));
    for (PetscInt i = 0; i < nloc; i++)
      for (PetscInt d = 0; d < D; d++) X[d * nloc + i] = Xr[i * D + d];
    PetscCall(PetscFree(Xr));
  }
  PetscCall(PetscMalloc3(nloc * fout + 1, &C, nloc * fout + 1, &Y, nloc * D + 1, &dX));
  PetscCall(GepRandomCreateSeeded(7, &rnd));
  for (PetscInt j = 0; j < fout; j++) /* C for all N rows, kept where local: rank-independent */
    for (PetscInt i = 0; i < N; i++) {
      PetscReal u;
      PetscCall(PetscRandomGetValueReal(rnd, &u));
      if (i >= rstart && i < rstart + nloc) C[j * nloc + (i - rstart)] = 2 * u - 1;
    }
  for (PetscInt t = 0; t < (gat ? 3 : 2); t++) {
    GepGNNLayer L   = {0};
    PetscReal   num = 0, den = 0, fd = 0, loss;
    char        what[128];

    PetscCall(GepGNNLayerSetUp(&L, PETSC_COMM_WORLD, types[t], D, fout, nloc, N, A, 0.25, rnd));
    for (PetscInt j = 0; j < fout; j++) L.b[j] = 0.1 * (j + 1) - 0.2; /* a bias that matters */
    PetscCall(Loss(&L, X, C, Y, &loss));
    PetscCall(GepGNNLayerBackward(&L, X, Y, NULL, C, dX)); /* dL/dY = C */
    /* weights: every wstride-th entry, and the bias */
    PetscCall(CheckParameters(&L, X, C, Y, L.W, L.dW, D * fout, wstride, h, &num, &den));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s layer, dL/dW", names[t]));
    fails += GradCheckReport(what, num, den, rtol);
    if (L.ops->extra_per_output) { /* the type's own weights (GAT: the attention vectors a_src, a_dst): all */
      PetscInt ne = L.ops->extra_per_output * fout;
      PetscCall(CheckParameters(&L, X, C, Y, L.W + D * fout, L.dW + D * fout, ne, 1, h, &num, &den));
      PetscCall(PetscSNPrintf(what, sizeof(what), "%s layer, dL/d%s", names[t], L.ops->extra_name));
      fails += GradCheckReport(what, num, den, rtol);
    }
    PetscCall(CheckParameters(&L, X, C, Y, L.b, L.db, fout, 1, h, &num, &den));
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s layer, dL/db", names[t]));
    fails += GradCheckReport(what, num, den, rtol);
    /* inputs: nx global entries (sample i, feature d), each perturbed on the rank that holds it */
    num = den = 0;
    for (PetscInt e = 0; e < nx; e++) {
      PetscInt  i = (e * 37) % N, d = (e * 11) % D;
      PetscBool mine = (PetscBool)(i >= rstart && i < rstart + nloc);
      PetscReal g    = mine ? dX[d * nloc + (i - rstart)] : 0;

      PetscCall(Central(&L, X, C, Y, mine ? &X[d * nloc + (i - rstart)] : NULL, h, &fd));
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &g, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
      num += (fd - g) * (fd - g);
      den += g * g;
    }
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s layer, dL/dX (%" PetscInt_FMT " entries)", names[t], nx));
    fails += GradCheckReport(what, num, den, rtol);
    PetscCall(GepGNNLayerDestroy(&L));
  }
  { /* weighted cross-entropy over 3 classes: logits drawn per sample, labels i mod 3 */
    PetscInt   C = 3, *y;
    PetscReal *Z, *dZ, *w, loss, lp, lm, num = 0, den = 0;

    PetscCall(PetscMalloc4(nloc * C + 1, &Z, nloc * C + 1, &dZ, nloc + 1, &w, nloc + 1, &y));
    for (PetscInt i = 0; i < nloc; i++) {
      y[i] = (rstart + i) % C;
      w[i] = 0.5 + 0.25 * ((rstart + i) % 3);
      for (PetscInt c = 0; c < C; c++) Z[c * nloc + i] = PetscSinReal(1.0 + rstart + i + 3.7 * c);
    }
    PetscCall(GepGNNCrossEntropy(PETSC_COMM_WORLD, nloc, C, Z, y, w, &loss, dZ));
    for (PetscInt e = 0; e < 30; e++) {
      PetscInt  i = (e * 53) % N, c = e % C;
      PetscBool mine = (PetscBool)(i >= rstart && i < rstart + nloc);
      PetscReal g = mine ? dZ[c * nloc + (i - rstart)] : 0, save = mine ? Z[c * nloc + (i - rstart)] : 0;

      if (mine) Z[c * nloc + (i - rstart)] = save + h;
      PetscCall(GepGNNCrossEntropy(PETSC_COMM_WORLD, nloc, C, Z, y, w, &lp, NULL));
      if (mine) Z[c * nloc + (i - rstart)] = save - h;
      PetscCall(GepGNNCrossEntropy(PETSC_COMM_WORLD, nloc, C, Z, y, w, &lm, NULL));
      if (mine) Z[c * nloc + (i - rstart)] = save;
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &g, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
      num += ((lp - lm) / (2 * h) - g) * ((lp - lm) / (2 * h) - g);
      den += g * g;
    }
    fails += GradCheckReport("weighted cross-entropy, dL/dlogits (30 entries)", num, den, rtol);
    PetscCall(PetscFree4(Z, dZ, w, y));
  }
  { /* weighted mean squared error of one output against real targets */
    PetscReal *z, *dz, *t, *w, loss, lp, lm, num = 0, den = 0;

    PetscCall(PetscMalloc4(nloc + 1, &z, nloc + 1, &dz, nloc + 1, &t, nloc + 1, &w));
    for (PetscInt i = 0; i < nloc; i++) {
      z[i] = PetscSinReal(0.3 + rstart + i);
      t[i] = PetscCosReal(1.7 * (rstart + i));
      w[i] = 0.5 + 0.25 * ((rstart + i) % 3);
    }
    PetscCall(GepGNNMeanSquaredError(PETSC_COMM_WORLD, nloc, z, t, w, &loss, dz));
    for (PetscInt e = 0; e < 30; e++) {
      PetscInt  i    = (e * 53) % N;
      PetscBool mine = (PetscBool)(i >= rstart && i < rstart + nloc);
      PetscReal g = mine ? dz[i - rstart] : 0, save = mine ? z[i - rstart] : 0;

      if (mine) z[i - rstart] = save + h;
      PetscCall(GepGNNMeanSquaredError(PETSC_COMM_WORLD, nloc, z, t, w, &lp, NULL));
      if (mine) z[i - rstart] = save - h;
      PetscCall(GepGNNMeanSquaredError(PETSC_COMM_WORLD, nloc, z, t, w, &lm, NULL));
      if (mine) z[i - rstart] = save;
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &g, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
      num += ((lp - lm) / (2 * h) - g) * ((lp - lm) / (2 * h) - g);
      den += g * g;
    }
    fails += GradCheckReport("weighted mean squared error, dL/doutput (30 entries)", num, den, rtol);
    PetscCall(PetscFree4(z, dz, t, w));
  }
  { /* Adam's first step from zero moments: p - lr g / (|g| + eps) */
    PetscReal p[3] = {1.0, -2.0, 0.5}, g[3] = {0.3, -1e-3, 4.0}, m[3] = {0}, v[3] = {0}, err = 0;

    GepGNNAdamStep(3, p, g, m, v, 1, 0.01);
    err = PetscMax(PetscAbsReal(p[0] - (1.0 - 0.01 * 0.3 / (0.3 + 1e-8))),
                   PetscAbsReal(p[1] - (-2.0 + 0.01 * 1e-3 / (1e-3 + 1e-8))));
    err = PetscMax(err, PetscAbsReal(p[2] - (0.5 - 0.01 * 4.0 / (4.0 + 1e-8))));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Adam first step: largest error %.2e %s\n", (double)err,
                          err <= 1e-15 ? "ok" : "FAIL"));
    fails += err > 1e-15;
  }
  { /* float32 Adam (single precision) against double over 50 steps of the same gradients: float rounding only */
    PetscReal pd[4] = {1.0, -2.0, 0.5, 0.03}, md[4] = {0}, vd[4] = {0}, err = 0;
    float     ps[4] = {1.0f, -2.0f, 0.5f, 0.03f}, g[4], ms[4] = {0}, vs[4] = {0};

    for (PetscInt t = 1; t <= 50; t++) {
      PetscReal gd[4];
      for (PetscInt i = 0; i < 4; i++) { /* gradients that change size and sign */
        g[i]  = (float)(PetscSinReal(0.7 * t + i) * PetscPowReal(10.0, (PetscReal)(i - 2)));
        gd[i] = g[i];
      }
      GepGNNAdamStep(4, pd, gd, md, vd, t, 0.01);
      GepGNNAdamStepSingle(4, ps, g, ms, vs, t, 0.01);
    }
    for (PetscInt i = 0; i < 4; i++) err = PetscMax(err, PetscAbsReal((PetscReal)ps[i] - pd[i]) / PetscAbsReal(pd[i]));
    PetscCall(
      PetscPrintf(PETSC_COMM_WORLD,
                  "Adam in float32, 50 steps, against double: largest relative difference %.2e (at most 1e-5) %s\n",
                  (double)err, err <= 1e-5 && err > 0 ? "ok" : "FAIL"));
    fails += !(err <= 1e-5 && err > 0);
  }
  { /* a single-precision layer's Adam steps its float weights only; its double weights W are made from them when
       read (GepGNNLayerSyncWeights), exactly, and a switch back to double keeps them */
    GepGNNLayer L      = {0};
    PetscReal   before = 0, copy = 0, back = 0;
    float       saved[40];

    PetscCall(GepGNNLayerSetUp(&L, PETSC_COMM_SELF, GEPGNNLAYERDENSE, 8, 5, 1, 1, NULL, 1.0, rnd));
    PetscCall(GepGNNLayerSetSingle(&L, PETSC_TRUE));
    PetscCall(GepGNNLayerAdam(&L, 0, 0.01, 0.0));
    for (PetscInt t = 1; t <= 3; t++) {
      for (PetscInt i = 0; i < L.nw; i++) L.buf_s[i] = (float)PetscSinReal(0.3 * i + t);
      for (PetscInt j = 0; j < L.fout; j++) L.db[j] = 0.1;
      PetscCall(GepGNNLayerAdam(&L, t, 0.01, 0.0));
    }
    for (PetscInt i = 0; i < L.nw; i++) before = PetscMax(before, PetscAbsReal(L.W[i] - (PetscReal)L.W_s[i]));
    GepGNNLayerSyncWeights(&L);
    for (PetscInt i = 0; i < L.nw; i++) {
      copy     = PetscMax(copy, PetscAbsReal(L.W[i] - (PetscReal)L.W_s[i]));
      saved[i] = L.W_s[i];
    }
    PetscCall(GepGNNLayerSetSingle(&L, PETSC_FALSE));
    for (PetscInt i = 0; i < L.nw; i++) back = PetscMax(back, PetscAbsReal(L.W[i] - (PetscReal)saved[i]));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "float32 layer: W behind its float weights after Adam by %.1e, made from them %.1e, after "
                          "the switch to double %.1e %s\n",
                          (double)before, (double)copy, (double)back,
                          before > 0 && copy == 0 && back == 0 ? "ok" : "FAIL"));
    fails += !(before > 0 && copy == 0 && back == 0);
    PetscCall(GepGNNLayerDestroy(&L));
  }
  PetscCall(PetscRandomDestroy(&rnd));
  PetscCall(PetscFree3(C, Y, dX));
  PetscCall(PetscFree(X));
  PetscCall(MatDestroy(&A));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
