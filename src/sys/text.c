/* Delimited text: one line of a file without its line end, and a line split
   in place into fields. Shared by the omics tables, the GNN's data files and
   edge lists. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "gepsys.h"

/* the one policy of every numeric data file: an empty field, NA, NaN or NULL (any case) is a missing value
   (NaN), anything else must be a finite number */
PetscErrorCode GepParseValue(const char path[], PetscInt line, PetscInt column, const char *s, PetscReal *x)
{
  char  *end;
  size_t n;

  PetscFunctionBegin;
  while (isspace((unsigned char)*s)) s++;
  n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) n--;
  if (!n || (n == 2 && !strncasecmp(s, "NA", 2)) || (n == 3 && !strncasecmp(s, "NaN", 3)) ||
      (n == 4 && !strncasecmp(s, "NULL", 4))) {
    *x = (PetscReal)NAN;
    PetscFunctionReturn(0);
  }
  *x = strtod(s, &end);
  PetscCheck(end == s + n && !PetscIsNanReal(*x), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s:%" PetscInt_FMT ": column %" PetscInt_FMT ": '%.*s' is not a number", path, line, column, (int)n, s);
  PetscCheck(!PetscIsInfReal(*x), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s:%" PetscInt_FMT ": column %" PetscInt_FMT ": '%.*s' is infinite (only finite values or NA)", path,
             line, column, (int)n, s);
  PetscFunctionReturn(0);
}

/* split one line into fields (quotes stripped); returns the number of fields */
PetscErrorCode GepSplitLine(char *line, char delim, char ***fields, PetscInt *n, PetscInt *cap)
{
  char *p = line;

  PetscFunctionBegin;
  *n = 0;
  for (;;) {
    char *start, *end;

    if (*n == *cap) {
      *cap = 2 * *cap + 16;
      PetscCall(PetscRealloc(sizeof(char *) * (size_t)*cap, fields));
    }
    if (*p == '"') {
      start = ++p;
      while (*p && *p != '"') p++;
      end = p;
      if (*p == '"') p++;
      while (*p && *p != delim) p++;
    } else {
      start = p;
      while (*p && *p != delim) p++;
      end = p;
    }
    (*fields)[(*n)++] = start;
    if (!*p) {
      *end = 0;
      break;
    }
    p++;
    *end = 0;
  }
  PetscFunctionReturn(0);
}

typedef struct {
  const char *name;
  PetscInt    index;
} IndexedName;

static int CompareIndexedNames(const void *pa, const void *pb)
{
  const IndexedName *a = (const IndexedName *)pa, *b = (const IndexedName *)pb;
  int                c = strcmp(a->name, b->name);
  return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* n names that must differ (sorted, not compared pairwise: tables have 10^4 features);
   a repeat is an error naming the file and both places, as "WHERE first + index" */
PetscErrorCode GepCheckUniqueNames(const char file[], const char what[], const char where[], PetscInt first, PetscInt n,
                                   const char *const names[])
{
  IndexedName *s;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n + 1, &s));
  for (PetscInt i = 0; i < n; i++) s[i] = (IndexedName){names[i], i};
  qsort(s, (size_t)n, sizeof(IndexedName), CompareIndexedNames);
  for (PetscInt i = 1; i < n; i++) {
    if (strcmp(s[i - 1].name, s[i].name)) continue;
    const char *name = s[i].name;
    PetscInt    a = s[i - 1].index + first, b = s[i].index + first;
    PetscCall(PetscFree(s));
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
            "%s: %s '%s' appears twice (%s %" PetscInt_FMT " and %" PetscInt_FMT ")", file, what, name, where, a, b);
  }
  PetscCall(PetscFree(s));
  PetscFunctionReturn(0);
}

/* every non-empty line of path, without surrounding blanks and quotes */
PetscErrorCode GepReadNameList(const char what[], const char path[], PetscInt *n, char ***names)
{
  FILE    *fp;
  char    *line = NULL;
  size_t   cap  = 0;
  PetscInt ncap = 0;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable(what, path));
  fp = fopen(path, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s %s: cannot open", what, path);
  *n     = 0;
  *names = NULL;
  while (GepGetLine(fp, &line, &cap) >= 0) {
    char  *t = line;
    size_t len;

    while (*t == ' ' || *t == '\t' || *t == '"') t++;
    len = strlen(t);
    while (len && (t[len - 1] == ' ' || t[len - 1] == '\t' || t[len - 1] == '"')) t[--len] = 0;
    if (!len) continue;
    if (*n + 1 >= ncap) {
      ncap = 2 * ncap + 64;
      PetscCall(PetscRealloc(sizeof(char *) * (size_t)ncap, names));
    }
    PetscCall(PetscStrallocpy(t, &(*names)[(*n)++]));
    (*names)[*n] = NULL;
  }
  free(line);
  fclose(fp);
  PetscCheck(*n > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s %s: the file is empty", what, path);
  PetscFunctionReturn(0);
}
