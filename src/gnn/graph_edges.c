/* Knowledge graphs over the features of a view, from an edge list (TSV or
   CSV, no header: source, target, then an optional weight or mode; more
   columns ignored). Names are matched to the view's features; an edge naming
   another feature is counted (or an error, -strict). A numeric third column is
   the weight; "Activation" is +1, "Repression" -1 if signed (else +1), any
   other word +1. Repeated pairs are merged with their weights averaged.
   Undirected: each edge both ways. Self-loops from the file are dropped; the
   identity is added on request, then the symmetric normalisation
   D^-1/2 A D^-1/2 with D the row sums of |A| (Kipf and Welling's GCN). Every
   rank reads the file and keeps the entries of its rows (a contiguous block
   of the features). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gnnimpl.h"

typedef struct {
  PetscInt  i, j;
  PetscReal w;
} Entry;

static int CompareEntries(const void *a, const void *b)
{
  const Entry *x = (const Entry *)a, *y = (const Entry *)b;
  if (x->i != y->i) return x->i < y->i ? -1 : 1;
  if (x->j != y->j) return x->j < y->j ? -1 : 1;
  return 0;
}

/* index of name among the sorted names (perm: their feature indices), or -1 */
static PetscInt Lookup(PetscInt D, const char *const *sorted, const PetscInt *perm, const char *name)
{
  PetscInt lo = 0, hi = D - 1;
  while (lo <= hi) {
    PetscInt mid = (lo + hi) / 2;
    int      c   = strcmp(sorted[mid], name);
    if (!c) return perm[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

static PetscReal Weight(const char *s, PetscBool sign)
{
  char     *end;
  PetscReal w;

  if (!s || !*s) return 1.0;
  w = strtod(s, &end);
  if (end != s && !*end) return w;
  if (!strcmp(s, "Repression") && sign) return -1.0;
  return 1.0;
}

/* the entries of the rows [rstart, rend) */
static PetscErrorCode ReadEntries(const char path[], PetscInt D, const char *const names[], const GepGraphEdgeOptions *opt, PetscInt rstart, PetscInt rend, Entry **ent, PetscInt *n, GepGraphEdgeStats *st)
{
  FILE       *fp;
  char       *line = NULL, **f = NULL;
  size_t      cap  = 0;
  PetscInt    lineno = 0, ncap = 0, fcap = 0, *perm;
  const char **sorted;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(D, &sorted, D, &perm));
  for (PetscInt d = 0; d < D; d++) {
    sorted[d] = names[d];
    perm[d]   = d;
  }
  PetscCall(PetscSortStrWithPermutation(D, sorted, perm));
  for (PetscInt d = 1; d < D; d++) PetscCheck(strcmp(sorted[d - 1], sorted[d]), PETSC_COMM_SELF, PETSC_ERR_USER, "edge list %s: the feature name '%s' appears twice among the view's features", path, sorted[d]);
  PetscCall(GepCheckFileReadable("edge list", path));
  fp = fopen(path, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "edge list %s: cannot open", path);
  *n   = 0;
  *ent = NULL;
  while (GepGetLine(fp, &line, &cap) >= 0) {
    PetscInt nf, a, b;

    lineno++;
    if (!line[0] || line[0] == '#') continue;
    PetscCall(GepSplitLine(line, strchr(line, '\t') ? '\t' : ',', &f, &nf, &fcap));
    PetscCheck(nf >= 2 && f[0][0] && f[1][0], PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "edge list %s, line %" PetscInt_FMT ": needs a source and a target", path, lineno);
    st->edges++;
    a = Lookup(D, sorted, perm, f[0]);
    b = Lookup(D, sorted, perm, f[1]);
    if (a < 0 || b < 0) {
      PetscCheck(!opt->strict, PETSC_COMM_SELF, PETSC_ERR_USER, "edge list %s, line %" PetscInt_FMT ": '%s' is not a feature of the view (-strict)", path, lineno, a < 0 ? f[0] : f[1]);
      st->unknown++;
      continue;
    }
    if (a == b) {
      st->self++;
      continue;
    }
    st->mapped++;
    for (PetscInt dir = 0; dir < (opt->undirected ? 2 : 1); dir++) {
      PetscInt i = dir ? b : a, j = dir ? a : b;
      if (i < rstart || i >= rend) continue;
      if (*n == ncap) {
        ncap = 2 * ncap + 1024;
        PetscCall(PetscRealloc(sizeof(Entry) * (size_t)ncap, ent));
      }
      (*ent)[*n].i   = i;
      (*ent)[*n].j   = j;
      (*ent)[(*n)++].w = Weight(nf > 2 ? f[2] : NULL, opt->sign);
    }
  }
  free(line);
  fclose(fp);
  PetscCall(PetscFree(f));
  PetscCall(PetscFree2(sorted, perm));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGraphFromEdgeList(MPI_Comm comm, const char path[], PetscInt D, const char *const names[], const GepGraphEdgeOptions *opt, Mat *A, GepGraphEdgeStats *st)
{
  Entry    *ent = NULL;
  PetscInt  n = 0, nloc = PETSC_DECIDE, rstart, *nnz, *cols, m = 0;
  PetscReal *vals, *rowsum;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(st, sizeof(*st)));
  PetscCall(PetscSplitOwnership(comm, &nloc, &D));
  PetscCallMPI(MPI_Scan(&nloc, &rstart, 1, MPIU_INT, MPI_SUM, comm));
  rstart -= nloc;
  PetscCall(ReadEntries(path, D, names, opt, rstart, rstart + nloc, &ent, &n, st));
  if (n) qsort(ent, (size_t)n, sizeof(Entry), CompareEntries);
  for (PetscInt q = 0; q < n;) { /* merge repeated pairs: mean weight */
    PetscInt  r = q;
    PetscReal s = 0;
    while (r < n && ent[r].i == ent[q].i && ent[r].j == ent[q].j) s += ent[r++].w;
    ent[m]     = ent[q];
    ent[m++].w = s / (r - q);
    q          = r;
  }
  PetscCall(PetscCalloc2(nloc + 1, &nnz, nloc + 1, &rowsum));
  for (PetscInt q = 0; q < m; q++) {
    nnz[ent[q].i - rstart]++;
    rowsum[ent[q].i - rstart] += PetscAbsReal(ent[q].w);
  }
  for (PetscInt i = 0; i < nloc; i++) {
    if (opt->self_loops) {
      nnz[i]++;
      rowsum[i] += 1.0;
    }
  }
  PetscCall(MatCreate(comm, A));
  PetscCall(MatSetSizes(*A, nloc, nloc, D, D));
  PetscCall(MatSetType(*A, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocation(*A, 0, nnz));
  PetscCall(MatMPIAIJSetPreallocation(*A, 0, nnz, 0, nnz));
  PetscCall(MatSetOption(*A, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
  PetscCall(PetscMalloc2(D + 1, &cols, D + 1, &vals));
  for (PetscInt i = 0, q = 0; i < nloc; i++) {
    PetscInt row = rstart + i, k = 0;
    while (q < m && ent[q].i == row) {
      cols[k]   = ent[q].j;
      vals[k++] = ent[q++].w;
    }
    if (opt->self_loops) {
      cols[k]   = row;
      vals[k++] = 1.0;
    }
    if (k) PetscCall(MatSetValues(*A, 1, &row, k, cols, vals, INSERT_VALUES));
  }
  PetscCall(MatAssemblyBegin(*A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*A, MAT_FINAL_ASSEMBLY));
  if (opt->normalize) { /* D^-1/2 A D^-1/2: the row sums of |A| are the degrees */
    Vec          d;
    PetscScalar *da;
    PetscCall(MatCreateVecs(*A, &d, NULL));
    PetscCall(VecGetArray(d, &da));
    for (PetscInt i = 0; i < nloc; i++) da[i] = rowsum[i] > 0 ? 1.0 / PetscSqrtReal(rowsum[i]) : 0.0;
    PetscCall(VecRestoreArray(d, &da));
    PetscCall(MatDiagonalScale(*A, d, d));
    PetscCall(VecDestroy(&d));
  }
  PetscCall(PetscFree2(cols, vals));
  PetscCall(PetscFree2(nnz, rowsum));
  PetscCall(PetscFree(ent));
  PetscFunctionReturn(0);
}
