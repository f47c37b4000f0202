/* Delimited text: one line of a file without its line end, and a line split
   in place into fields. Shared by the omics tables, the GNN's data files and
   edge lists. */
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
