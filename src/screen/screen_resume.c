/* Resuming a screen (-screen_resume): what makes a screen the same one is its
   fingerprint, the options that decide its conditions and numbers (sorted; not the
   output, progress or commit options) and a checksum of each input file, stored in
   the results file when it is made. A resumed run must match it; the first
   difference is named. Units listed in the journal, whose rows the file holds with
   a status, are done; the others run again (their rows are rewritten, identically). */
#include <ctype.h>
#include <hdf5.h>
#include <string.h>
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

PetscErrorCode GepScreenCheckFingerprint(const char path[], const char stored[], const char now[])
{
  char msg[1024];

  PetscFunctionBegin;
  if (FirstDifference(now, stored, PETSC_TRUE, msg, sizeof(msg)) ||
      FirstDifference(stored, now, PETSC_FALSE, msg, sizeof(msg)))
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER,
            "-screen_resume: %s belongs to another screen: %s (run without -screen_resume to start again)", path, msg);
  PetscFunctionReturn(0);
}
