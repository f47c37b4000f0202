/* The sample graph's threshold (GepGraphSampleSimilarityThreshold: the (k N)-th smallest, 0-based, of all
   N x N distances held by rows over the ranks, found from each rank's k N + 1 smallest) against the plain
   answer: every distance gathered and sorted. The distances are seeded random values, not symmetric, distinct
   or (-levels L) rounded to L levels (ties), for k = 1, 2, 5 and 10.
   usage: test_gnn_threshold [-n N] [-seed S] [-levels L] */
#include <petscsys.h>
#include "gepgraph.h"
#include "gepsys.h"

int main(int argc, char **argv)
{
  PetscInt    N = 60, seed = 3, levels = 0, nloc = PETSC_DECIDE, ks[] = {1, 2, 5, 10}, fails = 0;
  PetscMPIInt size, rank, nl, *counts, *displs;
  PetscReal  *dist, *all;
  PetscRandom rnd;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &N, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-seed", &seed, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-levels", &levels, NULL));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscSplitOwnership(PETSC_COMM_WORLD, &nloc, &N));
  PetscCall(PetscMalloc4(nloc * N + 1, &dist, N * N, &all, size, &counts, size + 1, &displs));
  PetscCall(GepRandomCreateSeeded(seed, &rnd)); /* every rank draws all N^2 and keeps its rows */
  for (PetscInt i = 0; i < N * N; i++) {
    PetscCall(PetscRandomGetValueReal(rnd, &all[i]));
    if (levels) all[i] = PetscFloorReal(all[i] * levels) / levels;
  }
  {
    PetscInt rstart;
    PetscCallMPI(MPI_Scan(&nloc, &rstart, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
    rstart -= nloc;
    PetscCall(PetscArraycpy(dist, all + rstart * N, nloc * N));
  }
  PetscCall(PetscMPIIntCast(nloc * N, &nl));
  PetscCallMPI(MPI_Allgather(&nl, 1, MPI_INT, counts, 1, MPI_INT, PETSC_COMM_WORLD));
  displs[0] = 0;
  for (PetscMPIInt r = 0; r < size; r++) displs[r + 1] = displs[r] + counts[r];
  PetscCallMPI(MPI_Allgatherv(dist, nl, MPIU_REAL, all, counts, displs, MPIU_REAL, PETSC_COMM_WORLD));
  PetscCall(PetscSortReal(N * N, all)); /* the plain answer */
  for (PetscInt q = 0; q < 4; q++) {
    PetscReal t;
    PetscCall(GepGraphSampleSimilarityThreshold(PETSC_COMM_WORLD, N, nloc, dist, ks[q], &t));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "k = %" PetscInt_FMT ": threshold %.6f, sorted %.6f %s\n", ks[q], (double)t,
                          (double)all[ks[q] * N], t == all[ks[q] * N] ? "ok" : "FAIL"));
    fails += t != all[ks[q] * N];
  }
  PetscCall(PetscRandomDestroy(&rnd));
  PetscCall(PetscFree4(dist, all, counts, displs));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
