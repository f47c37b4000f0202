/* GepOmics from the long format: one value per line, columns sample, feature,
   view, group (optional) and value, named in a header in any order (CSV or
   TSV). Views, groups, samples and features keep their order of first
   appearance; a (sample, view) pair never given is a missing view. */
#include <stdlib.h>
#include <string.h>
#include "omicsimpl.h"

typedef struct {
  PetscInt n, cap;
  char   **s;
} Names;

/* index of s in the list, appended if new */
static PetscErrorCode Intern(Names *l, const char *s, PetscInt *idx)
{
  PetscFunctionBegin;
  for (PetscInt i = l->n - 1; i >= 0; i--)
    if (!strcmp(l->s[i], s)) {
      *idx = i;
      PetscFunctionReturn(0);
    }
  if (l->n == l->cap) {
    l->cap = 2 * l->cap + 16;
    PetscCall(PetscRealloc(sizeof(char *) * (size_t)(l->cap + 1), &l->s));
  }
  PetscCall(PetscStrallocpy(s, &l->s[l->n]));
  *idx = l->n++;
  PetscFunctionReturn(0);
}

/* grow an array of name lists to at least need entries, the new ones empty */
static PetscErrorCode GrowLists(Names **arr, PetscInt *len, PetscInt need)
{
  PetscFunctionBegin;
  if (need <= *len) PetscFunctionReturn(0);
  PetscCall(PetscRealloc(sizeof(Names) * (size_t)need, arr));
  for (PetscInt i = *len; i < need; i++) (*arr)[i] = (Names){0, 0, NULL};
  *len = need;
  PetscFunctionReturn(0);
}

typedef struct {
  PetscInt  sample, feature, view, group, line;
  PetscReal value;
} Entry;

static int CompareEntries(const void *pa, const void *pb)
{
  const Entry *a = (const Entry *)pa, *b = (const Entry *)pb;
  if (a->view != b->view) return a->view < b->view ? -1 : 1;
  if (a->group != b->group) return a->group < b->group ? -1 : 1;
  if (a->sample != b->sample) return a->sample < b->sample ? -1 : 1;
  if (a->feature != b->feature) return a->feature < b->feature ? -1 : 1;
  return a->line < b->line ? -1 : (a->line > b->line);
}

/* a (sample, feature, view) given on two lines would keep one value silently */
static PetscErrorCode CheckDuplicates(const char file[], Entry e[], PetscInt ne, Names *views, Names *samples,
                                      Names *features)
{
  PetscFunctionBegin;
  qsort(e, (size_t)ne, sizeof(Entry), CompareEntries);
  for (PetscInt i = 1; i < ne; i++) {
    const Entry *a = &e[i - 1], *b = &e[i];
    PetscCheck(a->view != b->view || a->group != b->group || a->sample != b->sample || a->feature != b->feature,
               PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s:%" PetscInt_FMT ": sample %s, feature %s, view %s given twice (first on line %" PetscInt_FMT ")",
               file, b->line, samples[b->group].s[b->sample], features[b->view].s[b->feature], views->s[b->view],
               a->line);
  }
  PetscFunctionReturn(0);
}

/* The file's header (its column numbers) and its entries; names interned per view (features) and group (samples). */
static PetscErrorCode ReadEntries(const char file[], Names *views, Names *groups, Names **features, Names **samples,
                                  Entry **entries, PetscInt *nentries)
{
  FILE    *fp;
  char    *line = NULL, **f = NULL, delim;
  size_t   cap = 0;
  ssize_t  len;
  PetscInt n, fcap = 0, cs = -1, cf = -1, cv = -1, cg = -1, cx = -1, lineno = 1, ne = 0, necap = 0, nfl = 0, nsl = 0;
  Entry   *e = NULL;

  PetscFunctionBegin;
  fp = fopen(file, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s: cannot open", file);
  len = GepGetLine(fp, &line, &cap);
  PetscCheck(len >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: empty file", file);
  delim = strchr(line, '\t') ? '\t' : ',';
  PetscCall(GepSplitLine(line, delim, &f, &n, &fcap));
  for (PetscInt j = 0; j < n; j++) {
    if (!strcmp(f[j], "sample")) cs = j;
    if (!strcmp(f[j], "feature")) cf = j;
    if (!strcmp(f[j], "view")) cv = j;
    if (!strcmp(f[j], "group")) cg = j;
    if (!strcmp(f[j], "value")) cx = j;
  }
  PetscCheck(cs >= 0 && cf >= 0 && cv >= 0 && cx >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s: the header must name the columns sample, feature, view, value (and optionally group)", file);
  while ((len = GepGetLine(fp, &line, &cap)) >= 0) {
    Entry x;

    lineno++;
    if (!len) continue;
    x.line = lineno;
    PetscCall(GepSplitLine(line, delim, &f, &n, &fcap));
    PetscCheck(n > PetscMax(PetscMax(cs, cf), PetscMax(PetscMax(cv, cg), cx)), PETSC_COMM_SELF,
               PETSC_ERR_FILE_UNEXPECTED, "%s:%" PetscInt_FMT ": %" PetscInt_FMT " fields, too few", file, lineno, n);
    PetscCall(Intern(views, f[cv], &x.view));
    PetscCall(Intern(groups, cg >= 0 ? f[cg] : "group_0", &x.group));
    PetscCall(GrowLists(features, &nfl, views->n));
    PetscCall(GrowLists(samples, &nsl, groups->n));
    PetscCall(Intern(&(*features)[x.view], f[cf], &x.feature));
    PetscCall(Intern(&(*samples)[x.group], f[cs], &x.sample));
    PetscCall(GepParseValue(file, lineno, cx + 1, f[cx], &x.value));
    if (ne == necap) {
      necap = 2 * necap + 256;
      PetscCall(PetscRealloc(sizeof(Entry) * (size_t)necap, &e));
    }
    e[ne++] = x;
  }
  free(line);
  PetscCall(PetscFree(f));
  fclose(fp);
  PetscCheck(ne > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: no values", file);
  *entries  = e;
  *nentries = ne;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsReadLong(GepOmics o)
{
  PetscInt ne;
  Names    views = {0, 0, NULL}, groups = {0, 0, NULL}, *features = NULL, *samples = NULL; /* per view, per group */
  Entry   *e = NULL;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("omics long table", o->longfile));
  PetscCall(ReadEntries(o->longfile, &views, &groups, &features, &samples, &e, &ne));
  PetscCall(CheckDuplicates(o->longfile, e, ne, &views, samples, features));
  /* the dataset: groups in order, their samples in order */
  o->M      = views.n;
  o->G      = groups.n;
  o->views  = views.s;
  o->groups = groups.s;
  PetscCall(PetscRealloc(sizeof(char *) * (size_t)(o->M + 1), &o->views));
  PetscCall(PetscRealloc(sizeof(char *) * (size_t)(o->G + 1), &o->groups));
  o->views[o->M] = o->groups[o->G] = NULL;
  PetscCall(PetscCalloc1(o->M, &o->D));
  PetscCall(PetscCalloc1(o->M, &o->features));
  for (PetscInt m = 0; m < o->M; m++) {
    o->D[m] = features[m].n;
    PetscCall(PetscRealloc(sizeof(char *) * (size_t)(o->D[m] + 1), &features[m].s));
    features[m].s[o->D[m]] = NULL;
    o->features[m]         = features[m].s;
  }
  PetscCall(PetscCalloc1(o->G + 1, &o->gstart));
  for (PetscInt g = 0; g < o->G; g++) o->gstart[g + 1] = o->gstart[g] + samples[g].n;
  o->N = o->gstart[o->G];
  PetscCall(PetscCalloc1(o->N + 1, &o->samples));
  for (PetscInt g = 0; g < o->G; g++) {
    for (PetscInt i = 0; i < samples[g].n; i++) o->samples[o->gstart[g] + i] = samples[g].s[i];
    PetscCall(PetscFree(samples[g].s));
  }
  o->nloc = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(o->comm, &o->nloc, &o->N));
  PetscCallMPI(MPI_Scan(&o->nloc, &o->first, 1, MPIU_INT, MPI_SUM, o->comm));
  o->first -= o->nloc;
  PetscCall(PetscCalloc1(o->nloc + 1, &o->sgroup));
  for (PetscInt g = 0; g < o->G; g++)
    for (PetscInt i = PetscMax(o->gstart[g], o->first); i < PetscMin(o->gstart[g + 1], o->first + o->nloc); i++)
      o->sgroup[i - o->first] = g;
  PetscCall(PetscCalloc1(o->M, &o->data));
  for (PetscInt m = 0; m < o->M; m++) {
    PetscCall(PetscMalloc1(o->nloc * o->D[m] + 1, &o->data[m]));
    for (PetscInt i = 0; i < o->nloc * o->D[m]; i++) o->data[m][i] = (PetscReal)NAN;
  }
  for (PetscInt i = 0; i < ne; i++) {
    PetscInt s = o->gstart[e[i].group] + e[i].sample - o->first;
    if (s < 0 || s >= o->nloc) continue;
    o->data[e[i].view][s * o->D[e[i].view] + e[i].feature] = e[i].value;
  }
  PetscCall(PetscFree(features));
  PetscCall(PetscFree(samples));
  PetscCall(PetscFree(e));
  PetscFunctionReturn(0);
}
