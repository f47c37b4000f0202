/* Initial states given member by member, and the states at the end (GepEnsembleSetInitialStates,
   GepEnsembleGetFinalStates: the tissue's reaction step), against closed forms on tests/data/decay.xml
   (A -> B at rate k [A] c, c = 2: states are amounts, 2 [A]). Member m starts with amounts
   A = 2 (m + 1), B = m, and the model's V = 1 and p = 5 (the states; S is fixed). At T = 3, the
   amounts are A = 2 (m + 1) e^{-k T} and B = m + 2 (m + 1) (1 - e^{-k T}), k = 0.5; V = 1 + T and
   p = 5 e^{-k T}. Chunks of 2 members (their slices of the states), relative tolerance 1e-7; any
   number of ranks. */
#include <math.h>
#include <string.h>
#include "gepsim.h"

#define N 7

int main(int argc, char **argv)
{
  GepModel         model;
  GepEnsemble      ens;
  PetscInt         ns, nloc, first, failures = 0, total, compared = 0, all, idx[4] = {-1, -1, -1, -1};
  const char      *names[4] = {"A", "B", "V", "p"};
  PetscReal       *x0, k = 0.5, T = 3, e = exp(-k * T);
  const PetscReal *x, times[3] = {0, 1.5, 3};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_ts_rtol", "1e-11"));
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_ts_atol", "1e-14"));
  PetscCall(GepModelCreate(PETSC_COMM_WORLD, &model));
  PetscCall(GepModelSetFile(model, "tests/data/decay.xml"));
  PetscCall(GepModelSetUp(model));
  PetscCall(GepModelGetNumStates(model, &ns));
  for (PetscInt i = 0; i < ns; i++) {
    const char *name;
    PetscCall(GepModelGetStateName(model, i, &name));
    for (PetscInt j = 0; j < 4; j++)
      if (!strcmp(name, names[j])) idx[j] = i;
  }
  for (PetscInt j = 0; j < 4; j++)
    PetscCheck(idx[j] >= 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "decay.xml: no state %s", names[j]);
  PetscCall(PetscCalloc1(N * ns, &x0));
  for (PetscInt m = 0; m < N; m++) {
    x0[m * ns + idx[0]] = 2 * (PetscReal)(m + 1);
    x0[m * ns + idx[1]] = (PetscReal)m;
    x0[m * ns + idx[2]] = 1;
    x0[m * ns + idx[3]] = 5;
  }
  PetscCall(GepEnsembleCreate(PETSC_COMM_WORLD, &ens));
  PetscCall(GepEnsembleSetModel(ens, model));
  PetscCall(GepEnsembleSetSize(ens, N));
  PetscCall(GepEnsembleSetChunkSize(ens, 2));
  PetscCall(GepEnsembleSetOutputTimes(ens, 3, times));
  PetscCall(GepEnsembleSetInitialStates(ens, N, x0));
  PetscCall(GepEnsembleSolve(ens));
  PetscCall(GepEnsembleGetSizes(ens, NULL, &nloc, &first));
  PetscCall(GepEnsembleGetFinalStates(ens, &x));
  for (PetscInt i = 0; i < nloc; i++) {
    PetscInt  m      = first + i;
    PetscReal ref[4] = {2 * (PetscReal)(m + 1) * e, (PetscReal)m + 2 * (PetscReal)(m + 1) * (1 - e), 1 + T, 5 * e};
    for (PetscInt j = 0; j < 4; j++) {
      PetscReal got = x[i * ns + idx[j]];
      if (!(PetscAbsReal(got - ref[j]) <= 1e-7 * PetscAbsReal(ref[j]))) {
        failures++;
        PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAIL: member %" PetscInt_FMT " %s(%g) = %.12g, expected %.12g\n", m,
                              names[j], (double)T, (double)got, (double)ref[j]));
      }
      compared++;
    }
  }
  PetscCallMPI(MPI_Allreduce(&compared, &all, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  if (all != 4 * N) failures++;
  PetscCallMPI(MPI_Allreduce(&failures, &total, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(PetscFree(x0));
  PetscCall(GepEnsembleDestroy(&ens));
  PetscCall(GepModelDestroy(&model));
  PetscCall(PetscFinalize());
  return total ? 1 : 0;
}
