/* Resuming a screen (-screen_resume): what makes a screen the same one is its
   fingerprint, the options that decide its conditions and numbers (sorted; not the
   output, progress or commit options) and a checksum of each input file, stored in
   the results file when it is made. A resumed run must match it; the first
   difference is named. Units listed in the journal, whose rows the file holds with
   a status, are done; the others run again (their rows are rewritten, identically). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "screenimpl.h"

/* options that do not change a screen's results */
static PetscBool Ignored(const char name[])
{
  static const char *const skip[] = {"-o",
                                     "-screen_resume",
                                     "-screen_csv",
                                     "-screen_progress",
                                     "-screen_commit_interval",
                                     "-screen_view",
                                     "-perturb_view",
                                     "-model_view",
                                     "-screen_slice",
                                     "-screen_merge",
                                     "-log_view",
                                     "-options_left",
                                     "-help",
                                     NULL};
  static const char *const keep[] = {"-model_", "-perturb_", "-screen_", "-ensemble_", NULL};
  PetscBool                ours   = PETSC_FALSE;

  for (int i = 0; skip[i]; i++)
    if (!strcmp(name, skip[i])) return PETSC_TRUE;
  for (int i = 0; keep[i]; i++)
    if (!strncmp(name, keep[i], strlen(keep[i]))) ours = PETSC_TRUE;
  return (PetscBool)!ours;
}

/* FNV-1a of a file's bytes */
static PetscErrorCode Checksum(const char path[], unsigned long long *h)
{
  FILE *fp = fopen(path, "rb");
  int   c;

  PetscFunctionBegin;
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open", path);
  *h = 1469598103934665603ULL;
  while ((c = fgetc(fp)) != EOF) *h = (*h ^ (unsigned long long)(unsigned char)c) * 1099511628211ULL;
  fclose(fp);
  PetscFunctionReturn(0);
}

typedef struct {
  char *name, *value;
} GepOpt;

static int CompareOpt(const void *a, const void *b)
{
  return strcmp(((const GepOpt *)a)->name, ((const GepOpt *)b)->name);
}

/* "-name value" lines, sorted by name */
PetscErrorCode GepScreenFingerprint(GepScreen s, char **fp)
{
  char              *all, *save, *tok, *next, line[PETSC_MAX_PATH_LEN + 64];
  GepOpt            *o   = NULL;
  PetscInt           n   = 0;
  size_t             len = 1;
  const char        *files[4], *model;
  unsigned long long h;

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetAll(NULL, &all));
  for (tok = strtok_r(all, " ", &save); tok; tok = next) {
    next = strtok_r(NULL, " ", &save);
    if (tok[0] != '-' || !isalpha((unsigned char)tok[1])) continue;
    PetscCall(PetscRealloc(sizeof(GepOpt) * (size_t)(n + 1), &o));
    o[n].name  = tok;
    o[n].value = "";
    if (next && !(next[0] == '-' && isalpha((unsigned char)next[1]))) {
      o[n].value = next;
      next       = strtok_r(NULL, " ", &save);
    }
    if (!Ignored(o[n].name)) n++;
  }
  qsort(o, (size_t)n, sizeof(GepOpt), CompareOpt);
  for (PetscInt i = 0; i < n; i++) len += strlen(o[i].name) + strlen(o[i].value) + 2;
  PetscCall(GepModelGetFile(s->model, &model));
  files[0] = model;
  PetscCall(GepPerturbationGetFiles(s->pert, &files[1], &files[2], &files[3]));
  PetscCall(PetscMalloc1(len + 4 * sizeof(line), fp));
  (*fp)[0] = 0;
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(PetscSNPrintf(line, sizeof(line), "%s %s\n", o[i].name, o[i].value));
    PetscCall(PetscStrlcat(*fp, line, len + 4 * sizeof(line)));
  }
  for (int i = 0; i < 4; i++) {
    if (!files[i]) continue;
    PetscCall(Checksum(files[i], &h));
    PetscCall(PetscSNPrintf(line, sizeof(line), "file:%s %016llx\n", files[i], h));
    PetscCall(PetscStrlcat(*fp, line, len + 4 * sizeof(line)));
  }
  PetscCall(PetscFree(o));
  PetscCall(PetscFree(all));
  PetscFunctionReturn(0);
}

/* the value of name in a fingerprint, or NULL */
static const char *Lookup(const char *fp, const char *name, size_t n, size_t *vlen)
{
  for (const char *p = fp; p && *p;) {
    const char *nl = strchr(p, '\n'), *sp = strchr(p, ' ');
    if (!nl) break;
    if (sp && sp < nl && (size_t)(sp - p) == n && !strncmp(p, name, n)) {
      *vlen = (size_t)(nl - sp - 1);
      return sp + 1;
    }
    p = nl + 1;
  }
  return NULL;
}

/* the first line of a that b lacks or holds otherwise, as a message */
static PetscBool FirstDifference(const char *a, const char *b, PetscBool a_is_now, char msg[], size_t len)
{
  for (const char *p = a; p && *p;) {
    const char *nl = strchr(p, '\n'), *sp = strchr(p, ' '), *v;
    size_t      n, vl                     = 0;
    int         an, al;
    if (!nl || !sp || sp > nl) break;
    n  = (size_t)(sp - p);
    v  = Lookup(b, p, n, &vl);
    an = (int)n;
    al = (int)(nl - sp - 1);
    if (!v || vl != (size_t)al || strncmp(v, sp + 1, vl)) {
      if (!strncmp(p, "file:", 5) && v) snprintf(msg, len, "input file %.*s has changed since", an - 5, p + 5);
      else if (!v)
        snprintf(msg, len, "%.*s %.*s %s", an, p, al, sp + 1,
                 a_is_now ? "is given now, not then" : "was given then, not now");
      else snprintf(msg, len, "%.*s is %.*s now, it was %.*s", an, p, al, sp + 1, (int)vl, v);
      return PETSC_TRUE;
    }
    p = nl + 1;
  }
  return PETSC_FALSE;
}

PetscErrorCode GepScreenCheckFingerprint(const char what[], const char path[], const char stored[], const char now[])
{
  char msg[1024];

  PetscFunctionBegin;
  if (FirstDifference(now, stored, PETSC_TRUE, msg, sizeof(msg)) ||
      FirstDifference(stored, now, PETSC_FALSE, msg, sizeof(msg)))
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER, "%s: %s belongs to another screen: %s%s", what, path, msg,
            strcmp(what, "-screen_resume") ? "" : " (run without -screen_resume to start again)");
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadAll(hid_t file, const char name[], hid_t memtype, void *buf)
{
  hid_t ds;

  PetscFunctionBegin;
  GepCallHDF5Return(ds, H5Dopen2, (file, name, H5P_DEFAULT));
  GepCallHDF5(H5Dread, (ds, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf));
  GepCallHDF5(H5Dclose, (ds));
  PetscFunctionReturn(0);
}

/* a results file of this screen: an HDF5 file with the datasets, made with the same fingerprint */
PetscErrorCode GepScreenOpenResults(GepScreen s, const char path[], unsigned flags, const char what[],
                                    const char fingerprint[], hid_t *file)
{
  static const char *const need[] = {"/screen/readouts", "/screen/status", "/screen/reason", "/screen/wall_time"};
  hid_t                    a, t;
  char                    *stored;
  size_t                   n;
  PetscErrorCode           ierr;

  PetscFunctionBegin;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  PetscCheck(H5Fis_hdf5(path) > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: %s is not an HDF5 file", what,
             path);
  *file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT); /* read-only until it is known to be this screen's */
  PetscCheck(*file >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open %s", what, path);
  a = H5Aexists(*file, "screen_fingerprint") > 0 ? H5Aopen(*file, "screen_fingerprint", H5P_DEFAULT) : -1;
  PetscCheck(a >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: %s is not a screen's results file", what, path);
  for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
    PetscCheck(H5Lexists(*file, need[i], H5P_DEFAULT) > 0 || !strcmp(need[i], "/screen"), PETSC_COMM_SELF,
               PETSC_ERR_FILE_UNEXPECTED, "%s: %s has no %s", what, path, need[i]);
  GepCallHDF5Return(t, H5Aget_type, (a));
  n = H5Tget_size(t);
  PetscCall(PetscCalloc1(n + 1, &stored));
  GepCallHDF5(H5Aread, (a, t, stored));
  GepCallHDF5(H5Tclose, (t));
  GepCallHDF5(H5Aclose, (a));
  ierr = GepScreenCheckFingerprint(what, path, stored, fingerprint);
  PetscCall(PetscFree(stored));
  if (ierr) (void)H5Fclose(*file); /* untouched: a refused file stays as it was */
  PetscCall(ierr);
  if (flags != H5F_ACC_RDONLY) {
    GepCallHDF5(H5Fclose, (*file));
    *file = H5Fopen(path, flags, H5P_DEFAULT);
    PetscCheck(*file >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open %s to write", what, path);
  }
  (void)s;
  PetscFunctionReturn(0);
}

/* every row of a results file into the screen's table (rank 0's arrays); reasons kept of the rows kept */
PetscErrorCode GepScreenReadRows(GepScreen s, hid_t file, PetscInt status[], PetscInt ss[], PetscReal table[],
                                 PetscReal wall[], char ***reason)
{
  long long *ibuf;
  char      *text;
  hid_t      t;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(s->N, &ibuf, (size_t)s->N * GEP_REASON_LEN, &text));
  PetscCall(ReadAll(file, "/screen/status", H5T_NATIVE_LLONG, ibuf));
  for (PetscInt c = 0; c < s->N; c++) status[c] = (PetscInt)ibuf[c];
  for (PetscInt c = 0; c < s->N; c++) ss[c] = 0;
  if (s->has_ss) {
    PetscCall(ReadAll(file, "/screen/ss_reached", H5T_NATIVE_LLONG, ibuf));
    for (PetscInt c = 0; c < s->N; c++) ss[c] = (PetscInt)ibuf[c];
  }
  PetscCall(ReadAll(file, "/screen/readouts", H5T_NATIVE_DOUBLE, table));
  PetscCall(ReadAll(file, "/screen/wall_time", H5T_NATIVE_DOUBLE, wall));
  PetscCall(GepScreenStringType(GEP_REASON_LEN, &t));
  PetscCall(ReadAll(file, "/screen/reason", t, text));
  GepCallHDF5(H5Tclose, (t));
  PetscCall(PetscCalloc1(s->N + 1, reason));
  for (PetscInt c = 0; c < s->N; c++) {
    text[(size_t)c * GEP_REASON_LEN + GEP_REASON_LEN - 1] = 0;
    if (text[(size_t)c * GEP_REASON_LEN]) PetscCall(PetscStrallocpy(text + (size_t)c * GEP_REASON_LEN, &(*reason)[c]));
  }
  PetscCall(PetscFree2(ibuf, text));
  PetscFunctionReturn(0);
}

/* the units the journal lists whose rows all have a status */
static PetscErrorCode ReadJournal(GepScreen s, GepWriter *w)
{
  FILE  *fp   = fopen(w->journal_path, "r");
  char  *line = NULL;
  size_t cap  = 0;

  PetscFunctionBegin;
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "-screen_resume: cannot read %s", w->journal_path);
  for (ssize_t len; (len = getline(&line, &cap, fp)) > 0;) {
    long long u;
    char     *end;
    PetscBool whole = PETSC_TRUE;
    if (line[0] == '#' || line[len - 1] != '\n') continue; /* a comment, or a line cut by the kill */
    u = strtoll(line, &end, 10);
    if (end == line || u < 0 || u >= s->nunit) continue;
    for (PetscInt c = (PetscInt)u * s->unit; c < PetscMin(((PetscInt)u + 1) * s->unit, s->N); c++)
      if (!s->status[c]) whole = PETSC_FALSE;
    if (whole) s->unit_done[u] = PETSC_TRUE;
  }
  free(line);
  fclose(fp);
  PetscFunctionReturn(0);
}

static PetscErrorCode OpenDataset(GepWriter *w, const char name[], hid_t *ds)
{
  PetscFunctionBegin;
  GepCallHDF5Return(*ds, H5Dopen2, (w->file, name, H5P_DEFAULT));
  PetscFunctionReturn(0);
}

/* a results file made by an earlier run of the same screen: its done units kept, the others cleared */
PetscErrorCode GepScreenReopen(GepScreen s, GepWriter *w, const char fingerprint[])
{
  char **reason;

  PetscFunctionBegin;
  PetscCall(GepScreenOpenResults(s, w->part, H5F_ACC_RDWR, "-screen_resume", fingerprint, &w->file));
  PetscCall(OpenDataset(w, "/screen/readouts", &w->readouts));
  PetscCall(OpenDataset(w, "/screen/status", &w->status));
  PetscCall(OpenDataset(w, "/screen/reason", &w->reason));
  PetscCall(OpenDataset(w, "/screen/wall_time", &w->wall));
  w->ss = -1;
  if (s->has_ss) PetscCall(OpenDataset(w, "/screen/ss_reached", &w->ss));
  PetscCall(GepScreenReadRows(s, w->file, s->status, s->ss_reached, s->table, s->wall, &reason));
  PetscCall(ReadJournal(s, w));
  for (PetscInt c = 0; c < s->N; c++) {
    if (s->unit_done[c / s->unit]) s->reason[c] = reason[c];
    else { /* to be run again */ PetscCall(PetscFree(reason[c]));
      for (PetscInt j = 0; j < s->nread; j++) s->table[c * s->nread + j] = (PetscReal)NAN;
      s->wall[c]       = (PetscReal)NAN;
      s->status[c]     = 0;
      s->ss_reached[c] = 0;
    }
  }
  PetscCall(PetscFree(reason));
  PetscFunctionReturn(0);
}
