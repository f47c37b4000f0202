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

static int CompareNames(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the names sorted (perm: their node indices) for lookups by name */
typedef struct {
  PetscInt     n;
  const char **sorted;
  PetscInt    *perm;
} NameIndex;

static PetscErrorCode NameIndexCreate(const char path[], PetscInt n, const char *const names[], NameIndex *ix)
{
  PetscFunctionBegin;
  ix->n = n;
  PetscCall(PetscMalloc2(n + 1, &ix->sorted, n + 1, &ix->perm));
  for (PetscInt d = 0; d < n; d++) ix->perm[d] = d;
  PetscCall(
    PetscSortStrWithPermutation(n, (const char **)names, ix->perm)); /* the names stay; perm[q]: the q-th smallest */
  for (PetscInt q = 0; q < n; q++) ix->sorted[q] = names[ix->perm[q]];
  for (PetscInt d = 1; d < n; d++)
    PetscCheck(strcmp(ix->sorted[d - 1], ix->sorted[d]), PETSC_COMM_SELF, PETSC_ERR_USER,
               "edge list %s: the feature name '%s' appears twice among the view's features", path, ix->sorted[d]);
  PetscFunctionReturn(0);
}

static PetscErrorCode NameIndexDestroy(NameIndex *ix)
{
  PetscFunctionBegin;
  PetscCall(PetscFree2(ix->sorted, ix->perm));
  PetscFunctionReturn(0);
}

/* the node index of name, or -1 */
static PetscInt Lookup(const NameIndex *ix, const char *name)
{
  PetscInt lo = 0, hi = ix->n - 1;
  while (lo <= hi) {
    PetscInt mid = (lo + hi) / 2;
    int      c   = strcmp(ix->sorted[mid], name);
    if (!c) return ix->perm[mid];
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

/* An open edge list and its current edge: fields f[0..nf) of line lineno */
typedef struct {
  const char *path;
  FILE       *fp;
  char       *line, **f;
  size_t      cap;
  PetscInt    lineno, nf, fcap;
} EdgeReader;

static PetscErrorCode EdgeReaderOpen(const char path[], EdgeReader *r)
{
  PetscFunctionBegin;
  PetscCall(PetscMemzero(r, sizeof(*r)));
  r->path = path;
  PetscCall(GepCheckFileReadable("edge list", path));
  r->fp = fopen(path, "r");
  PetscCheck(r->fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "edge list %s: cannot open", path);
  PetscFunctionReturn(0);
}

/* the next edge (skipping blank and # lines); *more false at the end */
static PetscErrorCode EdgeReaderNext(EdgeReader *r, PetscBool *more)
{
  PetscFunctionBegin;
  *more = PETSC_FALSE;
  while (GepGetLine(r->fp, &r->line, &r->cap) >= 0) {
    r->lineno++;
    if (!r->line[0] || r->line[0] == '#') continue;
    PetscCall(GepSplitLine(r->line, strchr(r->line, '\t') ? '\t' : ',', &r->f, &r->nf, &r->fcap));
    PetscCheck(r->nf >= 2 && r->f[0][0] && r->f[1][0], PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "edge list %s, line %" PetscInt_FMT ": needs a source and a target", r->path, r->lineno);
    *more = PETSC_TRUE;
    break;
  }
  PetscFunctionReturn(0);
}

/* the next edge and the node indices of its ends (-1: not a node) */
static PetscErrorCode EdgeReaderNextNodes(EdgeReader *r, const NameIndex *ix, PetscBool *more, PetscInt *a, PetscInt *b)
{
  PetscFunctionBegin;
  PetscCall(EdgeReaderNext(r, more));
  if (!*more) PetscFunctionReturn(0);
  *a = Lookup(ix, r->f[0]);
  *b = Lookup(ix, r->f[1]);
  PetscFunctionReturn(0);
}

static PetscErrorCode EdgeReaderClose(EdgeReader *r)
{
  PetscFunctionBegin;
  free(r->line);
  if (r->fp) fclose(r->fp);
  PetscCall(PetscFree(r->f));
  PetscFunctionReturn(0);
}

/* the names that share an edge with a feature but are not features: sorted, unique */
static PetscErrorCode CollectNeighbours(const char path[], const NameIndex *ix, PetscInt *n, char ***added)
{
  EdgeReader r;
  PetscBool  more;
  PetscInt   cap = 0, m = 0;

  PetscFunctionBegin;
  *n     = 0;
  *added = NULL;
  PetscCall(EdgeReaderOpen(path, &r));
  while (1) {
    PetscInt a = -1, b = -1;
    PetscCall(EdgeReaderNextNodes(&r, ix, &more, &a, &b));
    if (!more) break;
    if ((a < 0) == (b < 0)) continue;
    if (*n + 1 >= cap) {
      cap = 2 * cap + 64;
      PetscCall(PetscRealloc(sizeof(char *) * (size_t)cap, added));
    }
    PetscCall(PetscStrallocpy(a < 0 ? r.f[0] : r.f[1], &(*added)[(*n)++]));
  }
  PetscCall(EdgeReaderClose(&r));
  if (!*n) PetscFunctionReturn(0);
  qsort(*added, (size_t)*n, sizeof(char *), CompareNames);
  for (PetscInt q = 0; q < *n; q++) { /* unique */
    if (m && !strcmp((*added)[m - 1], (*added)[q])) PetscCall(PetscFree((*added)[q]));
    else (*added)[m++] = (*added)[q];
  }
  *n          = m;
  (*added)[m] = NULL;
  PetscFunctionReturn(0);
}

/* the entries of the rows [rstart, rend) among the nodes of ix */
static PetscErrorCode ReadEntries(const char path[], const NameIndex *ix, const GepGraphEdgeOptions *opt,
                                  PetscInt rstart, PetscInt rend, Entry **ent, PetscInt *n, GepGraphEdgeStats *st)
{
  EdgeReader r;
  PetscBool  more;
  PetscInt   ncap = 0;
  PetscReal  w;

  PetscFunctionBegin;
  *n   = 0;
  *ent = NULL;
  PetscCall(EdgeReaderOpen(path, &r));
  while (1) {
    PetscInt a = -1, b = -1;

    PetscCall(EdgeReaderNextNodes(&r, ix, &more, &a, &b));
    if (!more) break;
    st->edges++;
    if (a < 0 || b < 0) {
      PetscCheck(!opt->strict, PETSC_COMM_SELF, PETSC_ERR_USER,
                 "edge list %s, line %" PetscInt_FMT
                 ": '%s' is not a node of the graph (strict: an edge naming an unknown gene is an error)",
                 path, r.lineno, a < 0 ? r.f[0] : r.f[1]);
      st->unknown++;
      continue;
    }
    if (a == b) {
      st->self++;
      continue;
    }
    w = Weight(r.nf > 2 ? r.f[2] : NULL, opt->sign);
    PetscCheck(!PetscIsInfOrNanReal(w), PETSC_COMM_SELF, PETSC_ERR_USER,
               "edge list %s, line %" PetscInt_FMT ": weight '%s' is not a finite number", path, r.lineno, r.f[2]);
    st->mapped++;
    for (PetscInt dir = 0; dir < (opt->undirected ? 2 : 1); dir++) {
      PetscInt i = dir ? b : a, j = dir ? a : b;
      if (i < rstart || i >= rend) continue;
      if (*n == ncap) {
        ncap = 2 * ncap + 1024;
        PetscCall(PetscRealloc(sizeof(Entry) * (size_t)ncap, ent));
      }
      (*ent)[*n].i     = i;
      (*ent)[*n].j     = j;
      (*ent)[(*n)++].w = w;
    }
  }
  PetscCall(EdgeReaderClose(&r));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGraphFromEdgeList(MPI_Comm comm, const char path[], PetscInt D, const char *const names[],
                                    const GepGraphEdgeOptions *opt, Mat *A, GepGraphEdgeStats *st)
{
  Entry     *ent = NULL;
  NameIndex  ix;
  PetscInt   n = 0, nloc = PETSC_DECIDE, rstart, *nnz, *cols, m = 0;
  PetscReal *vals, *rowsum;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(st, sizeof(*st)));
  PetscCall(NameIndexCreate(path, D, names, &ix));
  if (opt->add_neighbours) { /* the features, then the added neighbours */
    PetscInt     nadd;
    const char **all;
    PetscCall(CollectNeighbours(path, &ix, &nadd, &st->added));
    PetscCall(NameIndexDestroy(&ix));
    PetscCall(PetscMalloc1(D + nadd + 1, &all));
    for (PetscInt d = 0; d < D; d++) all[d] = names[d];
    for (PetscInt q = 0; q < nadd; q++) all[D + q] = st->added[q];
    PetscCall(NameIndexCreate(path, D + nadd, all, &ix));
    PetscCall(PetscFree(all));
    D += nadd;
  }
  st->nodes = D;
  PetscCall(PetscSplitOwnership(comm, &nloc, &D));
  PetscCallMPI(MPI_Scan(&nloc, &rstart, 1, MPIU_INT, MPI_SUM, comm));
  rstart -= nloc;
  PetscCall(ReadEntries(path, &ix, opt, rstart, rstart + nloc, &ent, &n, st));
  PetscCall(NameIndexDestroy(&ix));
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
  if (opt
        ->undirected) { /* every pair's weight averaged over both directions: symmetric, and D^-1/2 A D^-1/2 keeps it */
    PetscCall(MatSetOption(*A, MAT_SYMMETRIC, PETSC_TRUE));
    PetscCall(MatSetOption(*A, MAT_SYMMETRY_ETERNAL, PETSC_TRUE));
  }
  PetscCall(PetscFree2(cols, vals));
  PetscCall(PetscFree2(nnz, rowsum));
  PetscCall(PetscFree(ent));
  PetscFunctionReturn(0);
}
