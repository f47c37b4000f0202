/* Events in an ensemble: SBML Test Suite case 00026 (S1 -> S2 at rate k1*S1,
   an event resets S1 to 1 whenever S1 < 0.1) with k1 read from a TSV, so each
   member has its own event times. Analytic: with period P = ln(10)/k1,
   S1(t) = exp(-k1 (t mod P)), and S2 = 0.9 * floor(t/P) + 1 - S1(t).
   Checked member by member (relative error <= 1e-5) on any number of ranks. */
#include <math.h>
#include "testutil.h"

int main(int argc, char **argv)
{
  GepModel         model;
  GepEnsemble      ens;
  PetscInt         N, nloc, first, T, np, kidx, failures = 0, total, points = 0, all_points;
  const PetscReal *t, *y, *p;
  const char      *outs[] = {"S1", "S2"};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(TestSolveEnsemble("../shared/data/sbml-test-suite/cases/semantic/00026/00026-sbml-l3v2.xml",
                              "tests/data/event-params.tsv", "7", "2", "10", "100", 2, outs, &model, &ens));
  PetscCall(GepEnsembleGetSizes(ens, &N, &nloc, &first));
  PetscCall(GepEnsembleGetTimes(ens, &T, &t));
  PetscCall(GepEnsembleGetOutputs(ens, &y));
  PetscCall(GepEnsembleGetParameters(ens, &p));
  PetscCall(GepModelGetNumParameters(model, &np));
  PetscCall(GepModelGetParameterIndex(model, "k1", &kidx));
  for (PetscInt m = 0; m < nloc; m++) {
    PetscReal k = p[m * np + kidx], P = log(10.0) / k;
    for (PetscInt i = 0; i < T; i++) {
      PetscReal cycles = floor(t[i] / P), phase = t[i] - cycles * P;
      PetscReal s1 = exp(-k * phase), ref[2] = {s1, 0.9 * cycles + 1 - s1};
      if (phase < 1e-6 || P - phase < 1e-6) continue; /* too close to a reset to compare */
      points++;
      for (int j = 0; j < 2; j++) {
        PetscReal got = y[(m * T + i) * 2 + j];
        if (PetscAbsReal(got - ref[j]) > 1e-5 * PetscMax(PetscAbsReal(ref[j]), 0.1)) {
          failures++;
          PetscCall(PetscPrintf(PETSC_COMM_SELF,
                                "FAIL: member %" PetscInt_FMT " (k1 = %g) %s(t=%g) = %.10g, analytic %.10g\n",
                                first + m, (double)k, outs[j], (double)t[i], (double)got, (double)ref[j]));
        }
      }
    }
  }
  PetscCallMPI(MPI_Allreduce(&points, &all_points, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  if (all_points < 7 * 101 - 7) { /* at most a point a member falls on a reset */
    failures++;
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "FAIL: %" PetscInt_FMT " time points compared, expected at least %d\n",
                          all_points, 7 * 101 - 7));
  }
  PetscCall(TestCheckCounts(PETSC_COMM_WORLD, nloc, 7, T, 101, &failures));
  PetscCallMPI(MPI_Allreduce(&failures, &total, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(GepEnsembleDestroy(&ens));
  PetscCall(GepModelDestroy(&model));
  PetscCall(PetscFinalize());
  return total ? 1 : 0;
}
