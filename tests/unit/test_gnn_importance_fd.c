/* Gradient x input importance against central finite differences through the
   whole model (view networks, VCDN, softmax): a model is trained from the deck
   -deck (with the command line's options), then for the most important feature
   of every view the importance, the sum over samples s of |x_s dL/dx_s| /
   Ntest with L the sum of the test samples' log-probability of their true
   class (a regression's: of their outputs, the z-scores), is recomputed with dL/dx_s from (L(x_s + h) - L(x_s - h)) /
   2h, each value changed on the rank that holds it. The sum runs over the test samples for the knowledge-graph model
   (samples are independent) and over all nodes of the graph of training and test samples for MOGONET's model (whose
   graph stays as built). Relative error at most -rtol (1e-5). */
#include "gepsim.h"
#include "gnnimpl.h"

static PetscErrorCode TestLogLikelihood(GepGNN g, PetscReal *L)
{
  const PetscReal *prob;

  PetscFunctionBegin;
  PetscCall(GepGNNPredict(g, &prob));
  *L = 0;
  for (PetscInt i = 0; i < g->Nte; i++)
    *L += g->regression ? (prob[i] - g->tmu) / g->tsd : PetscLogReal(prob[i * g->C + g->yte[i]]);
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char      deck[PETSC_MAX_PATH_LEN] = "";
  PetscReal h = 1e-5, rtol = 1e-5;
  PetscInt  fails = 0;
  GepGNN    g;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(GepInitializePackage());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-deck", deck, sizeof(deck), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-h", &h, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-rtol", &rtol, NULL));
  PetscCall(GepDeckLoad(PETSC_COMM_WORLD, deck));
  PetscCall(GepGNNCreate(PETSC_COMM_WORLD, &g));
  PetscCall(GepGNNSetFromOptions(g));
  PetscCheck(g->type != GEP_GNN_LINEAR && g->labels_te[0], PETSC_COMM_WORLD, PETSC_ERR_USER,
             "needs a graph model's deck with test labels");
  g->progress   = PETSC_FALSE;
  g->importance = GEP_GNN_IMPORTANCE_GRADIENT;
  PetscCall(GepGNNTrain(g));
  PetscCall(GepGNNPredict(g, NULL));
  PetscCall(GepGNNComputeImportance(g));
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v       = &g->v[m];
    PetscBool       feature = (PetscBool)(g->type == GEP_GNN_FEATURE);
    PetscInt        j, dstart = v->fnet.dstart, dloc = v->fnet.dloc, ns = 0, s0 = 0;
    PetscReal       fdimp = 0, rel;

    PetscCall(GepGNNTopFeatures(g, m, PETSC_FALSE, 1, &j));
    if (feature) GepGNNFeatureSignals(g, GEP_GNN_NODES_TEST, &ns, &s0); /* this rank's signals (columns of XT) */
    for (PetscInt r = feature ? g->Ntr : 0; r < g->Ntr + g->Nte; r++) { /* r: a node of [training; test] */
      PetscBool  mine = feature ? (PetscBool)(j >= dstart && j < dstart + dloc && r >= s0 && r < s0 + ns)
                                : (PetscBool)(r >= g->rall && r < g->rall + g->nall);
      PetscReal *x    = !mine     ? NULL
                        : feature ? &v->XT[GEP_GNN_NODES_TEST][(j - dstart) + dloc * (r - s0)]
                                  : &v->Xall[j * g->nall + (r - g->rall)];
      PetscReal  x0   = x ? *x : 0, lp, lm;

      if (x) *x = x0 + h;
      PetscCall(TestLogLikelihood(g, &lp));
      if (x) *x = x0 - h;
      PetscCall(TestLogLikelihood(g, &lm));
      if (x) *x = x0;
      if (mine) fdimp += PetscAbsReal(x0 * (lp - lm) / (2 * h));
    }
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &fdimp, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
    fdimp /= g->Nte;
    rel = PetscAbsReal(fdimp - v->imp_gradient[j]) / PetscMax(PetscAbsReal(fdimp), PETSC_SMALL);
    PetscCall(PetscPrintf(
      PETSC_COMM_WORLD,
      "view %s, feature %s: gradient x input %.10e, from central differences %.10e, relative error %.1e %s\n", v->name,
      v->feat[j], (double)v->imp_gradient[j], (double)fdimp, (double)rel, rel <= rtol && fdimp > 0 ? "ok" : "FAIL"));
    fails += !(rel <= rtol && fdimp > 0);
  }
  PetscCall(GepGNNDestroy(&g));
  PetscCall(GepDeckDestroy());
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
