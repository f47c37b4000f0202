/* GepOmics from headerless numeric tables (MOGONET's layout): one file per view, samples x features, comma or
   tab separated, no names. Samples are aligned across views by row (sample1, sample2, ...); feature names come
   from -omics_feature_names files (one per line) or are feature1, feature2, .... Values follow GepParseValue.
   No rank reads a whole table: each reads a byte range of the file with MPI-IO and parses the lines that start
   in it; the rows then move to the block distribution of the samples through a PetscSF. */
#include <stdlib.h>
#include <string.h>
#include <petscsf.h>
#include "omicsimpl.h"

/* the lines of one file that start in this rank's byte range */
typedef struct {
  MPI_Comm    comm;
  MPI_File    fh;
  const char *path;
  char       *text; /* NUL-terminated */
  size_t      len;
  PetscInt    line0;      /* lines of the file before the text */
  PetscInt    rows, row0; /* non-empty lines of the text; non-empty lines before it */
  PetscInt    D;          /* fields of the file's first row */
  char        delim;
  PetscReal  *val; /* rows x D */
} Slice;

static PetscErrorCode CheckIO(MPI_Comm comm, int err, const char call[], const char path[])
{
  char msg[MPI_MAX_ERROR_STRING];
  int  len;

  PetscFunctionBegin;
  if (err == MPI_SUCCESS) PetscFunctionReturn(0);
  if (MPI_Error_string(err, msg, &len) != MPI_SUCCESS) PetscCall(PetscStrncpy(msg, "MPI-IO error", sizeof(msg)));
  SETERRQ(comm, PETSC_ERR_FILE_READ, "omics table %s: %s: %s", path, call, msg);
}

/* n bytes at offset into buf, in pieces an int can count */
static PetscErrorCode ReadAt(MPI_File fh, const char path[], MPI_Offset offset, size_t n, char *buf)
{
  PetscFunctionBegin;
  while (n > 0) {
    int        piece = (int)PetscMin(n, (size_t)1 << 30), got;
    MPI_Status st;

    PetscCall(
      CheckIO(PETSC_COMM_SELF, MPI_File_read_at(fh, offset, buf, piece, MPI_CHAR, &st), "MPI_File_read_at", path));
    PetscCallMPI(MPI_Get_count(&st, MPI_CHAR, &got));
    PetscCheck(got > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "omics table %s: the file shrank while being read", path);
    offset += got;
    buf += got;
    n -= (size_t)got;
  }
  PetscFunctionReturn(0);
}

/* rank r owns the lines that start in [r size / P, (r + 1) size / P): it reads from one byte before (a line
   starts after a newline) and on past the range to the end of its last line */
static PetscErrorCode ReadOwnLines(void *ctx)
{
  Slice      *s  = (Slice *)ctx;
  MPI_File    fh = s->fh;
  PetscMPIInt rank, size;
  MPI_Offset  fsize, lo, hi, start, end;
  char       *buf;
  size_t      n, first = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(s->comm, &rank));
  PetscCallMPI(MPI_Comm_size(s->comm, &size));
  PetscCall(CheckIO(PETSC_COMM_SELF, MPI_File_get_size(fh, &fsize), "MPI_File_get_size", s->path));
  PetscCheck(fsize > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "omics table %s: the file is empty", s->path);
  start = (MPI_Offset)((double)fsize * rank / size);
  end   = rank == size - 1 ? fsize : (MPI_Offset)((double)fsize * (rank + 1) / size);
  lo    = start > 0 ? start - 1 : 0;
  n     = (size_t)(end - lo);
  PetscCall(PetscMalloc1(n + 1, &buf));
  PetscCall(ReadAt(fh, s->path, lo, n, buf));
  if (start > 0) { /* the first line starting in range: after the first newline at or after start - 1 */
    while (first < n && buf[first] != '\n') first++;
    first++;
  }
  if (lo + (MPI_Offset)first >= end) { /* no line starts here */
    s->len = 0;
    PetscCall(PetscMalloc1(1, &s->text));
    s->text[0] = 0;
    PetscCall(PetscFree(buf));
    PetscFunctionReturn(0);
  }
  hi = end;
  while (hi < fsize && buf[n - 1] != '\n') { /* the last line goes on past the range */
    size_t more = (size_t)PetscMin(fsize - hi, (MPI_Offset)65536);
    PetscCall(PetscRealloc(n + more + 1, &buf));
    PetscCall(ReadAt(fh, s->path, hi, more, buf + n));
    for (size_t k = n; k < n + more; k++)
      if (buf[k] == '\n') { /* the line ends here */
        more = k - n + 1;
        break;
      }
    n += more;
    hi += (MPI_Offset)more;
  }
  s->len = n - first;
  memmove(buf, buf + first, s->len); /* the text in place: no second copy of the range */
  buf[s->len] = 0;
  s->text     = buf;
  PetscFunctionReturn(0);
}

/* the next line of the text at *p (cut in place, without its line end), NULL at the end */
static char *NextLine(char **p, const char *end)
{
  char *line = *p, *q = *p;

  if (line >= end) return NULL;
  while (q < end && *q != '\n') q++;
  *p = q < end ? q + 1 : q;
  *q = 0;
  if (q > line && q[-1] == '\r') q[-1] = ' '; /* (not a second NUL: ParseRows walks the lines by their NULs) */
  return line;
}

static PetscBool IsBlank(const char *s)
{
  while (*s == ' ' || *s == '\t') s++;
  return *s ? PETSC_FALSE : PETSC_TRUE;
}

/* the first row's field count and delimiter, from the lowest rank that has a row */
static PetscErrorCode AgreeOnShape(Slice *s)
{
  char       *p = s->text, *line;
  PetscMPIInt rank, size, owner;
  PetscInt    lines = 0;
  char      **f     = NULL;
  PetscInt    fcap  = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(s->comm, &rank));
  PetscCallMPI(MPI_Comm_size(s->comm, &size));
  s->rows = 0;
  s->D    = 0;
  for (size_t k = 0; k < s->len; k++) lines += s->text[k] == '\n';
  if (s->len && s->text[s->len - 1] != '\n') lines++; /* the file's last line, without a newline */
  while ((line = NextLine(&p, s->text + s->len))) {
    if (IsBlank(line)) continue;
    if (!s->rows) { /* split a copy: ParseRows splits the line again */
      char *copy;
      s->delim = strchr(line, '\t') ? '\t' : ',';
      PetscCall(PetscStrallocpy(line, &copy));
      PetscCall(GepSplitLine(copy, s->delim, &f, &s->D, &fcap));
      PetscCall(PetscFree(copy));
    }
    s->rows++;
  }
  PetscCall(PetscFree(f));
  PetscCallMPI(MPI_Exscan(&lines, &s->line0, 1, MPIU_INT, MPI_SUM, s->comm));
  PetscCallMPI(MPI_Exscan(&s->rows, &s->row0, 1, MPIU_INT, MPI_SUM, s->comm));
  if (!rank) s->line0 = s->row0 = 0;
  owner = s->rows ? rank : size;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &owner, 1, MPI_INT, MPI_MIN, s->comm));
  PetscCheck(owner < size, s->comm, PETSC_ERR_FILE_UNEXPECTED, "omics table %s: no data rows", s->path);
  PetscCallMPI(MPI_Bcast(&s->D, 1, MPIU_INT, owner, s->comm));
  PetscCallMPI(MPI_Bcast(&s->delim, 1, MPI_CHAR, owner, s->comm));
  PetscFunctionReturn(0);
}

/* this rank's rows into numbers (NextLine left the text cut into NUL-terminated lines) */
static PetscErrorCode ParseRows(void *ctx)
{
  Slice   *s = (Slice *)ctx;
  char    *p = s->text, **f = NULL;
  PetscInt line = s->line0, row = 0, nf, fcap = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(s->rows * s->D + 1, &s->val));
  while (p < s->text + s->len) {
    char *l = p;
    p += strlen(l) + 1;
    line++;
    if (IsBlank(l)) continue;
    PetscCall(GepSplitLine(l, s->delim, &f, &nf, &fcap));
    PetscCheck(nf == s->D, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s:%" PetscInt_FMT ": %" PetscInt_FMT " fields, the first row has %" PetscInt_FMT, s->path, line, nf,
               s->D);
    for (PetscInt j = 0; j < nf; j++) PetscCall(GepParseValue(s->path, line, j + 1, f[j], &s->val[row * s->D + j]));
    row++;
  }
  PetscCall(PetscFree(f));
  PetscFunctionReturn(0);
}

/* rows [row0, row0 + rows) held here into the block rows [first, first + nloc) of out */
static PetscErrorCode Redistribute(Slice *s, PetscInt N, PetscInt first, PetscInt nloc, PetscReal *out)
{
  PetscSF      sf;
  PetscLayout  layout;
  PetscInt    *remote;
  MPI_Datatype row;
  PetscMPIInt  D;

  PetscFunctionBegin;
  PetscCall(PetscLayoutCreateFromSizes(s->comm, s->rows, N, 1, &layout));
  PetscCall(PetscMalloc1(nloc + 1, &remote));
  for (PetscInt i = 0; i < nloc; i++) remote[i] = first + i;
  PetscCall(PetscSFCreate(s->comm, &sf));
  PetscCall(PetscSFSetGraphLayout(sf, layout, nloc, NULL, PETSC_OWN_POINTER, remote));
  PetscCall(PetscMPIIntCast(s->D, &D));
  PetscCallMPI(MPI_Type_contiguous(D, MPIU_REAL, &row));
  PetscCallMPI(MPI_Type_commit(&row));
  PetscCall(PetscSFBcastBegin(sf, row, s->val, out, MPI_REPLACE));
  PetscCall(PetscSFBcastEnd(sf, row, s->val, out, MPI_REPLACE));
  PetscCallMPI(MPI_Type_free(&row));
  PetscCall(PetscSFDestroy(&sf));
  PetscCall(PetscLayoutDestroy(&layout));
  PetscCall(PetscFree(remote));
  PetscFunctionReturn(0);
}

/* view m's feature names: its names file, one per line, or feature1, feature2, ... */
static PetscErrorCode FeatureNames(GepOmics o, PetscInt m)
{
  char buf[32];

  PetscFunctionBegin;
  if (m < o->nfeatnames && o->featnames[m][0]) {
    PetscInt n;
    PetscCall(GepReadNameList("feature names", o->featnames[m], &n, &o->features[m]));
    PetscCheck(n == o->D[m], o->comm, PETSC_ERR_FILE_UNEXPECTED,
               "feature names %s: %" PetscInt_FMT " names for the %" PetscInt_FMT " features of %s", o->featnames[m], n,
               o->D[m], o->csv[m]);
    PetscCall(GepCheckUniqueNames(o->featnames[m], "feature name", "lines", 1, n, (const char *const *)o->features[m]));
    PetscFunctionReturn(0);
  }
  PetscCall(PetscCalloc1(o->D[m] + 1, &o->features[m]));
  for (PetscInt d = 0; d < o->D[m]; d++) {
    PetscCall(PetscSNPrintf(buf, sizeof(buf), "feature%" PetscInt_FMT, d + 1));
    PetscCall(PetscStrallocpy(buf, &o->features[m][d]));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadView(GepOmics o, PetscInt m)
{
  Slice    s = {o->comm, MPI_FILE_NULL, o->csv[m], NULL, 0, 0, 0, 0, 0, ',', NULL};
  PetscInt N;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("omics table", o->csv[m])); /* the same answer on every rank */
  PetscCall(CheckIO(o->comm, MPI_File_open(o->comm, o->csv[m], MPI_MODE_RDONLY, MPI_INFO_NULL, &s.fh), "MPI_File_open",
                    o->csv[m]));
  PetscCall(GepRunShared(o->comm, ReadOwnLines, &s));
  PetscCall(CheckIO(o->comm, MPI_File_close(&s.fh), "MPI_File_close", o->csv[m]));
  PetscCall(AgreeOnShape(&s));
  PetscCall(GepRunShared(o->comm, ParseRows, &s));
  PetscCall(PetscFree(s.text));
  PetscCallMPI(MPI_Allreduce(&s.rows, &N, 1, MPIU_INT, MPI_SUM, o->comm));
  if (m == 0) {
    o->N    = N;
    o->nloc = PETSC_DECIDE;
    PetscCall(PetscSplitOwnership(o->comm, &o->nloc, &o->N));
    PetscCallMPI(MPI_Scan(&o->nloc, &o->first, 1, MPIU_INT, MPI_SUM, o->comm));
    o->first -= o->nloc;
  }
  PetscCheck(N == o->N, o->comm, PETSC_ERR_FILE_UNEXPECTED,
             "omics table %s: %" PetscInt_FMT " rows, %s has %" PetscInt_FMT
             " (headerless tables align their samples by row)",
             o->csv[m], N, o->csv[0], o->N);
  o->D[m] = s.D;
  PetscCall(PetscMalloc1(o->nloc * s.D + 1, &o->data[m]));
  PetscCall(Redistribute(&s, o->N, o->first, o->nloc, o->data[m]));
  PetscCall(PetscFree(s.val));
  PetscCall(FeatureNames(o, m));
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsReadMatrix(GepOmics o)
{
  char buf[32];

  PetscFunctionBegin;
  o->M = o->ncsv;
  o->G = 1;
  PetscCall(PetscCalloc1(o->M + 1, &o->views));
  PetscCall(PetscCalloc1(2, &o->groups));
  PetscCall(PetscStrallocpy("group_0", &o->groups[0]));
  PetscCall(PetscCalloc1(o->M, &o->D));
  PetscCall(PetscCalloc1(o->M, &o->features));
  PetscCall(PetscCalloc1(o->M, &o->data));
  for (PetscInt m = 0; m < o->M; m++) {
    if (m < o->nviewnames && o->viewnames[m][0]) PetscCall(PetscStrallocpy(o->viewnames[m], &o->views[m]));
    else {
      PetscCall(PetscSNPrintf(buf, sizeof(buf), "view_%" PetscInt_FMT, m));
      PetscCall(PetscStrallocpy(buf, &o->views[m]));
    }
    PetscCall(ReadView(o, m));
  }
  PetscCall(PetscCalloc1(o->N + 1, &o->samples));
  for (PetscInt i = 0; i < o->N; i++) {
    PetscCall(PetscSNPrintf(buf, sizeof(buf), "sample%" PetscInt_FMT, i + 1));
    PetscCall(PetscStrallocpy(buf, &o->samples[i]));
  }
  PetscCall(PetscCalloc1(2, &o->gstart));
  o->gstart[1] = o->N;
  PetscCall(PetscCalloc1(o->nloc + 1, &o->sgroup));
  PetscFunctionReturn(0);
}
