/* Knowledge graph from an edge list (GepGraphFromEdgeList) against a numpy
   reference (tests/ref/edge_graph.py): features from -names (one per line),
   edges from -edges (TSV); undirected, identity, symmetric normalisation;
   -sign: "Repression" -1; -strict: an unknown feature is an error; -add:
   names sharing an edge with a feature become nodes. Asserts the counts
   (-ref_edges, -ref_mapped, -ref_unknown, -ref_self, -ref_nonzeros, -ref_nodes)
   exactly and the sum, sum of squares and trace (-ref_sum, -ref_sumsq,
   -ref_trace) to relative 1e-12, and that the matrix is symmetric. */
#include "gepsim.h"
#include "gepgraph.h"
#include "gnnimpl.h"

static PetscInt CheckReal(const char *what, PetscReal ours, PetscReal ref)
{
  PetscBool good = (PetscBool)(PetscAbsReal(ours - ref) <= 1e-12 * PetscMax(1.0, PetscAbsReal(ref)));
  PetscCallAbort(PETSC_COMM_WORLD, PetscPrintf(PETSC_COMM_WORLD, "%s %.12e (reference %.12e) %s\n", what, (double)ours,
                                               (double)ref, good ? "ok" : "FAIL"));
  return good ? 0 : 1;
}

static PetscInt CheckInt(const char *what, PetscInt ours, PetscInt ref)
{
  PetscCallAbort(PETSC_COMM_WORLD,
                 PetscPrintf(PETSC_COMM_WORLD, "%s %" PetscInt_FMT " (reference %" PetscInt_FMT ") %s\n", what, ours,
                             ref, ours == ref ? "ok" : "FAIL"));
  return ours == ref ? 0 : 1;
}

int main(int argc, char **argv)
{
  char        namesf[PETSC_MAX_PATH_LEN] = "", edges[PETSC_MAX_PATH_LEN] = "";
  char      **names = NULL;
  PetscInt    D = 0, fails = 0, refi[6] = {0}, rstart, rend;
  PetscReal   refr[3] = {0}, sum = 0, sumsq = 0, trace = 0;
  const char *ni[6]       = {"-ref_edges", "-ref_mapped", "-ref_unknown", "-ref_self", "-ref_nonzeros", "-ref_nodes"},
             *nr[3]       = {"-ref_sum", "-ref_sumsq", "-ref_trace"};
  GepGraphEdgeOptions opt = {PETSC_FALSE, PETSC_TRUE, PETSC_FALSE, PETSC_TRUE, PETSC_TRUE, PETSC_FALSE};
  GepGraphEdgeStats   st;
  MatInfo             info;
  Mat                 A, At;
  PetscBool           symm;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-names", namesf, sizeof(namesf), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-edges", edges, sizeof(edges), NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-sign", &opt.sign, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-strict", &opt.strict, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-add", &opt.add_neighbours, NULL));
  for (PetscInt i = 0; i < 6; i++) PetscCall(PetscOptionsGetInt(NULL, NULL, ni[i], &refi[i], NULL));
  for (PetscInt i = 0; i < 3; i++) PetscCall(PetscOptionsGetReal(NULL, NULL, nr[i], &refr[i], NULL));
  PetscCall(GepReadNameList("feature names", namesf, &D, &names));
  PetscCall(GepGraphFromEdgeList(PETSC_COMM_WORLD, edges, D, (const char *const *)names, &opt, &A, &st));
  PetscCall(MatGetInfo(A, MAT_GLOBAL_SUM, &info));
  PetscCall(MatGetOwnershipRange(A, &rstart, &rend));
  for (PetscInt r = rstart; r < rend; r++) {
    PetscInt           nc;
    const PetscInt    *c;
    const PetscScalar *v;
    PetscCall(MatGetRow(A, r, &nc, &c, &v));
    for (PetscInt k = 0; k < nc; k++) {
      sum += v[k];
      sumsq += v[k] * v[k];
      if (c[k] == r) trace += v[k];
    }
    PetscCall(MatRestoreRow(A, r, &nc, &c, &v));
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &sumsq, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &trace, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  fails += CheckInt("edges read", st.edges, refi[0]);
  fails += CheckInt("edges mapped", st.mapped, refi[1]);
  fails += CheckInt("edges naming an unknown feature", st.unknown, refi[2]);
  fails += CheckInt("self-loops dropped", st.self, refi[3]);
  fails += CheckInt("stored entries", (PetscInt)info.nz_used, refi[4]);
  fails += CheckInt("nodes", st.nodes, refi[5] ? refi[5] : D);
  if (st.added) PetscCall(PetscStrArrayDestroy(&st.added));
  fails += CheckReal("sum", sum, refr[0]);
  fails += CheckReal("sum of squares", sumsq, refr[1]);
  fails += CheckReal("trace", trace, refr[2]);
  PetscCall(MatTranspose(A, MAT_INITIAL_MATRIX, &At));
  PetscCall(MatEqual(A, At, &symm));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "symmetric: %s\n", symm ? "ok" : "FAIL"));
  fails += !symm;
  PetscCall(MatDestroy(&At));
  PetscCall(MatDestroy(&A));
  PetscCall(PetscStrArrayDestroy(&names));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
