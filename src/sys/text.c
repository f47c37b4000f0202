/* Delimited text: one line of a file without its line end, and a line split
   in place into fields. Shared by the omics tables, the GNN's data files and
   edge lists. */
#include <stdlib.h>
#include <string.h>
#include "gepsys.h"

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
