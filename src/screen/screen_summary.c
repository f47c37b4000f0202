/* Summaries of a finished screen (rank 0), each a CSV table and an SVG figure beside
   the results (OUT-NAME.csv, OUT-NAME.svg), of one readout (-screen_summary_readout):
   - knockouts: each single knockout's readout over its background's, per environment;
   - gi: for knockout pairs, the genetic-interaction score eps = f_ab - f_a f_b of those
     ratios f;
   - dose-response: the readout along a dosed sweep (-screen_dose), a 4-parameter Hill fit
     per curve (genotype, environment, replicate and the other swept values);
   - synergy: on the grid of two dosed sweeps (-screen_drugs A,B), the fractional effect
     f = 1 - y / y(first dose of each) and its Bliss excess f_ab - (f_a + f_b - f_a f_b)
     and HSA excess f_ab - max(f_a, f_b). */
#include <string.h>
#include "screenimpl.h"

PetscReal GepSummaryValue(GepSummary *m, PetscInt g, PetscInt e, PetscInt pt, PetscInt rep)
{
  GepScreen s = m->s;
  PetscInt  c = ((g * s->nenv + e) * s->npoint + pt) * s->nrep + rep;
  return s->status[c] == 1 ? s->table[c * s->nread + m->r] : (PetscReal)NAN;
}

PetscErrorCode GepSummaryOpen(GepScreen s, const char suffix[], FILE **fp, char path[], size_t len)
{
  PetscFunctionBegin;
  PetscCall(GepSiblingPath(s->out, suffix, path, len));
  *fp = fopen(path, "w");
  PetscCheck(*fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "summary %s: cannot create", path);
  PetscFunctionReturn(0);
}

const char *GepSummaryGenotype(GepScreen s, PetscInt g)
{
  const char *name = "";
  (void)GepPerturbationGetGenotypeName(s->pert, s->geno[g], &name);
  return name;
}

const char *GepSummaryEnvironment(GepScreen s, PetscInt e)
{
  const char *name = "";
  (void)GepPerturbationGetEnvironmentName(s->pert, s->env[e], &name);
  return name;
}

/* the screened genotype of background b with knockouts a (and b2, or -1), or -1 */
static PetscInt Knockout(GepScreen s, PetscInt bg, PetscInt a, PetscInt b)
{
  for (PetscInt g = 0; g < s->ngeno; g++)
    if (s->ko_bg[g] == bg && s->ko_a[g] == a && s->ko_b[g] == b) return g;
  return -1;
}

/* knockouts over their background: CSV of all; heatmap of the first background, replicate and point */
static PetscErrorCode Knockouts(GepSummary *m)
{
  GepScreen    s  = m->s;
  FILE        *fp = NULL;
  char         path[PETSC_MAX_PATH_LEN], svg[PETSC_MAX_PATH_LEN], title[512];
  PetscReal   *v;
  const char **rows, **cols;

  PetscFunctionBegin;
  PetscCall(GepSummaryOpen(s, "-knockouts.csv", &fp, path, sizeof(path)));
  fprintf(fp, "background,knockout,environment,replicate,point,ratio\n");
  for (PetscInt g = 0; g < s->ngeno; g++) {
    PetscInt bg = Knockout(s, s->ko_bg[g], -1, -1);
    if (s->ko_a[g] < 0 || s->ko_b[g] >= 0) continue;
    for (PetscInt e = 0; e < s->nenv; e++)
      for (PetscInt pt = 0; pt < s->npoint; pt++)
        for (PetscInt rep = 0; rep < s->nrep; rep++)
          fprintf(fp, "%s,%s,%s,%d,%d,%.17g\n", GepSummaryGenotype(s, bg), s->ko_target[s->ko_a[g]],
                  GepSummaryEnvironment(s, e), (int)rep, (int)pt,
                  (double)(GepSummaryValue(m, g, e, pt, rep) / GepSummaryValue(m, bg, e, pt, rep)));
  }
  fclose(fp);
  PetscCall(PetscMalloc3(s->nko * s->nenv, &v, s->nko, &rows, s->nenv, &cols));
  for (PetscInt i = 0; i < s->nko; i++) {
    rows[i] = s->ko_target[i];
    for (PetscInt e = 0; e < s->nenv; e++)
      v[i * s->nenv + e] =
        GepSummaryValue(m, Knockout(s, 0, i, -1), e, 0, 0) / GepSummaryValue(m, Knockout(s, 0, -1, -1), e, 0, 0);
  }
  for (PetscInt e = 0; e < s->nenv; e++) cols[e] = GepSummaryEnvironment(s, e);
  PetscCall(GepSiblingPath(s->out, "-knockouts.svg", svg, sizeof(svg)));
  PetscCall(PetscSNPrintf(title, sizeof(title), "%s of each knockout over %s's, per environment", s->read[m->r].text,
                          GepSummaryGenotype(s, Knockout(s, 0, -1, -1))));
  PetscCall(GepSVGHeatmap(svg, title, s->nko, s->nenv, rows, cols, v));
  PetscCall(PetscFree3(v, rows, cols));
  PetscFunctionReturn(0);
}

/* eps = f_ab - f_a f_b for every pair, f the ratio to the background */
static PetscErrorCode Interactions(GepSummary *m)
{
  GepScreen  s  = m->s;
  FILE      *fp = NULL;
  char       path[PETSC_MAX_PATH_LEN], svg[PETSC_MAX_PATH_LEN], title[512];
  PetscReal *eps;

  PetscFunctionBegin;
  PetscCall(GepSummaryOpen(s, "-gi.csv", &fp, path, sizeof(path)));
  fprintf(fp, "background,a,b,environment,replicate,point,f_a,f_b,f_ab,epsilon\n");
  PetscCall(PetscMalloc1(s->nko * s->nko, &eps));
  for (PetscInt i = 0; i < s->nko * s->nko; i++) eps[i] = (PetscReal)NAN;
  for (PetscInt g = 0; g < s->ngeno; g++) {
    PetscInt bg = Knockout(s, s->ko_bg[g], -1, -1), a = s->ko_a[g], b = s->ko_b[g];
    if (b < 0) continue;
    for (PetscInt e = 0; e < s->nenv; e++)
      for (PetscInt pt = 0; pt < s->npoint; pt++)
        for (PetscInt rep = 0; rep < s->nrep; rep++) {
          PetscReal y0  = GepSummaryValue(m, bg, e, pt, rep),
                    fa  = GepSummaryValue(m, Knockout(s, s->ko_bg[g], a, -1), e, pt, rep) / y0,
                    fb  = GepSummaryValue(m, Knockout(s, s->ko_bg[g], b, -1), e, pt, rep) / y0,
                    fab = GepSummaryValue(m, g, e, pt, rep) / y0, ep = fab - fa * fb;
          fprintf(fp, "%s,%s,%s,%s,%d,%d,%.17g,%.17g,%.17g,%.17g\n", GepSummaryGenotype(s, bg), s->ko_target[a],
                  s->ko_target[b], GepSummaryEnvironment(s, e), (int)rep, (int)pt, (double)fa, (double)fb, (double)fab,
                  (double)ep);
          if (s->ko_bg[g] == 0 && e == 0 && pt == 0 && rep == 0) eps[a * s->nko + b] = eps[b * s->nko + a] = ep;
        }
  }
  fclose(fp);
  PetscCall(GepSiblingPath(s->out, "-gi.svg", svg, sizeof(svg)));
  PetscCall(PetscSNPrintf(title, sizeof(title), "genetic interaction of %s: f_ab - f_a f_b (%s, %s)",
                          s->read[m->r].text, GepSummaryGenotype(s, Knockout(s, 0, -1, -1)),
                          GepSummaryEnvironment(s, 0)));
  PetscCall(GepSVGHeatmapDiverging(svg, title, s->nko, s->nko, (const char *const *)s->ko_target,
                                   (const char *const *)s->ko_target, eps));
  PetscCall(PetscFree(eps));
  PetscFunctionReturn(0);
}

/* the group's other swept values, as CSV fields */
void GepSummaryOtherSweeps(FILE *fp, GepScreen s, PetscInt pt, PetscInt skip1, PetscInt skip2)
{
  for (PetscInt j = 0; j < s->nsweep; j++)
    if (j != skip1 && j != skip2) fprintf(fp, ",%.17g", (double)s->point[pt * s->nsweep + j]);
}

void GepSummaryOtherSweepNames(FILE *fp, GepScreen s, PetscInt skip1, PetscInt skip2)
{
  for (PetscInt j = 0; j < s->nsweep; j++)
    if (j != skip1 && j != skip2) fprintf(fp, ",%s", s->sweep[j].name);
}

/* -screen_drugs A,B: the two sweeps */
PetscErrorCode GepScreenDrugs(GepScreen s, PetscInt *ja, PetscInt *jb)
{
  char a[256], *comma;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(a, s->drugs, sizeof(a)));
  comma = strchr(a, ',');
  PetscCheck(comma && !strchr(comma + 1, ','), PETSC_COMM_SELF, PETSC_ERR_USER,
             "-screen_drugs '%s': expected two swept parameters A,B", s->drugs);
  *comma = 0;
  PetscCall(GepScreenSweepFind(s, "-screen_drugs", a, ja));
  PetscCall(GepScreenSweepFind(s, "-screen_drugs", comma + 1, jb));
  PetscCheck(*ja != *jb, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_drugs '%s': two different sweeps", s->drugs);
  PetscFunctionReturn(0);
}

/* the summaries' options, checked on every rank at set-up: the summaries then cannot fail on them */
PetscErrorCode GepScreenCheckSummaries(GepScreen s, PetscInt *r)
{
  PetscInt j, k;

  PetscFunctionBegin;
  *r = 0;
  if (s->dose && s->dose[0]) PetscCall(GepScreenSweepFind(s, "-screen_dose", s->dose, &j));
  if (s->drugs && s->drugs[0]) PetscCall(GepScreenDrugs(s, &j, &k));
  if (s->summary_readout && s->summary_readout[0]) {
    char *end;
    long  k = strtol(s->summary_readout, &end, 10);
    *r      = -1;
    for (PetscInt i = 0; i < s->nread; i++)
      if (!strcmp(s->read[i].text, s->summary_readout)) *r = i;
    if (*r < 0 && !*end && k >= 0 && k < s->nread) *r = (PetscInt)k;
    PetscCheck(*r >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "-screen_summary_readout: '%s' is no readout",
               s->summary_readout);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Summaries(void *ctx)
{
  GepScreen   s  = (GepScreen)ctx;
  GepSummary  m  = {s, 0};
  PetscBool   ko = PETSC_FALSE, pairs = PETSC_FALSE;
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(s->comm, &rank));
  if (rank) PetscFunctionReturn(0);
  PetscCall(GepScreenCheckSummaries(s, &m.r));
  for (PetscInt g = 0; g < s->ngeno; g++) {
    ko    = (PetscBool)(ko || s->ko_a[g] >= 0);
    pairs = (PetscBool)(pairs || s->ko_b[g] >= 0);
  }
  PetscCall(PetscLogEventBegin(GEP_Output, 0, 0, 0, 0));
  if (ko) PetscCall(Knockouts(&m));
  if (pairs) PetscCall(Interactions(&m));
  if (s->dose && s->dose[0]) PetscCall(GepSummaryDoseResponse(&m));
  if (s->drugs && s->drugs[0]) PetscCall(GepSummarySynergy(&m));
  PetscCall(PetscLogEventEnd(GEP_Output, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* collective: rank 0 writes, every rank learns of a failure */
PetscErrorCode GepScreenSummaries(GepScreen s)
{
  PetscFunctionBegin;
  PetscCall(GepRunShared(s->comm, Summaries, s));
  PetscFunctionReturn(0);
}
