/* Sample metadata (for figures and checks): one column of a delimited table. */
#include <stdlib.h>
#include <string.h>
#include "omicsimpl.h"

PetscErrorCode GepOmicsReadMetadataColumn(GepOmics o, const char file[], const char column[], char ***values)
{
  FILE    *fp;
  char    *line = NULL, **f = NULL, delim;
  size_t   cap = 0;
  ssize_t  len;
  PetscInt n, fcap = 0, col = -1, ncol;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("metadata table", file));
  PetscCall(PetscCalloc1(o->N + 1, values));
  fp = fopen(file, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open", file);
  len = GepGetLine(fp, &line, &cap);
  PetscCheck(len >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: empty file", file);
  delim = strchr(line, '\t') ? '\t' : ',';
  PetscCall(GepSplitLine(line, delim, &f, &n, &fcap));
  for (PetscInt j = 1; j < n; j++)
    if (!strcmp(f[j], column)) col = j;
  PetscCheck(col > 0, PETSC_COMM_SELF, PETSC_ERR_USER, "%s: no column '%s' in the header", file, column);
  ncol = n;
  while ((len = GepGetLine(fp, &line, &cap)) >= 0) {
    PetscCall(GepSplitLine(line, delim, &f, &n, &fcap));
    if (n < ncol) continue;
    for (PetscInt i = 0; i < o->N; i++)
      if (!(*values)[i] && !strcmp(o->samples[i], f[0]))
        PetscCall(PetscStrallocpy(f[col][0] ? f[col] : "NA", &(*values)[i]));
  }
  free(line);
  PetscCall(PetscFree(f));
  fclose(fp);
  for (PetscInt i = 0; i < o->N; i++)
    if (!(*values)[i]) PetscCall(PetscStrallocpy("NA", &(*values)[i]));
  PetscFunctionReturn(0);
}
