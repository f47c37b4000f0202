/* Dose summaries of a screen: dose-response curves with Hill fits along one dosed
   sweep (-screen_dose), and Bliss and HSA synergy on the grid of two (-screen_drugs).
   A curve or grid is every value of the dosed sweep(s) at fixed genotype, environment,
   replicate and other swept values. */
#include <math.h>
#include <string.h>
#include "screenimpl.h"

/* point pt with dosed sweep j at its first value: the start of a curve */
static PetscBool FirstOf(GepScreen s, PetscInt pt, PetscInt j, PetscInt stride)
{
  return (PetscBool)((pt / stride) % s->sweep[j].n == 0);
}

/* the figure: up to 8 curves, fitted on a fine log grid, the observed doses as dots */
static PetscErrorCode Figure(GepSummary *m, PetscInt j, PetscInt ncurve, const GepHillFit fit[], const PetscReal obs[],
                             char *const labels[])
{
  GepScreen     s  = m->s;
  GepSweep     *w  = &s->sweep[j];
  PetscInt      nf = 64, nx = 0, nc = PetscMin(ncurve, 8);
  PetscReal     lo = PETSC_MAX_REAL, hi = 0, *x, *y, *dots;
  GepSVGSeries *ser;
  char          svg[PETSC_MAX_PATH_LEN], title[512], xlabel[300];

  PetscFunctionBegin;
  for (PetscInt k = 0; k < w->n; k++)
    if (w->values[k] > 0) lo = PetscMin(lo, w->values[k]), hi = PetscMax(hi, w->values[k]);
  if (!(hi > lo)) PetscFunctionReturn(0); /* no log axis to draw on */
  PetscCall(PetscMalloc4(nf + w->n, &x, nc * (nf + w->n) + 1, &y, nc * (nf + w->n) + 1, &dots, nc + 1, &ser));
  for (PetscInt i = 0; i < nf; i++) x[nx++] = log10(lo) + (log10(hi) - log10(lo)) * (PetscReal)i / (PetscReal)(nf - 1);
  for (PetscInt k = 0; k < w->n; k++)
    if (w->values[k] > 0) x[nx++] = log10(w->values[k]);
  for (PetscInt a = 1; a < nx; a++) /* sorted, so that the line runs left to right */
    for (PetscInt b = a; b > 0 && x[b] < x[b - 1]; b--) {
      PetscReal t = x[b];
      x[b]        = x[b - 1];
      x[b - 1]    = t;
    }
  for (PetscInt c = 0; c < nc; c++) {
    for (PetscInt i = 0; i < nx; i++) {
      y[c * nx + i]    = GepScreenHillValue(&fit[c], pow(10.0, x[i]));
      dots[c * nx + i] = (PetscReal)NAN;
      for (PetscInt k = 0; k < w->n; k++)
        if (w->values[k] > 0 && PetscAbsReal(log10(w->values[k]) - x[i]) < 1e-12) dots[c * nx + i] = obs[c * w->n + k];
    }
    ser[c] = (GepSVGSeries){labels[c], y + c * nx, NULL, NULL, dots + c * nx};
  }
  PetscCall(GepSiblingPath(s->out, "-dose-response.svg", svg, sizeof(svg)));
  PetscCall(PetscSNPrintf(title, sizeof(title), "%s against %s: Hill fits (lines) of the screen (dots)",
                          s->read[m->r].text, w->name));
  PetscCall(PetscSNPrintf(xlabel, sizeof(xlabel), "log10 %s", w->name));
  PetscCall(GepSVGLinePlot(svg, title, xlabel, s->read[m->r].text, nx, x, nc, ser));
  PetscCall(PetscFree4(x, y, dots, ser));
  PetscFunctionReturn(0);
}

PetscErrorCode GepSummaryDoseResponse(GepSummary *m)
{
  GepScreen   s = m->s;
  PetscInt    j, stride, n, ncurve = 0;
  FILE       *fp = NULL;
  char        path[PETSC_MAX_PATH_LEN], **labels;
  GepHillFit *fit;
  PetscReal  *obs, *x, *y;

  PetscFunctionBegin;
  PetscCall(GepScreenSweepFind(s, "-screen_dose", s->dose, &j));
  PetscCall(GepScreenSweepStride(s, j, &stride));
  n = s->sweep[j].n;
  PetscCall(GepSummaryOpen(s, "-dose-response.csv", &fp, path, sizeof(path)));
  fprintf(fp, "genotype,environment,replicate");
  GepSummaryOtherSweepNames(fp, s, j, -1);
  fprintf(fp, ",bottom,top,IC50,hill,rms,converged\n");
  PetscCall(PetscMalloc5(8, &fit, 8 * n, &obs, n, &x, n, &y, 8, &labels));
  for (PetscInt g = 0; g < s->ngeno; g++)
    for (PetscInt e = 0; e < s->nenv; e++)
      for (PetscInt pt = 0; pt < s->npoint; pt++)
        for (PetscInt rep = 0; rep < s->nrep && FirstOf(s, pt, j, stride); rep++) {
          GepHillFit f  = {(PetscReal)NAN, (PetscReal)NAN, (PetscReal)NAN, (PetscReal)NAN, (PetscReal)NAN, PETSC_FALSE};
          PetscBool  ok = (PetscBool)(n >= 4);
          for (PetscInt k = 0; k < n && ok; k++) {
            x[k] = s->sweep[j].values[k];
            y[k] = GepSummaryValue(m, g, e, pt + k * stride, rep);
            ok   = (PetscBool)(ok && isfinite(y[k]));
          }
          if (ok) PetscCall(GepScreenFitHill(n, x, y, &f));
          fprintf(fp, "%s,%s,%d", GepSummaryGenotype(s, g), GepSummaryEnvironment(s, e), (int)rep);
          GepSummaryOtherSweeps(fp, s, pt, j, -1);
          fprintf(fp, ",%.10g,%.10g,%.10g,%.10g,%.3g,%d\n", (double)f.bottom, (double)f.top, (double)f.ic50,
                  (double)f.hill, (double)f.rms, (int)f.converged);
          if (ok && ncurve < 8 &&
              pt == 0) { /* the figure: per genotype and environment, other sweeps at their first values */
            char label[256], other[128] = "";
            for (PetscInt o = 0; o < s->nsweep; o++) /* the other swept values tell the curves apart */
              if (o != j) {
                size_t len = strlen(other);
                PetscCall(PetscSNPrintf(other + len, sizeof(other) - len, " %s=%.3g", s->sweep[o].name,
                                        (double)s->point[pt * s->nsweep + o]));
              }
            PetscCall(PetscSNPrintf(label, sizeof(label), "%s %s%s: IC50 %.3g, h %.2f", GepSummaryGenotype(s, g),
                                    GepSummaryEnvironment(s, e), other, (double)f.ic50, (double)f.hill));
            PetscCall(PetscStrallocpy(label, &labels[ncurve]));
            fit[ncurve] = f;
            PetscCall(PetscArraycpy(obs + ncurve * n, y, n));
            ncurve++;
          }
        }
  fclose(fp);
  if (ncurve) PetscCall(Figure(m, j, ncurve, fit, obs, labels));
  for (PetscInt c = 0; c < ncurve; c++) PetscCall(PetscFree(labels[c]));
  PetscCall(PetscFree5(fit, obs, x, y, labels));
  PetscFunctionReturn(0);
}

/* -screen_drugs A,B: effects and excesses on each grid; the first grid as heatmaps */
PetscErrorCode GepSummarySynergy(GepSummary *m)
{
  GepScreen  s = m->s;
  PetscInt   ja, jb, sa, sb, na, nb;
  char       path[PETSC_MAX_PATH_LEN], svg[PETSC_MAX_PATH_LEN], title[512];
  FILE      *fp = NULL;
  PetscReal *bliss, *hsa;
  char     **rows, **cols;
  PetscBool  first = PETSC_TRUE;

  PetscFunctionBegin;
  PetscCall(GepScreenDrugs(s, &ja, &jb));
  PetscCall(GepScreenSweepStride(s, ja, &sa));
  PetscCall(GepScreenSweepStride(s, jb, &sb));
  na = s->sweep[ja].n;
  nb = s->sweep[jb].n;
  PetscCall(GepSummaryOpen(s, "-synergy.csv", &fp, path, sizeof(path)));
  fprintf(fp, "genotype,environment,replicate");
  GepSummaryOtherSweepNames(fp, s, ja, jb);
  fprintf(fp, ",%s,%s,readout,effect,bliss_excess,hsa_excess\n", s->sweep[ja].name, s->sweep[jb].name);
  PetscCall(PetscMalloc4(na * nb, &bliss, na * nb, &hsa, na, &rows, nb, &cols));
  for (PetscInt g = 0; g < s->ngeno; g++)
    for (PetscInt e = 0; e < s->nenv; e++)
      for (PetscInt pt = 0; pt < s->npoint; pt++)
        for (PetscInt rep = 0; rep < s->nrep && FirstOf(s, pt, ja, sa) && FirstOf(s, pt, jb, sb); rep++) {
          PetscReal y00 = GepSummaryValue(m, g, e, pt, rep);
          for (PetscInt i = 0; i < na; i++)
            for (PetscInt k = 0; k < nb; k++) {
              PetscReal y = GepSummaryValue(m, g, e, pt + i * sa + k * sb, rep), f = 1 - y / y00,
                        fa      = 1 - GepSummaryValue(m, g, e, pt + i * sa, rep) / y00,
                        fb      = 1 - GepSummaryValue(m, g, e, pt + k * sb, rep) / y00;
              bliss[i * nb + k] = f - (fa + fb - fa * fb);
              hsa[i * nb + k]   = f - PetscMax(fa, fb);
              fprintf(fp, "%s,%s,%d", GepSummaryGenotype(s, g), GepSummaryEnvironment(s, e), (int)rep);
              GepSummaryOtherSweeps(fp, s, pt, ja, jb);
              fprintf(fp, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", (double)s->sweep[ja].values[i],
                      (double)s->sweep[jb].values[k], (double)y, (double)f, (double)bliss[i * nb + k],
                      (double)hsa[i * nb + k]);
            }
          if (!first) continue;
          first = PETSC_FALSE;
          for (PetscInt i = 0; i < na; i++) PetscCall(PetscMalloc1(32, &rows[i]));
          for (PetscInt k = 0; k < nb; k++) PetscCall(PetscMalloc1(32, &cols[k]));
          for (PetscInt i = 0; i < na; i++)
            PetscCall(PetscSNPrintf(rows[i], 32, "%s %.3g", s->sweep[ja].name, (double)s->sweep[ja].values[i]));
          for (PetscInt k = 0; k < nb; k++)
            PetscCall(PetscSNPrintf(cols[k], 32, "%.3g", (double)s->sweep[jb].values[k]));
          PetscCall(GepSiblingPath(s->out, "-bliss.svg", svg, sizeof(svg)));
          PetscCall(PetscSNPrintf(title, sizeof(title), "Bliss excess of %s (%s, %s; columns: %s)", s->read[m->r].text,
                                  GepSummaryGenotype(s, g), GepSummaryEnvironment(s, e), s->sweep[jb].name));
          PetscCall(
            GepSVGHeatmapDiverging(svg, title, na, nb, (const char *const *)rows, (const char *const *)cols, bliss));
          PetscCall(GepSiblingPath(s->out, "-hsa.svg", svg, sizeof(svg)));
          PetscCall(PetscSNPrintf(title, sizeof(title), "HSA excess of %s (%s, %s; columns: %s)", s->read[m->r].text,
                                  GepSummaryGenotype(s, g), GepSummaryEnvironment(s, e), s->sweep[jb].name));
          PetscCall(
            GepSVGHeatmapDiverging(svg, title, na, nb, (const char *const *)rows, (const char *const *)cols, hsa));
          for (PetscInt i = 0; i < na; i++) PetscCall(PetscFree(rows[i]));
          for (PetscInt k = 0; k < nb; k++) PetscCall(PetscFree(cols[k]));
        }
  fclose(fp);
  PetscCall(PetscFree4(bliss, hsa, rows, cols));
  PetscFunctionReturn(0);
}
