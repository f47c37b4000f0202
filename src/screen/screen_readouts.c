/* Readouts: each is a formula (SBML infix math) over building blocks read from one
   output's trajectory: X@t (its value at time t, an output time), max(X), min(X),
   auc(X) (trapezoids over the output times in [t0, tfinal]), tthresh(X, level) (the
   first time X reaches level, linear between output times; NaN if it does not) and
   ss(X) (its steady state: the output times go on past tfinal at doubling intervals
   until X changes over one by at most ss_rtol |X| + ss_atol). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "screenimpl.h"

static const struct {
  const char *name;
  GepPrimKind kind;
  PetscInt    nargs;
} blocks[] = {{"max", GEP_PRIM_MAX, 1},
              {"min", GEP_PRIM_MIN, 1},
              {"auc", GEP_PRIM_AUC, 1},
              {"ss", GEP_PRIM_SS, 1},
              {"tthresh", GEP_PRIM_TTHRESH, 2}};

/* names that the infix parser knows as constants */
static PetscBool IsConstant(const char *s, size_t n)
{
  static const char *const c[] = {"pi", "exponentiale", "true", "false", "avogadro", "inf", "infinity", NULL};
  for (int i = 0; c[i]; i++)
    if (strlen(c[i]) == n && !strncmp(c[i], s, n)) return PETSC_TRUE;
  return PETSC_FALSE;
}

static PetscErrorCode AddOutput(GepScreen s, const char *name, size_t n, PetscInt *o)
{
  PetscInt    k;
  char       *copy;
  const char *file;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n + 1, &copy));
  PetscCall(PetscStrncpy(copy, name, n + 1));
  PetscCall(GepModelFindParameter(s->model, copy, &k));
  PetscCall(GepModelGetFile(s->model, &file));
  if (k < 0) {
    PetscErrorCode ierr =
      PetscError(PETSC_COMM_SELF, __LINE__, PETSC_FUNCTION_NAME, __FILE__, PETSC_ERR_USER, PETSC_ERROR_INITIAL,
                 "-screen_readouts: unknown species '%s' (model %s)", copy, file);
    PetscCall(PetscFree(copy));
    return ierr;
  }
  for (*o = 0; *o < s->nout; (*o)++)
    if (!strcmp(s->outname[*o], copy)) break;
  if (*o < s->nout) PetscCall(PetscFree(copy));
  else {
    PetscCall(PetscRealloc(sizeof(char *) * (size_t)(s->nout + 1), &s->outname));
    s->outname[s->nout++] = copy;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode AddPrimitive(GepScreen s, GepReadout *r, GepPrimitive p)
{
  PetscInt i;

  PetscFunctionBegin;
  for (i = 0; i < s->nprim; i++)
    if (s->prim[i].kind == p.kind && s->prim[i].output == p.output && s->prim[i].arg == p.arg) break;
  if (i == s->nprim) {
    PetscCall(PetscRealloc(sizeof(GepPrimitive) * (size_t)(s->nprim + 1), &s->prim));
    s->prim[s->nprim++] = p;
  }
  PetscCall(PetscRealloc(sizeof(PetscInt) * (size_t)(r->nprim + 1), &r->prim));
  r->prim[r->nprim++] = i;
  s->has_ss           = (PetscBool)(s->has_ss || p.kind == GEP_PRIM_SS);
  PetscFunctionReturn(0);
}

static size_t IdentLength(const char *p)
{
  size_t n = 0;
  if (!(isalpha((unsigned char)p[0]) || p[0] == '_')) return 0;
  while (isalnum((unsigned char)p[n]) || p[n] == '_') n++;
  return n;
}

static const char *SkipBlanks(const char *p)
{
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* at p: BLOCK(NAME[, NUMBER]) or NAME@NUMBER; *len 0 if neither */
static PetscErrorCode MatchBlock(GepScreen s, GepReadout *r, const char *p, size_t *len)
{
  size_t      n = IdentLength(p), m;
  const char *q = p + n, *a;
  char       *end;

  PetscFunctionBegin;
  *len = 0;
  if (*q == '@') { /* X@t */
    GepPrimitive pr = {GEP_PRIM_AT, -1, strtod(q + 1, &end), -1};
    PetscCheck(end != q + 1, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_readouts: '%s': a time must follow '@'",
               r->text);
    PetscCall(AddOutput(s, p, n, &pr.output));
    PetscCall(AddPrimitive(s, r, pr));
    *len = (size_t)(end - p);
    PetscFunctionReturn(0);
  }
  for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
    GepPrimitive pr = {blocks[b].kind, -1, 0, -1};
    if (strlen(blocks[b].name) != n || strncmp(blocks[b].name, p, n) || *SkipBlanks(q) != '(') continue;
    a = SkipBlanks(SkipBlanks(q) + 1);
    m = IdentLength(a);
    q = SkipBlanks(a + m);
    if (!m || (blocks[b].nargs == 1 && *q != ')')) continue; /* max(a, b) and the like: the math function */
    if (blocks[b].nargs == 2) {
      PetscCheck(*q == ',', PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_readouts: '%s': tthresh needs (SPECIES, LEVEL)",
                 r->text);
      pr.arg = strtod(q + 1, &end);
      q      = SkipBlanks(end);
      PetscCheck(end != q + 1 && *q == ')', PETSC_COMM_SELF, PETSC_ERR_USER,
                 "-screen_readouts: '%s': tthresh needs (SPECIES, LEVEL) with a number for LEVEL", r->text);
    }
    PetscCall(AddOutput(s, a, m, &pr.output));
    PetscCall(AddPrimitive(s, r, pr));
    *len = (size_t)(q + 1 - p);
    PetscFunctionReturn(0);
  }
  PetscFunctionReturn(0);
}

/* One readout: its building blocks become the inputs __r0, __r1, ... of a formula */
static PetscErrorCode ParseOne(GepScreen s, GepReadout *r, char **rewritten)
{
  const char *p   = r->text;
  size_t      cap = 3 * strlen(r->text) + 64, used = 0;
  char       *out;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(cap, &out));
  while (*p) {
    size_t n = IdentLength(p), len;
    if (!n || (p > r->text && (isalnum((unsigned char)p[-1]) || p[-1] == '.'))) { /* not a name (or in a number) */
      out[used++] = *p++;
      continue;
    }
    PetscCall(MatchBlock(s, r, p, &len));
    if (len) {
      used += (size_t)snprintf(out + used, cap - used, "__r%d", (int)(r->nprim - 1));
      p += len;
      continue;
    }
    PetscCheck(*SkipBlanks(p + n) == '(' || IsConstant(p, n), PETSC_COMM_SELF, PETSC_ERR_USER,
               "-screen_readouts: '%s': '%.*s' must be inside X@T, max(X), min(X), auc(X), ss(X) or "
               "tthresh(X,LEVEL)",
               r->text, (int)n, p);
    PetscCall(PetscMemcpy(out + used, p, n));
    used += n;
    p += n;
  }
  out[used] = 0;
  PetscCheck(r->nprim > 0, PETSC_COMM_SELF, PETSC_ERR_USER,
             "-screen_readouts: '%s' reads nothing of the simulation (X@T, max(X), min(X), auc(X), ss(X), "
             "tthresh(X,LEVEL))",
             r->text);
  *rewritten = out;
  PetscFunctionReturn(0);
}

/* split at commas outside parentheses */
static PetscErrorCode SplitTopLevel(const char text[], PetscInt *n, char ***items)
{
  int         depth = 0;
  const char *start = text;

  PetscFunctionBegin;
  *n     = 0;
  *items = NULL;
  for (const char *p = text;; p++) {
    if (*p == '(') depth++;
    if (*p == ')') depth--;
    if ((*p == ',' && depth == 0) || !*p) {
      const char *a   = SkipBlanks(start);
      size_t      len = (size_t)(p - a);
      while (len && (a[len - 1] == ' ' || a[len - 1] == '\t')) len--;
      PetscCheck(len, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_readouts '%s': an empty readout", text);
      PetscCall(PetscRealloc(sizeof(char *) * (size_t)(*n + 1), items));
      PetscCall(PetscMalloc1(len + 1, &(*items)[*n]));
      PetscCall(PetscStrncpy((*items)[*n], a, len + 1));
      (*n)++;
      start = p + 1;
    }
    if (!*p) break;
  }
  PetscCheck(depth == 0, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_readouts '%s': unbalanced parentheses", text);
  PetscFunctionReturn(0);
}

/* the readouts' text: building blocks found, names checked against the (loaded) model, outputs chosen */
PetscErrorCode GepScreenParseReadouts(GepScreen s)
{
  char   **items;
  PetscInt n;

  PetscFunctionBegin;
  PetscCheck(s->readout_text && s->readout_text[0], s->comm, PETSC_ERR_USER,
             "No readouts: set -screen_readouts SPEC,... (e.g. ss(P),max(P),P@10,auc(P),tthresh(P,0.5))");
  PetscCall(SplitTopLevel(s->readout_text, &n, &items));
  PetscCall(PetscCalloc1(n, &s->read));
  s->nread = n;
  for (PetscInt i = 0; i < n; i++) s->read[i].text = items[i];
  PetscCall(PetscFree(items));
  for (PetscInt i = 0; i < n; i++) {
    char *rewritten = NULL;
    PetscCall(ParseOne(s, &s->read[i], &rewritten));
    s->read[i].formula_text = rewritten;
  }
  PetscFunctionReturn(0);
}

/* the formulas, once the model is set up; an error names the readout as given */
PetscErrorCode GepScreenCompileReadouts(GepScreen s)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < s->nread; i++) {
    GepReadout    *r = &s->read[i];
    char         **names;
    PetscErrorCode ierr;
    PetscBool      quiet;

    PetscCall(PetscMalloc1(r->nprim, &names));
    for (PetscInt j = 0; j < r->nprim; j++) {
      PetscCall(PetscMalloc1(16, &names[j]));
      PetscCall(PetscSNPrintf(names[j], 16, "__r%d", (int)j));
    }
    quiet = GepErrorSetQuiet(PETSC_TRUE);
    ierr  = GepFormulaCreate(s->model, r->formula_text, r->nprim, (const char *const *)names, &r->formula);
    (void)GepErrorSetQuiet(quiet);
    for (PetscInt j = 0; j < r->nprim; j++) PetscCall(PetscFree(names[j]));
    PetscCall(PetscFree(names));
    PetscCheck(!ierr, PETSC_COMM_SELF, PETSC_ERR_USER,
               "-screen_readouts: '%s' is not a formula (libSBML's infix syntax)", r->text);
  }
  PetscFunctionReturn(0);
}

static int CompareReal(const void *a, const void *b)
{
  PetscReal x = *(const PetscReal *)a, y = *(const PetscReal *)b;
  return (x > y) - (x < y);
}

/* a uniform grid on [t0, tfinal] with the X@t times added; then, with ss() blocks,
   t0 + (tfinal - t0) 2^j up to ss_tmax */
PetscErrorCode GepScreenOutputTimes(GepScreen s)
{
  PetscInt  n = 0, next = 0;
  PetscReal span = s->tfinal - s->t0, tol = 1e-12 * PetscMax(1.0, PetscAbsReal(s->tfinal));

  PetscFunctionBegin;
  for (PetscInt j = 0; j < s->nprim; j++)
    if (s->prim[j].kind == GEP_PRIM_AT)
      PetscCheck(s->prim[j].arg >= s->t0 && s->prim[j].arg <= s->tfinal, s->comm, PETSC_ERR_USER,
                 "-screen_readouts: %s@%g is outside [-screen_t0, -screen_tfinal] = [%g, %g]",
                 s->outname[s->prim[j].output], (double)s->prim[j].arg, (double)s->t0, (double)s->tfinal);
  if (s->has_ss)
    while (s->t0 + span * (PetscReal)(1 << (next + 1)) <= s->ss_tmax * (1 + 1e-12) && next < 40) next++;
  PetscCall(PetscMalloc1(s->steps + 1 + s->nprim + next, &s->times));
  for (PetscInt k = 0; k <= s->steps; k++) s->times[n++] = s->t0 + span * (PetscReal)k / (PetscReal)s->steps;
  for (PetscInt j = 0; j < s->nprim; j++)
    if (s->prim[j].kind == GEP_PRIM_AT) s->times[n++] = s->prim[j].arg;
  qsort(s->times, (size_t)n, sizeof(PetscReal), CompareReal);
  s->T = 0;
  for (PetscInt k = 0; k < n; k++) /* the same time twice (within rounding) once */
    if (!s->T || s->times[k] > s->times[s->T - 1] + tol) s->times[s->T++] = s->times[k];
  s->times[s->T - 1] = s->tfinal;
  s->kfinal          = s->T - 1;
  for (PetscInt j = 1; j <= next; j++) s->times[s->T++] = s->t0 + span * (PetscReal)(1 << j);
  PetscCall(PetscMalloc1(s->nprim + 1, &s->blockbuf));
  for (PetscInt j = 0; j < s->nprim; j++) {
    s->prim[j].k = -1;
    for (PetscInt k = 0; k <= s->kfinal && s->prim[j].kind == GEP_PRIM_AT; k++)
      if (PetscAbsReal(s->times[k] - s->prim[j].arg) <= tol) s->prim[j].k = k;
  }
  PetscFunctionReturn(0);
}

static PetscReal Block(GepScreen s, const GepPrimitive *p, const PetscReal y[], PetscInt kss)
{
  const PetscReal *t = s->times;
  PetscInt         o = p->output, no = s->nout;
  PetscReal        v = y[o], prev;

  switch (p->kind) {
  case GEP_PRIM_AT: return y[p->k * no + o];
  case GEP_PRIM_MAX:
  case GEP_PRIM_MIN:
    for (PetscInt k = 1; k <= s->kfinal; k++)
      v = p->kind == GEP_PRIM_MAX ? PetscMax(v, y[k * no + o]) : PetscMin(v, y[k * no + o]);
    return v;
  case GEP_PRIM_AUC:
    v = 0;
    for (PetscInt k = 1; k <= s->kfinal; k++) v += 0.5 * (t[k] - t[k - 1]) * (y[k * no + o] + y[(k - 1) * no + o]);
    return v;
  case GEP_PRIM_TTHRESH:
    prev = y[o] - p->arg;
    if (prev == 0) return t[0];
    for (PetscInt k = 1; k <= s->kfinal; k++) {
      PetscReal d = y[k * no + o] - p->arg;
      if ((d > 0) != (prev > 0) || d == 0) return t[k - 1] + (t[k] - t[k - 1]) * prev / (prev - d);
      prev = d;
    }
    return (PetscReal)NAN;
  case GEP_PRIM_SS: return y[(kss >= 0 ? kss : s->T - 1) * no + o];
  }
  return (PetscReal)NAN;
}

PetscErrorCode GepScreenReadoutsOf(GepScreen s, const PetscReal y[], const PetscInt kss[], PetscReal row[],
                                   PetscBool *settled)
{
  PetscReal *in = s->blockbuf;

  PetscFunctionBegin;
  *settled = PETSC_TRUE;
  for (PetscInt j = 0; j < s->nprim; j++)
    if (s->prim[j].kind == GEP_PRIM_SS && kss[j] < 0) *settled = PETSC_FALSE;
  for (PetscInt i = 0; i < s->nread; i++) {
    const GepReadout *r = &s->read[i];
    for (PetscInt j = 0; j < r->nprim; j++) in[j] = Block(s, &s->prim[r->prim[j]], y, kss[r->prim[j]]);
    PetscCall(GepFormulaEvaluate(r->formula, in, &row[i]));
  }
  PetscFunctionReturn(0);
}

/* ss(): after tfinal, each condition's ss() blocks settle at the first output time k whose change
   from k - 1 is at most ss_rtol |y| + ss_atol; a part of the ensemble stops once all its members have */
PetscErrorCode GepScreenSteadyMonitor(GepEnsemble part, PetscInt k, PetscBool *stop, void *ctx)
{
  GepSteadyCtx    *c = (GepSteadyCtx *)ctx;
  GepScreen        s = c->s;
  PetscInt         nloc, first, T, no = s->nout;
  const PetscReal *y, *t;
  PetscBool        all = PETSC_TRUE;

  PetscFunctionBegin;
  *stop = PETSC_FALSE;
  if (GepScreenStopRequested()) { /* SIGTERM: the unit is abandoned, and runs again on -screen_resume */
    s->abandoned = PETSC_TRUE;
    *stop        = PETSC_TRUE;
    PetscFunctionReturn(0);
  }
  if (k <= s->kfinal || !s->has_ss) PetscFunctionReturn(0);
  PetscCall(GepEnsembleGetSizes(part, NULL, &nloc, &first));
  PetscCall(GepEnsembleGetTimes(part, &T, &t));
  PetscCall(GepEnsembleGetOutputs(part, &y));
  for (PetscInt i = 0; i < nloc; i++) {
    const PetscReal *yi = y + i * T * no;
    for (PetscInt j = 0; j < s->nprim; j++) {
      PetscInt *kj = &c->kss[(first + i) * s->nprim + j], o = s->prim[j].output;
      PetscReal a = yi[k * no + o], b = yi[(k - 1) * no + o];
      if (s->prim[j].kind != GEP_PRIM_SS || *kj >= 0) continue;
      if (PetscAbsReal(a - b) <= s->ss_rtol * PetscAbsReal(a) + s->ss_atol) *kj = k;
      else all = PETSC_FALSE;
    }
  }
  *stop = all;
  PetscFunctionReturn(0);
}
