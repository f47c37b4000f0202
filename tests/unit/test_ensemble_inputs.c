/* What a caller gives an ensemble (GepScreen's way in), against closed forms on
   tests/data/decay.xml (A -> B, rate s k A c with c = 2, so amount = 2 [A]):
   parameters given member by member (k, and the reaction's rate multiplier s,
   0 for a knockout), irregular output times, doses of A (added, or set) at
   times between outputs, and a monitor that ends one chunk early (its later
   outputs NaN). Doses fall between output times. [A](t) = e^{-s k t} + sum over doses d before t of
   (D_d / 2) e^{-s k (t - t_d)}. Relative tolerance 1e-7; any number of ranks. */
#include <math.h>
#include <string.h>
#include "gepsim.h"

#define N  6
#define NT 8

static const PetscReal times[NT] = {0, 0.5, 1, 1.7, 2.5, 3, 4.2, 6};

/* stop the chunk that starts at member 2 after output 5 (t = 3) */
static PetscErrorCode StopOne(GepEnsemble part, PetscInt k, PetscBool *stop, void *ctx)
{
  PetscInt first, *calls = (PetscInt *)ctx;

  PetscFunctionBegin;
  PetscCall(GepEnsembleGetSizes(part, NULL, NULL, &first));
  (*calls)++;
  *stop = (PetscBool)(first == 2 && k == 5);
  PetscFunctionReturn(0);
}

/* the closed form of member m's [A] at time t */
static PetscReal Expected(PetscInt m, PetscReal t)
{
  PetscReal k = 0.1 * (PetscReal)(m + 1), s = m == 4 ? 0.5 : (m == 5 ? 0.0 : 1.0), a;

  if (m == 3) return t < 2.7 ? exp(-k * t) : 0.2 * exp(-k * (t - 2.7)); /* amount set to 0.4 at t = 2.7 */
  a = exp(-s * k * t);
  if (t >= 0.8) a += 0.5 * exp(-s * k * (t - 0.8));
  if (t >= 2.2) a += 0.5 * exp(-s * k * (t - 2.2));
  return a;
}

int main(int argc, char **argv)
{
  GepModel         model;
  GepEnsemble      ens;
  PetscInt         np, ns, ik, iR, iA = -1, nloc, first, T, failures = 0, total, calls = 0, compared = 0, all;
  PetscInt         dfirst[N + 1];
  GepDose          doses[2 * N];
  PetscReal       *p;
  const PetscReal *y, *t;
  const char      *outs[] = {"A"};

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_ts_rtol", "1e-11"));
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_ts_atol", "1e-14"));
  PetscCall(GepModelCreate(PETSC_COMM_WORLD, &model));
  PetscCall(GepModelSetFile(model, "tests/data/decay.xml"));
  PetscCall(GepModelSetOutputs(model, 1, outs, NULL));
  PetscCall(GepModelSetUp(model));
  PetscCall(GepModelGetNumParameters(model, &np));
  PetscCall(GepModelGetNumStates(model, &ns));
  PetscCall(GepModelGetParameterIndex(model, "k", &ik));
  PetscCall(GepModelGetParameterIndex(model, "R", &iR)); /* a reaction: its rate multiplier */
  for (PetscInt i = 0; i < ns; i++) {
    const char *name;
    PetscCall(GepModelGetStateName(model, i, &name));
    if (!strcmp(name, "A")) iA = i;
  }
  PetscCall(PetscMalloc1(N * np, &p));
  for (PetscInt m = 0; m < N; m++) {
    PetscCall(GepModelGetParameterValues(model, p + m * np));
    if (p[m * np + iR] != 1.0) failures++; /* a reaction's parameter is 1 in the model */
    p[m * np + ik] = 0.1 * (PetscReal)(m + 1);
  }
  p[4 * np + iR] = 0.5;
  p[5 * np + iR] = 0.0;
  dfirst[0]      = 0;
  for (PetscInt m = 0, n = 0; m < N; m++) {
    if (m == 3) doses[n++] = (GepDose){2.7, iA, PETSC_TRUE, 0.4};
    else { /* between output times, where only the cut there can give them */
      doses[n++] = (GepDose){0.8, iA, PETSC_FALSE, 1.0};
      doses[n++] = (GepDose){2.2, iA, PETSC_FALSE, 1.0};
    }
    dfirst[m + 1] = n;
  }
  PetscCall(GepEnsembleCreate(PETSC_COMM_WORLD, &ens));
  PetscCall(GepEnsembleSetModel(ens, model));
  PetscCall(GepEnsembleSetChunkSize(ens, 2));
  PetscCall(GepEnsembleSetBatchSize(ens, 1));
  PetscCall(GepEnsembleSetOutputTimes(ens, NT, times));
  PetscCall(GepEnsembleSetParameters(ens, N, p));
  PetscCall(GepEnsembleSetDoses(ens, N, dfirst, doses));
  PetscCall(GepEnsembleSetMonitor(ens, StopOne, &calls));
  PetscCall(GepEnsembleSolve(ens));
  PetscCall(GepEnsembleGetSizes(ens, NULL, &nloc, &first));
  PetscCall(GepEnsembleGetTimes(ens, &T, &t));
  PetscCall(GepEnsembleGetOutputs(ens, &y));
  for (PetscInt i = 0; i < nloc; i++) {
    PetscInt m = first + i;
    for (PetscInt j = 0; j < T; j++) {
      PetscReal got = y[i * T + j], ref = Expected(m, t[j]);
      PetscBool stopped = (PetscBool)((m == 2 || m == 3) && j > 5);
      if (stopped ? !PetscIsNanReal(got) : PetscAbsReal(got - ref) > 1e-7 * PetscAbsReal(ref)) {
        failures++;
        PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAIL: member %" PetscInt_FMT " [A](%g) = %.12g, expected %.12g\n", m,
                              (double)t[j], (double)got, stopped ? (double)NAN : (double)ref));
      }
      compared++;
    }
  }
  if (T != NT || t[3] != times[3]) failures++;
  PetscCallMPI(MPI_Allreduce(&compared, &all, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  if (all != N * NT) failures++;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &calls, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  if (calls != 2 * NT + 6) { /* two chunks to the end, one stopped after output 5 */
    failures++;
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "FAIL: the monitor was called %" PetscInt_FMT " times, expected %d\n",
                          calls, 2 * NT + 6));
  }
  PetscCallMPI(MPI_Allreduce(&failures, &total, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(PetscFree(p));
  PetscCall(GepEnsembleDestroy(&ens));
  PetscCall(GepModelDestroy(&model));
  PetscCall(PetscFinalize());
  return total ? 1 : 0;
}
