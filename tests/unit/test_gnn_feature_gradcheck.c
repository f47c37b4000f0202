/* Backward pass of the feature-graph network (GepGNNFeatureNet) against
   central finite differences: the knowledge graph of -edges over the gene
   names of -names with their TRRUST neighbours added as nodes (no data), 7
   samples as signals (values from a fixed formula of the global node and
   sample, 0 on the added nodes), graph convolutions 1 -> 5 -> 4 (LeakyReLU
   0.25, dropout 0.5 with a fixed key), readout to 3 classes, under
   L = sum C o Z (h = 1e-6: with thousands of pre-activations a larger step
   reaches LeakyReLU kinks). For both readouts (node, mean) and in chunks of 3 samples
   (by samples: 2) and of all: dL/dW and dL/db of every layer, the readout's weights (a
   sample), dL/dX (a sample); relative error (2-norm) at most -rtol (1e-6).
   Also: the chunked logits and gradients equal the unchunked ones (1e-12), and a second backward pass after one
   forward pass gives the first's dL/dX exactly.
   -gat: graph attention layers instead of convolutions (their attention
   vectors checked with the weights), with signals on the added nodes too: between
   two zero signals an attention logit sits exactly on its LeakyReLU's kink. -distribute samples: every rank the
   whole graph and a block of the samples (the readout's weights then replicated), instead of a block of the nodes
   with every sample. The same numbers on any number of ranks. */
#include "gepsim.h"
#include "gepgraph.h"
#include "gnnimpl.h"
#include "gradcheck.h"

#define NS 7
#define NC 3

typedef struct {
  GepGNNFeatureNet *fn;
  PetscReal        *X, *Z;
  const PetscReal  *Cw;     /* the loss's weights of this rank's logits */
  PetscInt          ns, s0; /* this rank's signals [s0, s0 + ns) */
  uint64_t          key;
} Problem;

static PetscErrorCode Loss(Problem *p, PetscReal *loss)
{
  PetscFunctionBegin;
  PetscCall(GepGNNFeatureNetForward(p->fn, NS, p->ns, p->s0, p->X, p->key, p->Z));
  *loss = 0;
  for (PetscInt i = 0; i < p->ns * NC; i++) *loss += p->Cw[i] * p->Z[i];
  /* by nodes Z is every sample's on every rank; by samples each rank's own */
  if (p->fn->dist == GEP_GNN_DISTRIBUTE_SAMPLES)
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, loss, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

static PetscErrorCode Central(Problem *p, PetscReal *x, PetscReal h, PetscReal *fd)
{
  PetscReal save = x ? *x : 0, lp = 0, lm = 0;

  PetscFunctionBegin;
  if (x) *x = save + h;
  PetscCall(Loss(p, &lp));
  if (x) *x = save - h;
  PetscCall(Loss(p, &lm));
  if (x) *x = save;
  *fd = (lp - lm) / (2 * h);
  PetscFunctionReturn(0);
}

/* the FD check of n values x[0..n) against the gradients g (a copy), every stride-th; replicated values unless
 * distributed */
static PetscErrorCode CheckValues(Problem *p, const char *what, PetscInt n, PetscReal *x, const PetscReal *g,
                                  PetscInt stride, PetscBool distributed, PetscReal h, PetscReal rtol, PetscInt *fails)
{
  PetscReal   num = 0, den = 0, fd = 0;
  PetscMPIInt rank, size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  if (!distributed) size = 1;              /* a replicated value: every rank changes its copy at once */
  for (PetscMPIInt r = 0; r < size; r++) { /* a distributed value: one rank's values at a time */
    PetscInt nr = n;
    if (distributed) PetscCallMPI(MPI_Bcast(&nr, 1, MPIU_INT, r, PETSC_COMM_WORLD));
    for (PetscInt i = 0; i < nr; i += stride) {
      PetscBool mine = (PetscBool)(!distributed || rank == r);
      PetscCall(Central(p, mine ? &x[i] : NULL, h, &fd));
      if (!mine) continue;
      num += (fd - g[i]) * (fd - g[i]);
      den += g[i] * g[i];
    }
  }
  if (distributed) {
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &num, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &den, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  }
  *fails += GradCheckReport(what, num, den, rtol);
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      namesf[PETSC_MAX_PATH_LEN] = "", edges[PETSC_MAX_PATH_LEN] = "", what[160], dists[16] = "nodes";
  char    **names = NULL;
  PetscInt  D = 0, fails = 0, hidden[2] = {5, 4}, dstart, dend, dloc, ns = NS, s0 = 0;
  PetscReal h = 1e-6, rtol = 1e-6, slope = 0.25, dropout = 0.5, Cw[NS * NC], Cwl[NS * NC], Z0[NS * NC], Z1[NS * NC],
            Zw[NS * NC];
  GepGNNDistribute    dist = GEP_GNN_DISTRIBUTE_NODES;
  PetscBool           bysamples;
  GepGraphEdgeOptions opt = {PETSC_FALSE, PETSC_TRUE, PETSC_FALSE, PETSC_TRUE, PETSC_TRUE, PETSC_TRUE};
  GepGraphEdgeStats   st;
  Mat                 A;
  PetscBool           gat = PETSC_FALSE;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-names", namesf, sizeof(namesf), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-edges", edges, sizeof(edges), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-rtol", &rtol, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-h", &h, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-slope", &slope, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-dropout", &dropout, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-gat", &gat, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-distribute", dists, sizeof(dists), NULL));
  PetscCall(PetscStrcmp(dists, "samples", &bysamples));
  if (bysamples) dist = GEP_GNN_DISTRIBUTE_SAMPLES;
  PetscCall(GepReadNameList("feature names", namesf, &D, &names));
  PetscCall(GepGraphFromEdgeList(PETSC_COMM_WORLD, edges, D, (const char *const *)names, &opt, &A, &st));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "graph: %" PetscInt_FMT " features and %" PetscInt_FMT " added neighbours, %" PetscInt_FMT
                        " edges mapped\n",
                        D, st.nodes - D, st.mapped));
  if (bysamples) { /* every node, a block of the samples */
    PetscCall(MatGetSize(A, &dend, NULL));
    dstart = 0;
    ns     = PETSC_DECIDE;
    PetscCall(PetscSplitOwnership(PETSC_COMM_WORLD, &ns, (PetscInt[]){NS}));
    PetscCallMPI(MPI_Scan(&ns, &s0, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
    s0 -= ns;
  } else PetscCall(MatGetOwnershipRange(A, &dstart, &dend));
  dloc = dend - dstart;
  for (PetscInt i = 0; i < NS * NC; i++) Cw[i] = PetscCosReal(0.37 * i + 0.1);
  for (PetscInt k = 0; k < NC; k++)
    for (PetscInt s = 0; s < ns; s++) Cwl[s + ns * k] = Cw[s0 + s + NS * k];
  for (PetscInt r = 0; r < 2; r++) {
    GepGNNReadout readout = r ? GEP_GNN_READOUT_MEAN : GEP_GNN_READOUT_NODE;
    const char   *rname   = r ? "mean" : "node";
    PetscReal    *grad[2], *dX[2], *X;
    PetscInt      np = 0;

    PetscCall(PetscMalloc1(dloc * ns + 1, &X));
    for (PetscInt s = s0; s < s0 + ns; s++)
      for (PetscInt d = dstart; d < dend; d++)
        X[(d - dstart) + dloc * (s - s0)] = d < D || gat ? PetscSinReal(0.013 * d * (s + 1) + 0.7 * s) : 0.0;
    for (PetscInt c = 0; c < 2; c++) {                    /* chunk 3 (several chunks, recomputed), then all */
      PetscInt         chunk = c ? 0 : bysamples ? 2 : 3; /* by samples: 2 of a rank's 3 or 4 on 2 ranks */
      GepGNNFeatureNet fn;
      PetscRandom      rnd;
      Problem          p;

      PetscCall(GepRandomCreateSeeded(5, &rnd));
      PetscCall(GepGNNFeatureNetSetUp(&fn, PETSC_COMM_WORLD, A, dist, gat ? GEPGNNLAYERGAT : GEPGNNLAYERGCN, 2, hidden,
                                      NC, readout, slope, dropout, chunk, rnd));
      for (PetscInt l = 0; l < 2; l++) /* biases away from 0: no LeakyReLU kink within h */
        for (PetscInt j = 0; j < hidden[l]; j++) fn.gcn.layer[l].b[j] = 0.05 * (j + 1) - 0.13;
      p.fn  = &fn;
      p.X   = X;
      p.Z   = Zw;
      p.Cw  = Cwl;
      p.ns  = ns;
      p.s0  = s0;
      p.key = 0xfeed1234abcdULL;
      {
        PetscReal loss;
        PetscCall(Loss(&p, &loss));
        PetscCall(PetscArraycpy(c ? Z1 : Z0, p.Z, ns * NC)); /* kept: the FD runs below reuse p.Z */
      }
      np = GepGNNFeatureNetNumParameters(&fn);
      PetscCall(PetscMalloc2(np + 1, &grad[c], dloc * ns + 1, &dX[c]));
      PetscCall(GepGNNFeatureNetBackward(&fn, X, Cwl, dX[c]));
      if (c == 0) { /* a second backward pass after the same forward pass: the first chunk's activations recomputed (the
                       first pass started on them as the forward pass left them, and ended on the last chunk's) */
        PetscReal *dX2, dmax = 0;
        PetscCall(PetscMalloc1(dloc * ns + 1, &dX2));
        PetscCall(GepGNNFeatureNetBackward(&fn, X, Cwl, dX2));
        for (PetscInt i = 0; i < dloc * ns; i++) dmax = PetscMax(dmax, PetscAbsReal(dX2[i] - dX[0][i]));
        PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &dmax, 1, MPIU_REAL, MPI_MAX, PETSC_COMM_WORLD));
        PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                              "%s readout: a second backward pass after one forward pass: dL/dX differs by %.1e %s\n",
                              rname, (double)dmax, dmax == 0 ? "ok" : "FAIL"));
        fails += dmax != 0;
        PetscCall(PetscFree(dX2));
      }
      { /* the gradients in parameter order: swap them in as parameters to copy them out */
        PetscReal *save;
        PetscCall(PetscMalloc1(np + 1, &save));
        PetscCall(GepGNNFeatureNetCopyParameters(&fn, PETSC_TRUE, save));
        for (PetscInt l = 0; l < 2; l++) {
          PetscCall(PetscArraycpy(fn.gcn.layer[l].W, fn.gcn.layer[l].dW, fn.gcn.layer[l].nw));
          PetscCall(PetscArraycpy(fn.gcn.layer[l].b, fn.gcn.layer[l].db, fn.gcn.layer[l].fout));
        }
        if (readout == GEP_GNN_READOUT_NODE) {
          PetscCall(PetscArraycpy(fn.R, fn.dR, dloc * fn.f * NC));
          PetscCall(PetscArraycpy(fn.b, fn.db, NC));
        } else {
          PetscCall(PetscArraycpy(fn.out.W, fn.out.dW, fn.f * NC));
          PetscCall(PetscArraycpy(fn.out.b, fn.out.db, NC));
        }
        PetscCall(GepGNNFeatureNetCopyParameters(&fn, PETSC_TRUE, grad[c]));
        PetscCall(GepGNNFeatureNetCopyParameters(&fn, PETSC_FALSE, save));
        PetscCall(PetscFree(save));
      }
      if (c == 0) { /* finite differences, on the chunked network */
        PetscReal *g = grad[0];
        for (PetscInt l = 0; l < 2; l++) {
          GepGNNLayer *L = &fn.gcn.layer[l];
          PetscCall(PetscSNPrintf(what, sizeof(what), "%s readout: graph %s %" PetscInt_FMT ", dL/dW%s", rname,
                                  gat ? "attention" : "convolution", l + 1, gat ? " and dL/da" : ""));
          PetscCall(CheckValues(&p, what, L->nw, L->W, g, 1, PETSC_FALSE, h, rtol, &fails));
          g += L->nw;
          PetscCall(
            PetscSNPrintf(what, sizeof(what), "%s readout: graph layer %" PetscInt_FMT ", dL/db", rname, l + 1));
          PetscCall(CheckValues(&p, what, L->fout, L->b, g, 1, PETSC_FALSE, h, rtol, &fails));
          g += L->fout;
        }
        if (readout == GEP_GNN_READOUT_NODE) {
          PetscCall(PetscSNPrintf(what, sizeof(what), "node readout: weights of every node (%s), dL/dR (every 97th)",
                                  bysamples ? "replicated" : "distributed"));
          PetscCall(CheckValues(&p, what, dloc * fn.f * NC, fn.R, g, 97, (PetscBool)!bysamples, h, rtol, &fails));
          PetscCall(
            CheckValues(&p, "node readout: dL/db", NC, fn.b, g + dloc * fn.f * NC, 1, PETSC_FALSE, h, rtol, &fails));
        } else {
          PetscCall(CheckValues(&p, "mean readout: dense layer, dL/dW", fn.f * NC, fn.out.W, g, 1, PETSC_FALSE, h, rtol,
                                &fails));
          PetscCall(CheckValues(&p, "mean readout: dense layer, dL/db", NC, fn.out.b, g + fn.f * NC, 1, PETSC_FALSE, h,
                                rtol, &fails));
        }
        PetscCall(PetscSNPrintf(what, sizeof(what), "%s readout: dL/dX (every 41st signal value)", rname));
        PetscCall(CheckValues(&p, what, dloc * ns, X, dX[0], 41, PETSC_TRUE, h, rtol, &fails));
      }
      PetscCall(GepGNNFeatureNetDestroy(&fn));
      PetscCall(PetscRandomDestroy(&rnd));
    }
    { /* chunked = unchunked */
      PetscReal dz = 0, dg = 0, dx = 0;
      for (PetscInt i = 0; i < ns * NC; i++) dz = PetscMax(dz, PetscAbsReal(Z0[i] - Z1[i]));
      for (PetscInt i = 0; i < np; i++) dg = PetscMax(dg, PetscAbsReal(grad[0][i] - grad[1][i]));
      for (PetscInt i = 0; i < dloc * ns; i++) dx = PetscMax(dx, PetscAbsReal(dX[0][i] - dX[1][i]));
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &dz, 1, MPIU_REAL, MPI_MAX, PETSC_COMM_WORLD));
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &dg, 1, MPIU_REAL, MPI_MAX, PETSC_COMM_WORLD));
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &dx, 1, MPIU_REAL, MPI_MAX, PETSC_COMM_WORLD));
      PetscCall(
        PetscPrintf(PETSC_COMM_WORLD,
                    "%s readout: chunks of %d vs all of a rank's samples: logits %.1e, gradients %.1e, dL/dX %.1e %s\n",
                    rname, bysamples ? 2 : 3, (double)dz, (double)dg, (double)dx,
                    dz <= 1e-12 && dg <= 1e-12 && dx <= 1e-12 ? "ok" : "FAIL"));
      fails += !(dz <= 1e-12 && dg <= 1e-12 && dx <= 1e-12);
    }
    for (PetscInt c = 0; c < 2; c++) PetscCall(PetscFree2(grad[c], dX[c]));
    PetscCall(PetscFree(X));
  }
  PetscCall(PetscStrArrayDestroy(&st.added));
  PetscCall(MatDestroy(&A));
  PetscCall(PetscStrArrayDestroy(&names));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
