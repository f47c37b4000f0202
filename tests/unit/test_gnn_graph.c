/* MOGONET's sample-similarity graph (GepGraphSampleSimilarity) on a headerless
   CSV of samples x features (-data FILE, -k edges per node), compared with the
   reference of tests/ref/mogonet_sample_graph.py: threshold, number of edges,
   sum of squares and trace of the matrix (relative -rtol), and every row summing
   to 1. With -new FILE: the prediction-time graph over the training samples
   followed by those of FILE (GepGraphSampleSimilarityNew, the training
   threshold). Passes on any number of ranks with the same figures. */
#include "gepsim.h"
#include "gepgraph.h"
#include "csvrows.h"

static PetscInt Check(const char *what, PetscReal got, PetscReal ref, PetscReal rtol)
{
  PetscBool ok = (PetscBool)(PetscAbsReal(got - ref) <= rtol * PetscAbsReal(ref));
  PetscCallAbort(PETSC_COMM_WORLD, PetscPrintf(PETSC_COMM_WORLD, "%s: %.12e (reference %.12e) %s\n", what, (double)got,
                                               (double)ref, ok ? "ok" : "FAIL"));
  return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
  char       paths[2][PETSC_MAX_PATH_LEN] = {"", ""};
  PetscBool  has_new                      = PETSC_FALSE;
  PetscInt   N, D, nloc, first, k = 2, fails = 0, edges = 0, rs, re;
  PetscReal *X, t, rtol = 1e-9, ref_t = 0, ref_edges = 0, ref_ss = 0, ref_trace = 0, fro, trace, dev;
  Mat        A;
  Vec        v;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-data", paths[0], sizeof(paths[0]), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-new", paths[1], sizeof(paths[1]), &has_new));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-k", &k, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-rtol", &rtol, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-ref_threshold", &ref_t, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-ref_edges", &ref_edges, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-ref_sum_of_squares", &ref_ss, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-ref_trace", &ref_trace, NULL));
  PetscCall(TestReadCSVRows(PETSC_COMM_WORLD, 1, paths, &N, &D, &nloc, &first, &X));
  PetscCall(GepGraphSampleSimilarity(PETSC_COMM_WORLD, N, D, nloc, X, k, &A, &t));
  if (has_new) { /* the training threshold, then the graph over training and new samples */
    PetscInt ntrain = N;
    PetscCall(MatDestroy(&A));
    PetscCall(PetscFree(X));
    PetscCall(TestReadCSVRows(PETSC_COMM_WORLD, 2, paths, &N, &D, &nloc, &first, &X));
    PetscCall(GepGraphSampleSimilarityNew(PETSC_COMM_WORLD, N, D, nloc, X, ntrain, t, &A));
  }

  PetscCall(MatGetOwnershipRange(A, &rs, &re));
  for (PetscInt i = rs; i < re; i++) {
    PetscInt        n;
    const PetscInt *cols;
    PetscCall(MatGetRow(A, i, &n, &cols, NULL));
    for (PetscInt j = 0; j < n; j++) edges += cols[j] != i;
    PetscCall(MatRestoreRow(A, i, &n, &cols, NULL));
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &edges, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(MatNorm(A, NORM_FROBENIUS, &fro));
  PetscCall(MatCreateVecs(A, &v, NULL));
  PetscCall(MatGetDiagonal(A, v));
  PetscCall(VecSum(v, &trace));
  PetscCall(MatGetRowSum(A, v));
  PetscCall(VecShift(v, -1.0));
  PetscCall(VecNorm(v, NORM_INFINITY, &dev));

  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "%" PetscInt_FMT " samples, %" PetscInt_FMT " features, k = %" PetscInt_FMT "\n", N, D, k));
  fails += Check("threshold", t, ref_t, rtol);
  fails += Check("edges", (PetscReal)edges, ref_edges, 0.0);
  fails += Check("sum of squares", fro * fro, ref_ss, rtol);
  fails += Check("trace", trace, ref_trace, rtol);
  PetscCall(
    PetscPrintf(PETSC_COMM_WORLD, "largest |row sum - 1|: %.2e %s\n", (double)dev, dev <= 1e-14 ? "ok" : "FAIL"));
  fails += dev > 1e-14;

  PetscCall(VecDestroy(&v));
  PetscCall(MatDestroy(&A));
  PetscCall(PetscFree(X));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
