/* Minimal SVG line plots: axes with "nice" ticks, bands, lines, legend. */
#include <math.h>
#include <stdio.h>
#include "svgimpl.h"

const char *const GepSVGPalette[10] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                       "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"};
#define palette GepSVGPalette

PetscReal GepSVGNiceStep(PetscReal range)
{
  PetscReal raw = range / 5.0, mag = pow(10.0, floor(log10(raw))), f = raw / mag;
  return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * mag;
}

static void Range(PetscInt n, const PetscReal *v, PetscReal *lo, PetscReal *hi)
{
  if (!v) return;
  for (PetscInt i = 0; i < n; i++) {
    if (!isfinite(v[i])) continue;
    if (v[i] < *lo) *lo = v[i];
    if (v[i] > *hi) *hi = v[i];
  }
}

void GepSVGEscape(FILE *fp, const char *s)
{
  for (; s && *s; s++) {
    if (*s == '<') fputs("&lt;", fp);
    else if (*s == '>') fputs("&gt;", fp);
    else if (*s == '&') fputs("&amp;", fp);
    else fputc(*s, fp);
  }
}

PetscErrorCode GepSVGLinePlot(const char path[], const char title[], const char xlabel[], const char ylabel[],
                              PetscInt n, const PetscReal x[], PetscInt ns, const GepSVGSeries s[])
{
  const double W = 800, H = 500, L = 80, R = 190, T = 50, Bm = 60;
  PetscReal    x0 = PETSC_MAX_REAL, x1 = -PETSC_MAX_REAL, y0 = PETSC_MAX_REAL, y1 = -PETSC_MAX_REAL, step;
  char         tmp[PETSC_MAX_PATH_LEN];
  FILE        *fp;

  PetscFunctionBegin;
  Range(n, x, &x0, &x1);
  for (PetscInt k = 0; k < ns; k++) {
    Range(n, s[k].y, &y0, &y1);
    Range(n, s[k].lo, &y0, &y1);
    Range(n, s[k].hi, &y0, &y1);
    Range(n, s[k].marks, &y0, &y1);
  }
  if (!(x1 > x0)) {
    x0 -= 0.5;
    x1 += 0.5;
  }
  if (!(y1 > y0)) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  step = GepSVGNiceStep(y1 - y0);
  y0   = floor(y0 / step) * step;
  y1   = ceil(y1 / step) * step;
#define PX(v) (L + ((v)-x0) / (x1 - x0) * (W - L - R))
#define PY(v) (H - Bm - ((v)-y0) / (y1 - y0) * (H - T - Bm))
  PetscCall(GepSVGOpen(path, title, W, H, tmp, sizeof(tmp), &fp));
  for (PetscReal v = y0; v <= y1 + 0.5 * step; v += step) {
    fprintf(fp, "<line x1=\"%g\" x2=\"%g\" y1=\"%.2f\" y2=\"%.2f\" stroke=\"#ddd\"/>", L, W - R, PY(v), PY(v));
    fprintf(fp, "<text x=\"%g\" y=\"%.2f\" text-anchor=\"end\">%g</text>\n", L - 6, PY(v) + 4,
            fabs(v) < 1e-12 * step ? 0.0 : v);
  }
  step = GepSVGNiceStep(x1 - x0);
  for (PetscReal v = ceil(x0 / step) * step; v <= x1 + 1e-9 * step; v += step)
    fprintf(fp,
            "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%g\" y2=\"%g\" stroke=\"#000\"/><text x=\"%.2f\" y=\"%g\" "
            "text-anchor=\"middle\">%g</text>\n",
            PX(v), PX(v), H - Bm, H - Bm + 5, PX(v), H - Bm + 20, v);
  GepSVGFrame(fp, L, T, R, Bm, W, H, 20, xlabel, ylabel);
  for (PetscInt k = 0; k < ns; k++) {
    const char *c = palette[k % 10];
    if (s[k].lo && s[k].hi) {
      fprintf(fp, "<polygon fill=\"%s\" fill-opacity=\"0.18\" stroke=\"none\" points=\"", c);
      for (PetscInt i = 0; i < n; i++) fprintf(fp, "%.2f,%.2f ", PX(x[i]), PY(s[k].hi[i]));
      for (PetscInt i = n - 1; i >= 0; i--) fprintf(fp, "%.2f,%.2f ", PX(x[i]), PY(s[k].lo[i]));
      fprintf(fp, "\"/>\n");
    }
    fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", c);
    for (PetscInt i = 0; i < n; i++)
      if (isfinite(s[k].y[i])) fprintf(fp, "%.2f,%.2f ", PX(x[i]), PY(s[k].y[i]));
    fprintf(fp, "\"/>\n");
    for (PetscInt i = 0; s[k].marks && i < n; i++)
      if (isfinite(s[k].marks[i]))
        fprintf(fp, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3.5\" fill=\"%s\"/>", PX(x[i]), PY(s[k].marks[i]), c);
    fprintf(fp, "<rect x=\"%g\" y=\"%g\" width=\"14\" height=\"4\" fill=\"%s\"/><text x=\"%g\" y=\"%g\">", W - R + 15,
            T + 10 + 18 * k, c, W - R + 35, T + 15 + 18 * k);
    GepSVGEscape(fp, s[k].label);
    fprintf(fp, "</text>\n");
  }
#undef PX
#undef PY
  PetscCall(GepSVGClose(fp, tmp, path));
  PetscFunctionReturn(0);
}

/* Start a figure under path.part (tmp) with a white background and a title. */
/* the plot area's box (margins L, T, R, Bm of a W x H figure) and the axis
   labels, the y label rotated at x = ylabel_x */
void GepSVGFrame(FILE *fp, double L, double T, double R, double Bm, double W, double H, double ylabel_x,
                 const char *xlabel, const char *ylabel)
{
  fprintf(fp, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" stroke=\"#000\"/>\n", L, T, W - L - R,
          H - T - Bm);
  fprintf(fp, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">", (W - R + L) / 2, H - 15);
  GepSVGEscape(fp, xlabel);
  fprintf(fp, "</text>\n<text transform=\"translate(%g %g) rotate(-90)\" text-anchor=\"middle\">", ylabel_x,
          (H - Bm + T) / 2);
  GepSVGEscape(fp, ylabel);
  fprintf(fp, "</text>\n");
}

PetscErrorCode GepSVGOpen(const char path[], const char title[], double W, double H, char tmp[], size_t len, FILE **fp)
{
  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(tmp, len, "%s.part", path));
  PetscCall(GepTempFileRegister(tmp));
  *fp = fopen(tmp, "w");
  PetscCheck(*fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "figure %s: cannot create", tmp);
  fprintf(*fp,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" font-family=\"sans-serif\" "
          "font-size=\"12\">\n",
          W, H);
  fprintf(*fp, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n<text x=\"10\" y=\"28\" font-size=\"15\">");
  GepSVGEscape(*fp, title);
  fprintf(*fp, "</text>\n");
  PetscFunctionReturn(0);
}

PetscErrorCode GepSVGClose(FILE *fp, const char tmp[], const char path[])
{
  PetscFunctionBegin;
  fprintf(fp, "</svg>\n");
  PetscCheck(fclose(fp) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "figure %s: write failed", tmp);
  PetscCall(GepTempFileCommit(PETSC_COMM_SELF, tmp, path));
  PetscFunctionReturn(0);
}
