/* A GNN layer type added from outside the package: one file's worth (this one) and one registration call.
   "plain_gcn" is MOGONET's graph convolution written the plain way, pre = A (X W) with X W by loops and A times
   one column at a time (MatMult; MatMultTranspose backward), in double only. MOGONET trained with
   -gnn_layer_type plain_gcn must run its passes and give the built-in gcn's test probabilities (abs 1e-8: the
   sums run in another order).
   usage: test_gnn_layer_register [the deck's data options] -gnn_hidden 20,20,10 ... */
#include "gepsim.h"
#include "gnnimpl.h" /* the implementer's header: GepGNNLayerOps, GepGNNLayerRegister */

static PetscInt forward_calls;

/* out[:, j] = op(A) in[:, j] for the fout columns of nloc rows */
static PetscErrorCode ColumnProducts(GepGNNLayer *L, PetscBool transpose, const PetscReal *in, PetscReal *out)
{
  Vec x, y;

  PetscFunctionBegin;
  PetscCheck(L->batch == 1, L->comm, PETSC_ERR_SUP, "plain_gcn: one signal per node");
  PetscCall(VecCreateMPIWithArray(L->comm, 1, L->nloc, L->N, NULL, &x));
  PetscCall(VecCreateMPIWithArray(L->comm, 1, L->nloc, L->N, NULL, &y));
  for (PetscInt j = 0; j < L->fout; j++) {
    PetscCall(VecPlaceArray(x, in + j * L->nloc));
    PetscCall(VecPlaceArray(y, out + j * L->nloc));
    if (transpose) PetscCall(MatMultTranspose(L->A, x, y));
    else PetscCall(MatMult(L->A, x, y));
    PetscCall(VecResetArray(x));
    PetscCall(VecResetArray(y));
  }
  PetscCall(VecDestroy(&x));
  PetscCall(VecDestroy(&y));
  PetscFunctionReturn(0);
}

static PetscErrorCode PlainForward(GepGNNLayer *L, const PetscReal *X)
{
  PetscInt n = L->nloc;

  PetscFunctionBegin;
  forward_calls++;
  for (PetscInt j = 0; j < L->fout; j++) /* S = X W (W column-major, fin x fout) */
    for (PetscInt i = 0; i < n; i++) {
      PetscReal s = 0;
      for (PetscInt d = 0; d < L->fin; d++) s += X[d * n + i] * L->W[j * L->fin + d];
      L->S[j * n + i] = s;
    }
  PetscCall(ColumnProducts(L, PETSC_FALSE, L->S, L->pre));
  PetscFunctionReturn(0);
}

static PetscErrorCode PlainBackward(GepGNNLayer *L, const PetscReal *X, PetscReal *dWb, PetscReal *dX)
{
  PetscInt n = L->nloc;

  PetscFunctionBegin;
  PetscCall(ColumnProducts(L, PETSC_TRUE, L->dpre, L->S)); /* G = A^T dpre */
  for (PetscInt j = 0; j < L->fout; j++)                   /* dW = X^T G (this rank's part; summed by the caller) */
    for (PetscInt d = 0; d < L->fin; d++) {
      PetscReal s = 0;
      for (PetscInt i = 0; i < n; i++) s += X[d * n + i] * L->S[j * n + i];
      dWb[j * L->fin + d] = s;
    }
  if (dX) /* dX = G W^T */
    for (PetscInt d = 0; d < L->fin; d++)
      for (PetscInt i = 0; i < n; i++) {
        PetscReal s = 0;
        for (PetscInt j = 0; j < L->fout; j++) s += L->S[j * n + i] * L->W[j * L->fin + d];
        dX[d * n + i] = s;
      }
  PetscFunctionReturn(0);
}

static const GepGNNLayerOps PlainOps = {
  .description = "plain graph convolutions",
  .graph       = PETSC_TRUE,
  .forward     = PlainForward,
  .backward    = PlainBackward,
};

static PetscErrorCode GepGNNLayerCreate_PlainGCN(GepGNNLayer *L)
{
  PetscFunctionBegin;
  L->ops = &PlainOps;
  PetscFunctionReturn(0);
}

/* MOGONET trained with the given graph layers: the test probabilities (Ntest x C), copied */
static PetscErrorCode Train(const char type[], PetscInt *n, PetscReal **prob)
{
  GepGNN           g;
  const PetscReal *p;
  PetscInt         Nte;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-gnn_layer_type", type));
  PetscCall(GepGNNCreate(PETSC_COMM_WORLD, &g));
  PetscCall(GepGNNSetFromOptions(g));
  PetscCall(GepGNNSetUp(g));
  PetscCall(GepGNNView(g, NULL));
  PetscCall(GepGNNTrain(g));
  PetscCall(GepGNNPredict(g, &p));
  PetscCall(GepGNNGetSizes(g, NULL, &Nte));
  *n = 2 * Nte;
  PetscCall(PetscMalloc1(*n, prob));
  PetscCall(PetscArraycpy(*prob, p, *n));
  PetscCall(GepGNNDestroy(&g));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscInt   n, fail = 0, calls;
  PetscReal *pg, *pp, diff = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(GepGNNInitializePackage());
  PetscCall(GepGNNLayerRegister("plain_gcn", GepGNNLayerCreate_PlainGCN));
  PetscCall(Train("gcn", &n, &pg));
  calls = forward_calls;
  PetscCall(Train("plain_gcn", &n, &pp));
  for (PetscInt i = 0; i < n; i++) diff = PetscMax(diff, PetscAbsReal(pg[i] - pp[i]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "plain_gcn: %" PetscInt_FMT " forward passes (gcn's run: %" PetscInt_FMT
                        "); test probabilities differ from gcn's by at most %.3e (p[0] %.6f)\n",
                        forward_calls - calls, calls, (double)diff, (double)pp[0]));
  if (calls != 0 || forward_calls == 0) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "FAIL: -gnn_layer_type plain_gcn did not run the registered passes\n"));
    fail++;
  }
  if (!(diff <= 1e-8) || !(pp[0] > 0 && pp[0] < 1)) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "FAIL: plain_gcn's probabilities are not gcn's (abs 1e-8)\n"));
    fail++;
  }
  PetscCall(PetscFree(pg));
  PetscCall(PetscFree(pp));
  PetscCall(PetscFinalize());
  return fail ? 1 : 0;
}
