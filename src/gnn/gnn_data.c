/* Readers of MOGONET's data layout: headerless numeric tables (samples x
   features, comma or tab separated), label files and feature-name files. Every
   rank reads the whole file (cohort-sized) and raises the same error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gnnimpl.h"

static char *Trim(char *s)
{
  size_t n;
  while (*s == ' ' || *s == '"') s++;
  n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '"')) s[--n] = 0;
  return s;
}

/* every non-empty line of path, trimmed */
static PetscErrorCode ReadLines(const char what[], const char path[], PetscInt *n, char ***lines)
{
  FILE    *fp;
  char    *line = NULL;
  size_t   cap  = 0;
  PetscInt nc   = 0;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable(what, path));
  fp = fopen(path, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s %s: cannot open", what, path);
  *n     = 0;
  *lines = NULL;
  while (getline(&line, &cap, fp) >= 0) {
    char *t = Trim(line);
    if (!*t) continue;
    if (*n + 1 >= nc) {
      nc = 2 * nc + 64;
      PetscCall(PetscRealloc(sizeof(char *) * (size_t)nc, lines));
    }
    PetscCall(PetscStrallocpy(t, &(*lines)[(*n)++]));
    (*lines)[*n] = NULL;
  }
  free(line);
  fclose(fp);
  PetscCheck(*n > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s %s: the file is empty", what, path);
  PetscFunctionReturn(0);
}

/* one number; NaN, infinities and text are errors */
static PetscErrorCode ParseNumber(const char what[], const char path[], PetscInt line, PetscInt col, const char *s,
                                  PetscReal *x)
{
  char *end;

  PetscFunctionBegin;
  *x = strtod(s, &end);
  while (*end == ' ') end++;
  PetscCheck(end != s && !*end, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s %s, line %" PetscInt_FMT ", column %" PetscInt_FMT ": '%s' is not a number", what, path, line, col, s);
  PetscCheck(!PetscIsNanReal(*x), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s %s, line %" PetscInt_FMT ", column %" PetscInt_FMT
             ": NaN is not allowed (impute missing values first)",
             what, path, line, col);
  PetscCheck(!PetscIsInfReal(*x), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s %s, line %" PetscInt_FMT ", column %" PetscInt_FMT ": an infinite value is not allowed", what, path,
             line, col);
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNReadTable(const char path[], PetscInt *N, PetscInt *D, PetscReal **X)
{
  char   **lines, **f = NULL, delim;
  PetscInt n, nf, fcap = 0;

  PetscFunctionBegin;
  PetscCall(ReadLines("data table", path, &n, &lines));
  delim = strchr(lines[0], '\t') ? '\t' : ',';
  *N    = n;
  *D    = 0;
  *X    = NULL;
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(GepSplitLine(lines[i], delim, &f, &nf, &fcap));
    if (i == 0) {
      *D = nf;
      PetscCall(PetscMalloc1(n * nf, X));
    }
    PetscCheck(nf <= *D, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "data table %s, line %" PetscInt_FMT ": more than the %" PetscInt_FMT " fields of line 1", path, i + 1,
               *D);
    for (PetscInt j = 0; j < nf; j++)
      PetscCall(ParseNumber("data table", path, i + 1, j + 1, Trim(f[j]), &(*X)[i * *D + j]));
    PetscCheck(nf == *D, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "data table %s, line %" PetscInt_FMT ": %" PetscInt_FMT " fields, line 1 has %" PetscInt_FMT, path,
               i + 1, nf, *D);
  }
  PetscCall(PetscFree(f));
  PetscCall(PetscStrArrayDestroy(&lines));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNReadLabels(const char path[], PetscInt *N, PetscInt **y)
{
  char **lines;

  PetscFunctionBegin;
  PetscCall(ReadLines("labels", path, N, &lines));
  PetscCall(PetscMalloc1(*N, y));
  for (PetscInt i = 0; i < *N; i++) {
    PetscReal x;
    PetscCall(ParseNumber("labels", path, i + 1, 1, lines[i], &x));
    PetscCheck(x >= 0 && x == PetscFloorReal(x) && x < PETSC_MAX_INT, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "labels %s, line %" PetscInt_FMT ": %s is not a class (an integer 0, 1, ...)", path, i + 1, lines[i]);
    (*y)[i] = (PetscInt)x;
  }
  PetscCall(PetscStrArrayDestroy(&lines));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNReadNames(const char path[], PetscInt *n, char ***names)
{
  PetscFunctionBegin;
  PetscCall(ReadLines("feature names", path, n, names));
  PetscFunctionReturn(0);
}
