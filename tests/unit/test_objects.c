/* The objects as PETSc objects: two ensembles under their own options prefixes share
   one model by reference, each reads only its own options (size, and its TS's
   tolerance under PREFIX + ensemble_), and both match the analytic solution
   [A] = exp(-k t) of tests/data/decay.xml, the loosely tuned one less closely. */
#include "gepsim.h"

static PetscErrorCode MaxError(GepEnsemble e, PetscReal *err)
{
  PetscInt         N, nloc, T;
  const PetscReal *t, *y;

  PetscFunctionBegin;
  PetscCall(GepEnsembleGetSizes(e, &N, &nloc, NULL));
  PetscCall(GepEnsembleGetTimes(e, &T, &t));
  PetscCall(GepEnsembleGetOutputs(e, &y));
  *err = 0;
  for (PetscInt m = 0; m < nloc; m++)
    for (PetscInt k = 0; k < T; k++) *err = PetscMax(*err, PetscAbsReal(y[m * T + k] - PetscExpReal(-0.5 * t[k])));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, err, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  GepModel          model;
  GepEnsemble       loose, tight;
  const char *const outs[] = {"A"};
  PetscInt          refs, Nl, Nt, fail = 0;
  PetscReal         el, et;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsSetValue(NULL, "-loose_ensemble_size", "3"));
  PetscCall(PetscOptionsSetValue(NULL, "-tight_ensemble_size", "5"));
  PetscCall(PetscOptionsSetValue(NULL, "-loose_ensemble_ts_rtol", "1e-3"));
  PetscCall(PetscOptionsSetValue(NULL, "-loose_ensemble_ts_atol", "1e-3"));
  PetscCall(PetscOptionsSetValue(NULL, "-tight_ensemble_ts_rtol", "1e-10"));
  PetscCall(PetscOptionsSetValue(NULL, "-tight_ensemble_ts_atol", "1e-12"));
  PetscCall(GepModelCreate(PETSC_COMM_WORLD, &model));
  PetscCall(GepModelSetFile(model, "tests/data/decay.xml"));
  PetscCall(GepModelSetOutputs(model, 1, outs, NULL));
  PetscCall(GepEnsembleCreate(PETSC_COMM_WORLD, &loose));
  PetscCall(GepEnsembleCreate(PETSC_COMM_WORLD, &tight));
  PetscCall(GepEnsembleSetOptionsPrefix(loose, "loose_"));
  PetscCall(GepEnsembleSetOptionsPrefix(tight, "tight_"));
  PetscCall(GepEnsembleSetModel(loose, model));
  PetscCall(GepEnsembleSetModel(tight, model));
  PetscCall(PetscObjectGetReference((PetscObject)model, &refs));
  if (refs != 3) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "FAIL: the model has %" PetscInt_FMT " references, expected 3 (ours and two ensembles')\n",
                          refs));
    fail++;
  }
  PetscCall(GepModelDestroy(&model)); /* the ensembles keep it */
  PetscCall(GepEnsembleSetFromOptions(loose));
  PetscCall(GepEnsembleSetFromOptions(tight));
  PetscCall(GepEnsembleSolve(loose));
  PetscCall(GepEnsembleSolve(tight));
  PetscCall(GepEnsembleGetSizes(loose, &Nl, NULL, NULL));
  PetscCall(GepEnsembleGetSizes(tight, &Nt, NULL, NULL));
  PetscCall(MaxError(loose, &el));
  PetscCall(MaxError(tight, &et));
  PetscCall(PetscPrintf(
    PETSC_COMM_WORLD, "sizes %" PetscInt_FMT " and %" PetscInt_FMT "; max |[A] - exp(-k t)|: loose %.3e, tight %.3e\n",
    Nl, Nt, (double)el, (double)et));
  if (Nl != 3 || Nt != 5) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "FAIL: each ensemble's size from its own prefix: got %" PetscInt_FMT " and %" PetscInt_FMT
                          ", expected 3 and 5\n",
                          Nl, Nt));
    fail++;
  }
  if (!(et < 1e-8)) {
    PetscCall(PetscPrintf(
      PETSC_COMM_WORLD, "FAIL: the tightly tuned ensemble is off the analytic solution by %g (> 1e-8)\n", (double)et));
    fail++;
  }
  if (!(el > 100 * et && el < 1e-2)) {
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "FAIL: the loose ensemble's error %g should be within 1e-2 and 100 times the tight one's %g: "
                          "its TS did not read its own tolerance\n",
                          (double)el, (double)et));
    fail++;
  }
  PetscCall(GepEnsembleDestroy(&loose));
  PetscCall(GepEnsembleDestroy(&tight));
  PetscCall(PetscFinalize());
  return fail ? 1 : 0;
}
