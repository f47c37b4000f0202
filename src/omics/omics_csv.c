/* GepOmics from delimited text: one matrix per view (CSV or TSV, features x
   samples by default, or samples x features), with a header of sample (or
   feature) ids and a first column of names; NA, NaN or an empty field is a
   missing value (GepParseValue). Samples are aligned across views by id; a sample absent from a
   view is missing that whole view. Every rank parses the files and keeps its rows. */
#include <stdlib.h>
#include <string.h>
#include "omicsimpl.h"

typedef struct {
  PetscInt   nr, nc; /* data rows and columns (without names) */
  char     **rnames, **cnames;
  PetscReal *val; /* nr x nc */
} Table;

static PetscErrorCode ReadTable(const char path[], Table *t)
{
  FILE    *fp;
  char    *line = NULL, **f = NULL;
  size_t   cap = 0;
  ssize_t  len;
  PetscInt n, fcap = 0, lineno = 0, rcap = 0;
  char     delim;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(t, sizeof(*t)));
  PetscCall(GepCheckFileReadable("omics table", path));
  fp = fopen(path, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open", path);
  len = GepGetLine(fp, &line, &cap);
  PetscCheck(len >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: empty file", path);
  delim  = strchr(line, '\t') ? '\t' : ',';
  lineno = 1;
  PetscCall(GepSplitLine(line, delim, &f, &n, &fcap));
  /* a header either names the first column too (n = columns + 1) or not */
  t->nc = n - 1;
  PetscCheck(t->nc >= 1, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: the header has no columns", path);
  PetscCall(PetscMalloc1(t->nc, &t->cnames));
  for (PetscInt j = 0; j < t->nc; j++) PetscCall(PetscStrallocpy(f[j + 1], &t->cnames[j]));
  while ((len = GepGetLine(fp, &line, &cap)) >= 0) {
    lineno++;
    if (!len) continue;
    PetscCall(GepSplitLine(line, delim, &f, &n, &fcap));
    PetscCheck(n == t->nc + 1, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s:%" PetscInt_FMT ": %" PetscInt_FMT " fields, the header has %" PetscInt_FMT " columns", path, lineno,
               n - 1, t->nc);
    if (t->nr == rcap) {
      rcap = 2 * rcap + 64;
      PetscCall(PetscRealloc(sizeof(char *) * (size_t)rcap, &t->rnames));
      PetscCall(PetscRealloc(sizeof(PetscReal) * (size_t)(rcap * t->nc), &t->val));
    }
    PetscCall(PetscStrallocpy(f[0], &t->rnames[t->nr]));
    for (PetscInt j = 0; j < t->nc; j++)
      PetscCall(GepParseValue(path, lineno, j + 2, f[j + 1], &t->val[t->nr * t->nc + j]));
    t->nr++;
  }
  free(line);
  PetscCall(PetscFree(f));
  fclose(fp);
  PetscCheck(t->nr >= 1, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: no data rows", path);
  PetscFunctionReturn(0);
}

static PetscErrorCode FreeTable(Table *t)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < t->nr; i++) PetscCall(PetscFree(t->rnames[i]));
  for (PetscInt j = 0; j < t->nc; j++) PetscCall(PetscFree(t->cnames[j]));
  PetscCall(PetscFree(t->rnames));
  PetscCall(PetscFree(t->cnames));
  PetscCall(PetscFree(t->val));
  PetscFunctionReturn(0);
}

static PetscInt Find(char **names, PetscInt n, const char *s)
{
  for (PetscInt i = 0; i < n; i++)
    if (!strcmp(names[i], s)) return i;
  return -1;
}

/* view m's table: its name, features and the samples not seen in earlier views (appended to the global order) */
static PetscErrorCode AddView(GepOmics o, PetscInt m, Table *t, PetscInt *cap)
{
  char   **snames = o->samples_in_rows ? t->rnames : t->cnames, **fnames = o->samples_in_rows ? t->cnames : t->rnames;
  PetscInt ns = o->samples_in_rows ? t->nr : t->nc, shared = 0;

  PetscFunctionBegin;
  o->D[m] = o->samples_in_rows ? t->nc : t->nr;
  if (m < o->nviewnames && o->viewnames[m][0]) PetscCall(PetscStrallocpy(o->viewnames[m], &o->views[m]));
  else {
    char buf[32];
    PetscCall(PetscSNPrintf(buf, sizeof(buf), "view_%" PetscInt_FMT, m));
    PetscCall(PetscStrallocpy(buf, &o->views[m]));
  }
  /* names in the header are counted by column (the names' column is 1), names in rows by data row */
  PetscCall(GepCheckUniqueNames(o->csv[m], "feature", o->samples_in_rows ? "columns" : "data rows",
                                o->samples_in_rows ? 2 : 1, o->D[m], (const char *const *)fnames));
  PetscCall(GepCheckUniqueNames(o->csv[m], "sample id", o->samples_in_rows ? "data rows" : "columns",
                                o->samples_in_rows ? 1 : 2, ns, (const char *const *)snames));
  PetscCall(PetscCalloc1(o->D[m] + 1, &o->features[m]));
  for (PetscInt d = 0; d < o->D[m]; d++) PetscCall(PetscStrallocpy(fnames[d], &o->features[m][d]));
  for (PetscInt i = 0; i < ns; i++) {
    if (Find(o->samples, o->N, snames[i]) >= 0) {
      shared++;
      continue;
    }
    if (o->N == *cap) {
      *cap = 2 * *cap + 64;
      PetscCall(PetscRealloc(sizeof(char *) * (size_t)(*cap + 1), &o->samples));
    }
    PetscCall(PetscStrallocpy(snames[i], &o->samples[o->N++]));
  }
  PetscCheck(m == 0 || shared > 0, o->comm, PETSC_ERR_FILE_UNEXPECTED,
             "%s: no sample id in common with %s (mismatched sample ids?)", o->csv[m], o->csv[0]);
  PetscFunctionReturn(0);
}

/* this rank's samples of view m from its table (NaN for a sample the view lacks) */
static PetscErrorCode TakeRows(GepOmics o, PetscInt m, const Table *t)
{
  PetscInt D      = o->D[m];
  char   **snames = o->samples_in_rows ? t->rnames : t->cnames;
  PetscInt ns     = o->samples_in_rows ? t->nr : t->nc;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(o->nloc * D + 1, &o->data[m]));
  for (PetscInt i = 0; i < o->nloc * D; i++) o->data[m][i] = (PetscReal)NAN;
  for (PetscInt n = 0; n < o->nloc; n++) {
    PetscInt j = Find(snames, ns, o->samples[o->first + n]);
    if (j < 0) continue;
    for (PetscInt d = 0; d < D; d++)
      o->data[m][n * D + d] = o->samples_in_rows ? t->val[j * t->nc + d] : t->val[d * t->nc + j];
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsReadCSV(GepOmics o)
{
  Table   *t;
  PetscInt cap = 0;

  PetscFunctionBegin;
  o->M = o->ncsv;
  o->G = 1;
  PetscCall(PetscMalloc1(o->M, &t));
  PetscCall(PetscCalloc1(o->M + 1, &o->views));
  PetscCall(PetscCalloc1(2, &o->groups));
  PetscCall(PetscStrallocpy("group_0", &o->groups[0]));
  PetscCall(PetscCalloc1(o->M, &o->D));
  PetscCall(PetscCalloc1(o->M, &o->features));
  o->N = 0;
  for (PetscInt m = 0; m < o->M; m++) {
    PetscCall(ReadTable(o->csv[m], &t[m]));
    PetscCall(AddView(o, m, &t[m], &cap));
  }
  o->samples[o->N] = NULL;
  PetscCall(PetscCalloc1(2, &o->gstart));
  o->gstart[1] = o->N;
  o->nloc      = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(o->comm, &o->nloc, &o->N));
  PetscCallMPI(MPI_Scan(&o->nloc, &o->first, 1, MPIU_INT, MPI_SUM, o->comm));
  o->first -= o->nloc;
  PetscCall(PetscCalloc1(o->nloc + 1, &o->sgroup));
  PetscCall(PetscCalloc1(o->M, &o->data));
  for (PetscInt m = 0; m < o->M; m++) {
    PetscCall(TakeRows(o, m, &t[m]));
    PetscCall(FreeTable(&t[m]));
  }
  PetscCall(PetscFree(t));
  PetscFunctionReturn(0);
}
