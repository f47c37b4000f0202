/* Gradient x input importance of the knowledge-graph model (-gnn_model
   feature) against central finite differences through the whole model (view
   networks, VCDN, softmax): a model is trained from the deck -deck (with the
   command line's options), then for the most important feature of every view
   the importance sum over test samples s of |x_s dL/dx_s| / Ntest, L the sum
   of the test samples' log-probability of their true class, is recomputed with
   dL/dx_s from (L(x_s + h) - L(x_s - h)) / 2h, each signal value changed on the
   rank that holds its node. Relative error at most -rtol (1e-5). */
#include "gepsim.h"
#include "gepcli.h"
#include "gnnimpl.h"

static PetscErrorCode TestLogLikelihood(GepGNN g, PetscReal *L)
{
  const PetscReal *prob;

  PetscFunctionBegin;
  PetscCall(GepGNNPredict(g, &prob));
  *L = 0;
  for (PetscInt i = 0; i < g->Nte; i++) *L += PetscLogReal(prob[i * g->C + g->yte[i]]);
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
  PetscCheck(g->type == GEP_GNN_FEATURE && g->labels_te[0], PETSC_COMM_WORLD, PETSC_ERR_USER, "needs a -gnn_model feature deck with test labels");
  g->progress   = PETSC_FALSE;
  g->importance = GEP_GNN_IMPORTANCE_GRADIENT;
  PetscCall(GepGNNTrain(g));
  PetscCall(GepGNNPredict(g, NULL));
  PetscCall(GepGNNComputeImportance(g));
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData *v = &g->v[m];
    PetscInt        j, dstart = v->fnet.dstart, dloc = v->fnet.dloc;
    PetscBool       mine;
    PetscReal       fdimp = 0, rel;

    PetscCall(GepGNNTopFeatures(g, m, PETSC_FALSE, 1, &j));
    mine = (PetscBool)(j >= dstart && j < dstart + dloc);
    for (PetscInt i = 0; i < g->Nte; i++) {
      PetscReal *x = mine ? &v->XT[GEP_GNN_NODES_TEST][(j - dstart) + dloc * (g->Ntr + i)] : NULL, x0 = x ? *x : 0, lp, lm;

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
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "view %s, feature %s: gradient x input %.10e, from central differences %.10e, relative error %.1e %s\n", v->name, v->feat[j], (double)v->imp_gradient[j], (double)fdimp, (double)rel, rel <= rtol && fdimp > 0 ? "ok" : "FAIL"));
    fails += !(rel <= rtol && fdimp > 0);
  }
  PetscCall(GepGNNDestroy(&g));
  PetscCall(GepDeckDestroy());
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
