/* The conditions of a screen: genotypes (with generated knockouts) x environments x
   sweep points x replicates, and each condition's parameters: the model's values,
   the swept ones set, the genotype's and the environment's edits, then the
   replicate's factors. Condition c = ((g nenv + e) npoint + s) nrep + r. */
#include <stdlib.h>
#include <string.h>
#include "screenimpl.h"

/* -screen_sweep: comma-separated specs; a list's values continue after commas (k:list:1,2,3) */
static PetscErrorCode SplitSweeps(const char text[], PetscInt *n, char ***specs)
{
  char *copy, *save, *tok;

  PetscFunctionBegin;
  *n     = 0;
  *specs = NULL;
  PetscCall(PetscStrallocpy(text, &copy));
  for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    while (*tok == ' ') tok++;
    if (strchr(tok, ':') || !*n) {
      PetscCall(PetscRealloc(sizeof(char *) * (size_t)(*n + 1), specs));
      PetscCall(PetscStrallocpy(tok, &(*specs)[(*n)++]));
    } else { /* another value of the list before */
      size_t a = strlen((*specs)[*n - 1]), b = strlen(tok);
      PetscCall(PetscRealloc(a + b + 2, &(*specs)[*n - 1]));
      (*specs)[*n - 1][a] = ',';
      PetscCall(PetscStrncpy((*specs)[*n - 1] + a + 1, tok, b + 1));
    }
  }
  PetscCall(PetscFree(copy));
  PetscFunctionReturn(0);
}

static PetscErrorCode Number(const char spec[], const char *s, PetscReal *x, const char **end)
{
  char *e;

  PetscFunctionBegin;
  *x = strtod(s, &e);
  PetscCheck(e != s && !PetscIsInfOrNanReal(*x), PETSC_COMM_SELF, PETSC_ERR_USER,
             "-screen_sweep '%s': '%s' is not a number", spec, s);
  *end = e;
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseSweep(GepScreen s, const char spec[], GepSweep *w)
{
  const char *kind, *p = NULL, *file;
  char        name[256];
  PetscReal   lo, hi, n;
  size_t      len;

  PetscFunctionBegin;
  kind = strchr(spec, ':');
  PetscCheck(kind && kind != spec && (size_t)(kind - spec) < sizeof(name), PETSC_COMM_SELF, PETSC_ERR_USER,
             "-screen_sweep '%s': expected NAME:list:A,B,...|NAME:lin:LO:HI:N|NAME:log:LO:HI:N|NAME:lhs:LO:HI", spec);
  len = (size_t)(kind - spec);
  PetscCall(PetscStrncpy(name, spec, len + 1));
  PetscCall(PetscStrallocpy(name, &w->name));
  PetscCall(GepModelFindParameter(s->model, name, &w->param));
  PetscCall(GepModelGetFile(s->model, &file));
  PetscCheck(w->param >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_sweep '%s': unknown parameter '%s' (model %s)",
             spec, name, file);
  {
    PetscBool   editable;
    const char *why;
    PetscCall(GepModelGetParameterEditable(s->model, w->param, &editable, &why));
    PetscCheck(editable, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_sweep '%s': '%s' cannot be swept: %s in model %s",
               spec, name, why, file);
  }
  kind++;
  if (!strncmp(kind, "list:", 5)) {
    for (p = kind + 5;;) {
      PetscReal x;
      PetscCall(Number(spec, p, &x, &p));
      PetscCall(PetscRealloc(sizeof(PetscReal) * (size_t)(w->n + 1), &w->values));
      w->values[w->n++] = x;
      if (!*p) break;
      PetscCheck(*p == ',', PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_sweep '%s': a list is A,B,C", spec);
      p++;
    }
    PetscFunctionReturn(0);
  }
  PetscCheck(!strncmp(kind, "lin:", 4) || !strncmp(kind, "log:", 4) || !strncmp(kind, "lhs:", 4), PETSC_COMM_SELF,
             PETSC_ERR_USER, "-screen_sweep '%s': unknown kind (list, lin, log, lhs)", spec);
  PetscCall(Number(spec, kind + 4, &lo, &p));
  PetscCheck(*p == ':', PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_sweep '%s': expected %.3s:LO:HI%s", spec, kind,
             strncmp(kind, "lhs", 3) ? ":N" : "");
  PetscCall(Number(spec, p + 1, &hi, &p));
  PetscCheck(lo < hi, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_sweep '%s': LO must be below HI", spec);
  if (!strncmp(kind, "lhs:", 4)) {
    PetscCheck(!*p, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_sweep '%s': expected NAME:lhs:LO:HI", spec);
    w->lhs = PETSC_TRUE;
    w->lo  = lo;
    w->hi  = hi;
    PetscFunctionReturn(0);
  }
  PetscCheck(*p == ':', PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_sweep '%s': expected NAME:%.3s:LO:HI:N", spec, kind);
  PetscCall(Number(spec, p + 1, &n, &p));
  PetscCheck(!*p && n >= 2 && n == (PetscReal)(PetscInt)n, PETSC_COMM_SELF, PETSC_ERR_USER,
             "-screen_sweep '%s': N must be a whole number of at least 2", spec);
  PetscCheck(strncmp(kind, "log:", 4) || lo > 0, PETSC_COMM_SELF, PETSC_ERR_USER,
             "-screen_sweep '%s': a log sweep needs LO > 0", spec);
  w->n = (PetscInt)n;
  PetscCall(PetscMalloc1(w->n, &w->values));
  for (PetscInt i = 0; i < w->n; i++) {
    PetscReal f  = (PetscReal)i / (PetscReal)(w->n - 1);
    w->values[i] = !strncmp(kind, "log:", 4) ? exp(log(lo) + f * (log(hi) - log(lo))) : lo + f * (hi - lo);
  }
  w->values[w->n - 1] = hi;
  PetscFunctionReturn(0);
}

/* Latin hypercube: in each dimension, sample i falls in stratum perm(i) at a uniform offset.
   Every rank draws the same numbers (seeded), so the points do not depend on the rank count. */
static PetscErrorCode LatinHypercube(GepScreen s, PetscInt nlhs, PetscReal *x)
{
  PetscRandom r;
  PetscInt   *perm, M = s->lhs_samples;

  PetscFunctionBegin;
  PetscCall(GepRandomCreateSeeded(s->seed, &r));
  PetscCall(PetscMalloc1(M, &perm));
  for (PetscInt d = 0; d < nlhs; d++) {
    for (PetscInt i = 0; i < M; i++) perm[i] = i;
    for (PetscInt i = M - 1; i > 0; i--) { /* Fisher-Yates */
      PetscReal u;
      PetscInt  j, tmp;
      PetscCall(PetscRandomGetValueReal(r, &u));
      j       = PetscMin((PetscInt)(u * (PetscReal)(i + 1)), i);
      tmp     = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    for (PetscInt i = 0; i < M; i++) {
      PetscReal u;
      PetscCall(PetscRandomGetValueReal(r, &u));
      x[i * nlhs + d] = ((PetscReal)perm[i] + u) / (PetscReal)M;
    }
  }
  PetscCall(PetscFree(perm));
  PetscCall(PetscRandomDestroy(&r));
  PetscFunctionReturn(0);
}

/* the sweep points: the full grid of the lists (the first sweep slowest), crossed with the hypercube's samples */
PetscErrorCode GepScreenParseSweeps(GepScreen s)
{
  char     **specs = NULL;
  PetscInt   nlhs = 0, ngrid = 1;
  PetscReal *u = NULL;

  PetscFunctionBegin;
  if (s->sweep_text && s->sweep_text[0]) PetscCall(SplitSweeps(s->sweep_text, &s->nsweep, &specs));
  PetscCall(PetscCalloc1(s->nsweep + 1, &s->sweep));
  for (PetscInt j = 0; j < s->nsweep; j++) {
    PetscCall(ParseSweep(s, specs[j], &s->sweep[j]));
    for (PetscInt i = 0; i < j; i++)
      PetscCheck(s->sweep[i].param != s->sweep[j].param, PETSC_COMM_SELF, PETSC_ERR_USER,
                 "-screen_sweep: '%s' is swept twice", s->sweep[j].name);
    if (s->sweep[j].lhs) nlhs++;
    else ngrid *= s->sweep[j].n;
  }
  for (PetscInt j = 0; j < s->nsweep; j++) PetscCall(PetscFree(specs[j]));
  PetscCall(PetscFree(specs));
  s->npoint = ngrid * (nlhs ? s->lhs_samples : 1);
  PetscCall(PetscMalloc1(s->npoint * s->nsweep + 1, &s->point));
  if (nlhs) {
    PetscCall(PetscMalloc1(s->lhs_samples * nlhs, &u));
    PetscCall(LatinHypercube(s, nlhs, u));
  }
  for (PetscInt pt = 0; pt < s->npoint; pt++) {
    PetscInt rest = pt / (nlhs ? s->lhs_samples : 1), sample = pt % (nlhs ? s->lhs_samples : 1), d = 0;
    for (PetscInt j = s->nsweep - 1; j >= 0; j--) { /* the grid's mixed radix, the last sweep fastest */
      GepSweep *w = &s->sweep[j];
      if (w->lhs) continue;
      s->point[pt * s->nsweep + j] = w->values[rest % w->n];
      rest /= w->n;
    }
    for (PetscInt j = 0; j < s->nsweep; j++)
      if (s->sweep[j].lhs)
        s->point[pt * s->nsweep + j] = s->sweep[j].lo + (s->sweep[j].hi - s->sweep[j].lo) * u[sample * nlhs + d++];
  }
  PetscCall(PetscFree(u));
  PetscFunctionReturn(0);
}

/* A comma list of names, or all */
static PetscErrorCode Select(GepScreen s, const char option[], const char text[], PetscInt navail,
                             PetscErrorCode (*find)(GepPerturbation, const char[], PetscInt *), PetscInt *n,
                             PetscInt **which)
{
  char *copy, *save, *tok;

  PetscFunctionBegin;
  *n = 0;
  PetscCall(PetscMalloc1(navail + 1, which));
  if (!text || !text[0] || !strcmp(text, "all")) {
    for (PetscInt i = 0; i < navail; i++) (*which)[(*n)++] = i;
    PetscFunctionReturn(0);
  }
  PetscCall(PetscStrallocpy(text, &copy));
  for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    PetscInt k;
    PetscCall(find(s->pert, tok, &k));
    PetscCheck(k >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "%s: unknown name '%s' (see -perturb_view)", option, tok);
    for (PetscInt i = 0; i < *n; i++)
      PetscCheck((*which)[i] != k, PETSC_COMM_SELF, PETSC_ERR_USER, "%s: '%s' is named twice", option, tok);
    PetscCheck(*n < navail, PETSC_COMM_SELF, PETSC_ERR_USER, "%s: more names than there are", option);
    (*which)[(*n)++] = k;
  }
  PetscCall(PetscFree(copy));
  PetscFunctionReturn(0);
}

/* -screen_knockouts all (every reaction) or ID,...: their targets */
static PetscErrorCode KnockoutTargets(GepScreen s, PetscInt *n, char ***targets)
{
  char *copy, *save, *tok;

  PetscFunctionBegin;
  *n       = 0;
  *targets = NULL;
  if (!s->knockouts || !s->knockouts[0]) PetscFunctionReturn(0);
  if (!strcmp(s->knockouts, "all")) {
    PetscInt nr;
    PetscCall(GepModelGetNumReactions(s->model, &nr));
    PetscCall(PetscMalloc1(nr + 1, targets));
    for (PetscInt r = 0; r < nr; r++) {
      const char *name;
      PetscCall(GepModelGetReactionName(s->model, r, &name));
      PetscCall(PetscStrallocpy(name, &(*targets)[(*n)++]));
    }
    PetscFunctionReturn(0);
  }
  PetscCall(PetscStrallocpy(s->knockouts, &copy));
  for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    PetscInt k;
    PetscCall(GepModelFindParameter(s->model, tok, &k));
    PetscCheck(k >= 0, PETSC_COMM_SELF, PETSC_ERR_USER,
               "-screen_knockouts: unknown target '%s' (a reaction or a parameter of the model)", tok);
    PetscCall(PetscRealloc(sizeof(char *) * (size_t)(*n + 1), targets));
    PetscCall(PetscStrallocpy(tok, &(*targets)[(*n)++]));
  }
  PetscCall(PetscFree(copy));
  PetscFunctionReturn(0);
}

/* genotypes: each selected background, then its single knockouts, then its pairs */
static PetscErrorCode AddKnockouts(GepScreen s, PetscInt nbg, const PetscInt bg[])
{
  char   **t;
  PetscInt nt, n;

  PetscFunctionBegin;
  PetscCall(KnockoutTargets(s, &nt, &t));
  PetscCheck(!s->pairs || nt, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_pairs needs -screen_knockouts");
  s->ngeno = 0;
  n        = nbg * (1 + nt + (s->pairs ? nt * (nt - 1) / 2 : 0)) + 1;
  PetscCall(PetscMalloc4(n, &s->geno, n, &s->ko_bg, n, &s->ko_a, n, &s->ko_b));
#define ADD(b, i, j) (s->ko_bg[s->ngeno] = (b), s->ko_a[s->ngeno] = (i), s->ko_b[s->ngeno] = (j), s->ngeno++)
  for (PetscInt b = 0; b < nbg; b++) {
    s->geno[s->ngeno] = bg[b];
    ADD(b, -1, -1);
    for (PetscInt i = 0; i < nt; i++) {
      PetscCall(GepPerturbationAddKnockout(s->pert, bg[b], 1, (const char *const *)&t[i], &s->geno[s->ngeno]));
      ADD(b, i, -1);
    }
    for (PetscInt i = 0; i < nt && s->pairs; i++)
      for (PetscInt j = i + 1; j < nt; j++) {
        const char *pair[2] = {t[i], t[j]};
        PetscCall(GepPerturbationAddKnockout(s->pert, bg[b], 2, pair, &s->geno[s->ngeno]));
        ADD(b, i, j);
      }
  }
#undef ADD
  s->ko_target = t;
  s->nko       = nt;
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenSelectConditions(GepScreen s)
{
  PetscInt  ng, ne, nbg, *bg;
  PetscReal one = 1.0;

  PetscFunctionBegin;
  PetscCall(GepPerturbationGetNumGenotypes(s->pert, &ng));
  PetscCall(GepPerturbationGetNumEnvironments(s->pert, &ne));
  PetscCall(Select(s, "-screen_genotypes", s->sel_genotypes, ng, GepPerturbationFindGenotype, &nbg, &bg));
  PetscCall(AddKnockouts(s, nbg, bg));
  PetscCall(PetscFree(bg));
  PetscCall(
    Select(s, "-screen_environments", s->sel_environments, ne, GepPerturbationFindEnvironment, &s->nenv, &s->env));
  /* replicate r's factors: the r-th draw of every variation */
  PetscCall(PetscMalloc1(s->nvary_spec + 1, &s->vary));
  s->nvary = s->nvary_spec;
  for (PetscInt j = 0; j < s->nvary; j++)
    PetscCall(GepVariationParse(s->model, "-screen_vary", s->vary_spec[j], &s->vary[j]));
  PetscCall(PetscMalloc1(s->nrep * s->nvary + 1, &s->repfactor));
  if (s->nvary) {
    PetscRandom r;
    PetscCall(GepRandomCreateSeeded(s->seed + 1, &r)); /* not the hypercube's stream */
    for (PetscInt i = 0; i < s->nrep * s->nvary; i++)
      PetscCall(GepVariationDraw(r, &s->vary[i % s->nvary], one, &s->repfactor[i]));
    PetscCall(PetscRandomDestroy(&r));
  }
  s->N = s->ngeno * s->nenv * s->npoint * s->nrep;
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenConditionIndices(GepScreen s, PetscInt c, PetscInt *g, PetscInt *e, PetscInt *pt, PetscInt *r)
{
  PetscFunctionBegin;
  if (r) *r = c % s->nrep;
  c /= s->nrep;
  if (pt) *pt = c % s->npoint;
  c /= s->npoint;
  if (e) *e = s->env[c % s->nenv];
  if (g) *g = s->geno[c / s->nenv];
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenConditionParameters(GepScreen s, PetscInt c, PetscReal p[])
{
  PetscInt g, e, pt, r;

  PetscFunctionBegin;
  PetscCall(GepScreenConditionIndices(s, c, &g, &e, &pt, &r));
  PetscCall(PetscArraycpy(p, s->nominal, s->np));
  for (PetscInt j = 0; j < s->nsweep; j++) p[s->sweep[j].param] = s->point[pt * s->nsweep + j];
  PetscCall(GepPerturbationApply(s->pert, g, e, p));
  for (PetscInt j = 0; j < s->nvary; j++) p[s->vary[j].param] *= s->repfactor[r * s->nvary + j];
  PetscFunctionReturn(0);
}

/* a grid sweep by name, for the summaries */
PetscErrorCode GepScreenSweepFind(GepScreen s, const char option[], const char name[], PetscInt *j)
{
  PetscFunctionBegin;
  for (*j = 0; *j < s->nsweep; (*j)++)
    if (!strcmp(s->sweep[*j].name, name)) break;
  PetscCheck(*j < s->nsweep, PETSC_COMM_SELF, PETSC_ERR_USER, "%s: '%s' is not swept (-screen_sweep)", option, name);
  PetscCheck(!s->sweep[*j].lhs, PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s: '%s' is a Latin hypercube dimension: a dose needs a list, lin or log sweep", option, name);
  PetscFunctionReturn(0);
}

/* sweep point pt + k stride is point pt with sweep j's k-th value (j a grid sweep) */
PetscErrorCode GepScreenSweepStride(GepScreen s, PetscInt j, PetscInt *stride)
{
  PetscBool lhs = PETSC_FALSE;

  PetscFunctionBegin;
  *stride = 1;
  for (PetscInt i = 0; i < s->nsweep; i++) lhs = (PetscBool)(lhs || s->sweep[i].lhs);
  for (PetscInt i = j + 1; i < s->nsweep; i++)
    if (!s->sweep[i].lhs) *stride *= s->sweep[i].n;
  if (lhs) *stride *= s->lhs_samples;
  PetscFunctionReturn(0);
}
