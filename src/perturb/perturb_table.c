/* A small TSV table: a header that must name the expected columns in order (the
   last ones optional), then rows of fields with their line numbers. Blank lines
   and lines starting with # are left out. */
#include <string.h>
#include "perturbimpl.h"

static PetscErrorCode ReadAll(const char path[], char **text)
{
  FILE  *fp;
  long   size;
  size_t got;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("table", path));
  fp = fopen(path, "rb");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open", path);
  fseek(fp, 0, SEEK_END);
  size = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  if (size < 0) size = 0;
  if (PetscMalloc1((size_t)size + 1, text)) {
    fclose(fp);
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_MEM, "%s: cannot hold the file", path);
  }
  got = fread(*text, 1, (size_t)size, fp);
  fclose(fp);
  (*text)[got] = 0;
  PetscFunctionReturn(0);
}

/* fields of one line, cut in place at tabs; trailing blanks of each field removed */
static PetscErrorCode Split(char *line, char ***field, PetscInt *n)
{
  PetscInt cap = 0;
  char   **f   = NULL;

  PetscFunctionBegin;
  PetscCall(GepSplitLine(line, '\t', &f, n, &cap));
  for (PetscInt j = 0; j < *n; j++) {
    size_t len = strlen(f[j]);
    while (*f[j] == ' ') f[j]++, len--;
    while (len && f[j][len - 1] == ' ') f[j][--len] = 0;
  }
  *field = f;
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckHeader(const char path[], char *line, const char *const columns[], PetscInt nrequired,
                                  PetscInt ncolumns, PetscInt *ngiven)
{
  char   **f = NULL;
  PetscInt n;
  char     expect[256] = "";

  PetscFunctionBegin;
  for (PetscInt j = 0; j < ncolumns; j++) {
    PetscCall(PetscStrlcat(expect, j ? "<TAB>" : "", sizeof(expect)));
    PetscCall(PetscStrlcat(expect, j >= nrequired ? "[" : "", sizeof(expect)));
    PetscCall(PetscStrlcat(expect, columns[j], sizeof(expect)));
    PetscCall(PetscStrlcat(expect, j >= nrequired ? "]" : "", sizeof(expect)));
  }
  PetscCall(Split(line, &f, &n));
  *ngiven = n;
  for (PetscInt j = 0; j < n && j < ncolumns; j++)
    if (strcmp(f[j], columns[j])) *ngiven = -1;
  PetscCall(PetscFree(f));
  PetscCheck(*ngiven >= nrequired && *ngiven <= ncolumns, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s:1: the header must be %s (tab-separated)", path, expect);
  PetscFunctionReturn(0);
}

PetscErrorCode GepTableRead(const char path[], const char *const columns[], PetscInt nrequired, PetscInt ncolumns,
                            GepTable *t)
{
  char    *s, *next;
  PetscInt line = 0, cap = 0, ngiven = -1;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(t, sizeof(*t)));
  t->path = path;
  PetscCall(ReadAll(path, &t->text));
  for (s = t->text; s && *s; s = next) {
    size_t len;
    next = strchr(s, '\n');
    if (next) *next++ = 0;
    len = strlen(s);
    if (len && s[len - 1] == '\r') s[--len] = 0;
    line++;
    if (ngiven < 0 && line == 1) {
      PetscCall(CheckHeader(path, s, columns, nrequired, ncolumns, &ngiven));
      continue;
    }
    if (!len || s[0] == '#' || strspn(s, " \t") == len) continue;
    if (t->nrow == cap) {
      cap = 2 * cap + 16;
      PetscCall(PetscRealloc(sizeof(GepTableRow) * (size_t)cap, &t->row));
    }
    t->row[t->nrow].line = line;
    PetscCall(Split(s, &t->row[t->nrow].field, &t->row[t->nrow].nfield));
    t->nrow++;
    PetscCheck(t->row[t->nrow - 1].nfield <= ngiven && t->row[t->nrow - 1].nfield >= nrequired, PETSC_COMM_SELF,
               PETSC_ERR_FILE_UNEXPECTED,
               "%s:%" PetscInt_FMT ": %" PetscInt_FMT " fields, the header has %" PetscInt_FMT, path, line,
               t->row[t->nrow - 1].nfield, ngiven);
  }
  PetscCheck(line > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: empty (no header)", path);
  PetscFunctionReturn(0);
}

PetscErrorCode GepTableDestroy(GepTable *t)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < t->nrow; i++) PetscCall(PetscFree(t->row[i].field));
  PetscCall(PetscFree(t->row));
  PetscCall(PetscFree(t->text));
  PetscFunctionReturn(0);
}
