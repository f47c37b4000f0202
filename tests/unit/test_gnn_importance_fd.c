/* Gradient x input importance against central finite differences through the
   whole model (view networks, VCDN, softmax): a model is trained from the deck
   -deck (with the command line's options), then for the most important feature
   of every view the importance, the sum over samples s of |x_s dL/dx_s| /
   Ntest with L the sum of the test samples' log-probability of their true
   class (a regression's: of their outputs, the z-scores), is recomputed with dL/dx_s from (L(x_s + h) - L(x_s - h)) /
   2h, each value changed on the rank that holds it (GepGNNGetTestInput). The sum runs over the test samples for the
   knowledge-graph model (samples are independent) and over all nodes of the graph of training and test samples for
   MOGONET's model (whose graph stays as built). Relative error at most -rtol (1e-5). */
#include "gepsim.h"
#include "gnnimpl.h" /* the implementer's GepGNNGetTestInput */

int main(int argc, char **argv)
{
  char        deck[PETSC_MAX_PATH_LEN] = "";
  PetscReal   h = 1e-5, rtol = 1e-5;
  PetscInt    fails = 0, M, Ntr, Nte;
  PetscBool   labelled, feature;
  const char *type;
  GepGNN      g;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-deck", deck, sizeof(deck), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-h", &h, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-rtol", &rtol, NULL));
  PetscCall(GepDeckLoad(PETSC_COMM_WORLD, deck));
  PetscCall(PetscOptionsSetValue(NULL, "-gnn_progress", "0"));
  PetscCall(PetscOptionsSetValue(NULL, "-gnn_importance", "gradient"));
  PetscCall(GepGNNCreate(PETSC_COMM_WORLD, &g));
  PetscCall(GepGNNSetFromOptions(g));
  PetscCall(GepGNNGetType(g, &type));
  PetscCall(PetscStrcmp(type, "feature", &feature));
  PetscCall(GepGNNTrain(g));
  PetscCall(GepGNNHasTestLabels(g, &labelled));
  PetscCheck(strcmp(type, "linear") && labelled, PETSC_COMM_WORLD, PETSC_ERR_USER,
             "needs a graph model's deck with test labels");
  PetscCall(GepGNNPredict(g, NULL));
  PetscCall(GepGNNComputeImportance(g));
  PetscCall(GepGNNGetNumViews(g, &M));
  PetscCall(GepGNNGetSizes(g, &Ntr, &Nte));
  for (PetscInt m = 0; m < M; m++) {
    PetscInt           j;
    PetscReal          fdimp = 0, rel;
    const char        *name;
    const char *const *feat;
    const PetscReal   *imp;

    PetscCall(GepGNNGetView(g, m, &name, NULL, &feat, &imp));
    PetscCall(GepGNNTopFeatures(g, m, PETSC_FALSE, 1, &j));
    for (PetscInt r = feature ? Ntr : 0; r < Ntr + Nte; r++) { /* r: a node of [training; test] */
      PetscReal *x, x0, lp, lm;

      PetscCall(GepGNNGetTestInput(g, m, r, j, &x));
      x0 = x ? *x : 0;
      if (x) *x = x0 + h;
      PetscCall(GepGNNTestLogLikelihood(g, &lp));
      if (x) *x = x0 - h;
      PetscCall(GepGNNTestLogLikelihood(g, &lm));
      if (x) *x = x0;
      if (x) fdimp += PetscAbsReal(x0 * (lp - lm) / (2 * h));
    }
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &fdimp, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
    fdimp /= Nte;
    rel = PetscAbsReal(fdimp - imp[j]) / PetscMax(PetscAbsReal(fdimp), PETSC_SMALL);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "view %s, feature %s: gradient x input %.10e, from central differences %.10e, relative error "
                          "%.1e %s\n",
                          name, feat[j], (double)imp[j], (double)fdimp, (double)rel,
                          rel <= rtol && fdimp > 0 ? "ok" : "FAIL"));
    fails += !(rel <= rtol && fdimp > 0);
  }
  PetscCall(GepGNNDestroy(&g));
  PetscCall(GepDeckDestroy());
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
