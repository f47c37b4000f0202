/* A synthetic knowledge-graph problem in MOGONET's layout, for gepsim train
   -gnn_model feature (the scaling benchmark, bench/gnn_feature.sh, and small
   tests): D genes g1..gD, E distinct undirected edges drawn uniformly at
   random (no self-loops), N samples of which a fraction -test_fraction are
   test samples. A sample's class is 1 when a hidden score, the mean over the
   graph neighbourhood of -signal_genes random genes of a latent program,
   exceeds its median; the expression of every gene is that program's value
   at the gene spread along the edges once, plus unit noise.
   Writes DIR/1_tr.csv, 1_te.csv (headerless, samples x genes), 1_featname.csv,
   labels_tr.csv, labels_te.csv, edges.tsv. Options: -dir DIR -genes D
   -edges E -samples N -test_fraction F -signal_genes S -seed SEED. */
#include <stdio.h>
#include "gepsim.h"

static PetscErrorCode Uniform(PetscRandom r, PetscInt n, PetscInt *v)
{
  PetscReal u;

  PetscFunctionBegin;
  PetscCall(PetscRandomGetValueReal(r, &u));
  *v = PetscMin((PetscInt)(u * n), n - 1);
  PetscFunctionReturn(0);
}

static int CompareEdge(const void *a, const void *b)
{
  const PetscInt *x = (const PetscInt *)a, *y = (const PetscInt *)b;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  if (x[1] != y[1]) return x[1] < y[1] ? -1 : 1;
  return 0;
}

static PetscErrorCode WriteTable(const char *path, PetscInt n, PetscInt D, const PetscReal *X, const PetscInt *rows)
{
  FILE *fp = fopen(path, "w");

  PetscFunctionBegin;
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open", path);
  for (PetscInt i = 0; i < n; i++)
    for (PetscInt d = 0; d < D; d++) fprintf(fp, "%.5g%c", (double)X[rows[i] * D + d], d + 1 < D ? ',' : '\n');
  PetscCheck(fclose(fp) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "%s: write failed", path);
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char        dir[PETSC_MAX_PATH_LEN] = ".", path[PETSC_MAX_PATH_LEN];
  PetscInt    D = 2000, E = 20000, N = 200, S = 50, seed = 1, *edges, ne = 0, *deg, *tr, *te, ntr = 0, nte = 0, *y;
  PetscReal   ftest = 0.3, *prog, *X, *score, *sorted, med;
  PetscRandom r;
  FILE       *fp;
  PetscMPIInt rank;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCheck(!rank, PETSC_COMM_WORLD, PETSC_ERR_ARG_WRONG, "run on one rank");
  PetscCall(PetscOptionsGetString(NULL, NULL, "-dir", dir, sizeof(dir), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-genes", &D, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-edges", &E, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-samples", &N, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-signal_genes", &S, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-seed", &seed, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-test_fraction", &ftest, NULL));
  PetscCheck(D >= 2 && E >= 1 && E <= D * (D - 1) / 4 && N >= 4 && S >= 1 && S <= D, PETSC_COMM_WORLD,
             PETSC_ERR_ARG_OUTOFRANGE,
             "need 2 <= genes, 1 <= edges <= genes (genes - 1) / 4, 4 <= samples, 1 <= signal_genes <= genes");
  PetscCall(GepRandomCreateSeeded(seed, &r));
  /* distinct edges i < j, uniform: draw E + E/4 + 16 pairs, sort, drop repeats (again while fewer than E), then keep a
     uniformly random E of them (keeping the first E in sorted order would favour low-numbered genes) */
  {
    PetscInt cap = E + E / 4 + 16, nu = 0;
    PetscCall(PetscMalloc1(2 * (cap + E + 16), &edges));
    while (nu < E) {
      for (PetscInt q = nu; q < nu + cap; q++) { /* cap new pairs after the nu distinct ones */
        PetscInt a = 0, b = 0;
        do {
          PetscCall(Uniform(r, D, &a));
          PetscCall(Uniform(r, D, &b));
        } while (a == b);
        edges[2 * q]     = PetscMin(a, b);
        edges[2 * q + 1] = PetscMax(a, b);
      }
      ne = nu + cap;
      qsort(edges, (size_t)ne, 2 * sizeof(PetscInt), CompareEdge);
      nu = 0;
      for (PetscInt q = 0; q < ne; q++)
        if (!nu || CompareEdge(&edges[2 * q], &edges[2 * (nu - 1)])) {
          edges[2 * nu]     = edges[2 * q];
          edges[2 * nu + 1] = edges[2 * q + 1];
          nu++;
        }
    }
    for (PetscInt q = 0; q < E; q++) { /* partial Fisher-Yates: a uniform E-subset in positions 0..E-1 */
      PetscInt k = 0, t;
      PetscCall(Uniform(r, nu - q, &k));
      k += q;
      for (PetscInt c = 0; c < 2; c++) {
        t                = edges[2 * q + c];
        edges[2 * q + c] = edges[2 * k + c];
        edges[2 * k + c] = t;
      }
    }
    ne = E;
  }
  /* latent program per sample and gene, spread once along the edges (mean with the neighbours) */
  PetscCall(PetscMalloc5(N * D, &prog, N * D, &X, D, &deg, N, &score, N, &sorted));
  for (PetscInt i = 0; i < N * D; i++) PetscCall(GepRandomNormal(r, &prog[i]));
  for (PetscInt d = 0; d < D; d++) deg[d] = 1;
  for (PetscInt q = 0; q < E; q++) deg[edges[2 * q]]++, deg[edges[2 * q + 1]]++;
  PetscCall(PetscArraycpy(X, prog, N * D));
  for (PetscInt i = 0; i < N; i++)
    for (PetscInt q = 0; q < E; q++) {
      PetscInt a = edges[2 * q], b = edges[2 * q + 1];
      X[i * D + a] += prog[i * D + b];
      X[i * D + b] += prog[i * D + a];
    }
  for (PetscInt i = 0; i < N * D; i++) X[i] /= deg[i % D];
  for (PetscInt i = 0; i < N; i++) { /* the score: the smoothed program on the first S genes */
    score[i] = 0;
    for (PetscInt d = 0; d < S; d++) score[i] += X[i * D + d];
  }
  for (PetscInt i = 0; i < N * D; i++) { /* plus noise */
    PetscReal e;
    PetscCall(GepRandomNormal(r, &e));
    X[i] += 0.5 * e;
  }
  PetscCall(PetscArraycpy(sorted, score, N));
  PetscCall(PetscSortReal(N, sorted));
  med = sorted[N / 2];
  PetscCall(PetscMalloc3(N, &y, N, &tr, N, &te));
  for (PetscInt i = 0; i < N; i++) {
    PetscReal u;
    y[i] = score[i] > med;
    PetscCall(PetscRandomGetValueReal(r, &u));
    if (u < ftest) te[nte++] = i;
    else tr[ntr++] = i;
  }
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/1_tr.csv", dir));
  PetscCall(WriteTable(path, ntr, D, X, tr));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/1_te.csv", dir));
  PetscCall(WriteTable(path, nte, D, X, te));
  for (PetscInt f = 0; f < 4; f++) {
    const char *names[4] = {"labels_tr.csv", "labels_te.csv", "1_featname.csv", "edges.tsv"};
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/%s", dir, names[f]));
    fp = fopen(path, "w");
    PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open", path);
    if (f == 0)
      for (PetscInt i = 0; i < ntr; i++) fprintf(fp, "%d\n", (int)y[tr[i]]);
    if (f == 1)
      for (PetscInt i = 0; i < nte; i++) fprintf(fp, "%d\n", (int)y[te[i]]);
    if (f == 2)
      for (PetscInt d = 0; d < D; d++) fprintf(fp, "g%d\n", (int)d + 1);
    if (f == 3)
      for (PetscInt q = 0; q < E; q++) fprintf(fp, "g%d\tg%d\n", (int)edges[2 * q] + 1, (int)edges[2 * q + 1] + 1);
    PetscCheck(fclose(fp) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "%s: write failed", path);
  }
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "%s: %d genes, %d edges, %d training and %d test samples\n", dir, (int)D,
                        (int)E, (int)ntr, (int)nte));
  PetscCall(PetscFree3(y, tr, te));
  PetscCall(PetscFree5(prog, X, deg, score, sorted));
  PetscCall(PetscFree(edges));
  PetscCall(PetscRandomDestroy(&r));
  PetscCall(PetscFinalize());
  return 0;
}
