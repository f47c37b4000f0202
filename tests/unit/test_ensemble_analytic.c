/* An ensemble of tests/data/decay.xml with k read from a TSV, checked member by
   member against the analytic solution (relative error <= 1e-6). Runs on any
   number of ranks; the members' answers must not depend on it. */
#include <math.h>
#include "testutil.h"

int main(int argc, char **argv)
{
  GepModel         model;
  GepEnsemble      ens;
  PetscInt         N, nloc, first, T, np, kidx, failures = 0, total;
  const PetscReal *t, *y, *p;
  const char      *outs[] = {"A", "B", "S", "obs", "V", "p"};
  PetscReal        maxerr = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(TestSolveEnsemble("tests/data/decay.xml", "tests/data/decay-params.tsv", "11", "3", "4", "8", 6, outs,
                              &model, &ens));
  PetscCall(GepEnsembleGetSizes(ens, &N, &nloc, &first));
  PetscCall(GepEnsembleGetTimes(ens, &T, &t));
  PetscCall(GepEnsembleGetOutputs(ens, &y));
  PetscCall(GepEnsembleGetParameters(ens, &p));
  PetscCall(GepModelGetNumParameters(model, &np));
  PetscCall(GepModelGetParameterIndex(model, "k", &kidx));
  for (PetscInt m = 0; m < nloc; m++) {
    PetscReal k = p[m * np + kidx], expect_k = 0.1 * (PetscReal)(first + m + 1);
    if (PetscAbsReal(k - expect_k) > 1e-12) {
      failures++;
      PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAIL: member %" PetscInt_FMT " has k = %g, TSV row says %g\n", first + m,
                            (double)k, (double)expect_k));
    }
    for (PetscInt i = 0; i < T; i++) {
      PetscReal a = exp(-k * t[i]), ref[6] = {a, 1 - a, 3 / (1 + t[i]), 2 * a, 1 + t[i], 5 * a};
      for (int j = 0; j < 6; j++) {
        PetscReal got = y[(m * T + i) * 6 + j], err = PetscAbsReal(got - ref[j]) / PetscMax(PetscAbsReal(ref[j]), 1e-3);
        maxerr = PetscMax(maxerr, err);
        if (err > 1e-6) {
          failures++;
          PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAIL: member %" PetscInt_FMT " %s(t=%g) = %.10g, analytic %.10g\n",
                                first + m, outs[j], (double)t[i], (double)got, (double)ref[j]));
        }
      }
    }
  }
  PetscCall(TestCheckCounts(PETSC_COMM_WORLD, nloc, 11, T, 9, &failures));
  PetscCallMPI(MPI_Allreduce(&failures, &total, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(GepEnsembleDestroy(&ens));
  PetscCall(GepModelDestroy(&model));
  PetscCall(PetscFinalize());
  return total ? 1 : 0;
}
