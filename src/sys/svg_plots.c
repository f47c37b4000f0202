/* SVG heatmaps and scatter plots (factor analysis figures). */
#include <math.h>
#include "svgimpl.h"

static PetscErrorCode Heatmap(const char path[], const char title[], PetscInt nr, PetscInt nc, const char *const rows[],
                              const char *const cols[], const PetscReal v[], PetscBool diverging)
{
  const double cw = 90, ch = 26, L = 110, T = 70;
  double       W = PetscMax(L + cw * nc + 30, 440), H = T + ch * nr + 30;
  PetscReal    mx = 0;
  char         tmp[PETSC_MAX_PATH_LEN];
  FILE        *fp;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < nr * nc; i++)
    if (isfinite(v[i])) mx = PetscMax(mx, diverging ? PetscAbsReal(v[i]) : v[i]);
  if (mx <= 0) mx = 1;
  PetscCall(GepSVGOpen(path, title, W, H, tmp, sizeof(tmp), &fp));
  for (PetscInt j = 0; j < nc; j++) {
    fprintf(fp, "<text x=\"%.1f\" y=\"%g\" text-anchor=\"middle\">", L + cw * (j + 0.5), T - 8);
    GepSVGEscape(fp, cols[j]);
    fprintf(fp, "</text>\n");
  }
  for (PetscInt i = 0; i < nr; i++) {
    fprintf(fp, "<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\">", L - 8, T + ch * (i + 0.5) + 4);
    GepSVGEscape(fp, rows[i]);
    fprintf(fp, "</text>\n");
    for (PetscInt j = 0; j < nc; j++) {
      PetscReal x = v[i * nc + j], f = isfinite(x) ? (diverging ? PetscAbsReal(x) : PetscMax(0.0, x)) / mx : 0.0;
      PetscBool red = (PetscBool)(diverging && x > 0); /* diverging: blue below 0, red above */
      int       r = (int)(255 - f * (255 - (red ? 178 : 31))), g = (int)(255 - f * (255 - (red ? 24 : 119))),
          b = (int)(255 - f * (255 - (red ? 43 : 180)));
      fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%g\" height=\"%g\" fill=\"rgb(%d,%d,%d)\" stroke=\"#fff\"/>",
              L + cw * j, T + ch * i, cw, ch, r, g, b);
      fprintf(fp,
              diverging ? "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">%.3g</text>\n"
                        : "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">%.1f</text>\n",
              L + cw * (j + 0.5), T + ch * (i + 0.5) + 4, f > 0.6 ? "#fff" : "#000", (double)v[i * nc + j]);
    }
  }
  PetscCall(GepSVGClose(fp, tmp, path));
  PetscFunctionReturn(0);
}

PetscErrorCode GepSVGHeatmap(const char path[], const char title[], PetscInt nr, PetscInt nc, const char *const rows[],
                             const char *const cols[], const PetscReal v[])
{
  PetscFunctionBegin;
  PetscCall(Heatmap(path, title, nr, nc, rows, cols, v, PETSC_FALSE));
  PetscFunctionReturn(0);
}

PetscErrorCode GepSVGHeatmapDiverging(const char path[], const char title[], PetscInt nr, PetscInt nc,
                                      const char *const rows[], const char *const cols[], const PetscReal v[])
{
  PetscFunctionBegin;
  PetscCall(Heatmap(path, title, nr, nc, rows, cols, v, PETSC_TRUE));
  PetscFunctionReturn(0);
}

PetscErrorCode GepSVGScatter(const char path[], const char title[], const char xlabel[], const char ylabel[],
                             PetscInt n, const PetscReal x[], const PetscReal y[], const PetscInt cat[], PetscInt ncat,
                             const char *const labels[])
{
  const double W = 700, H = 560, L = 70, R = 170, T = 50, Bm = 60;
  PetscReal    x0 = PETSC_MAX_REAL, x1 = -PETSC_MAX_REAL, y0 = PETSC_MAX_REAL, y1 = -PETSC_MAX_REAL, step;
  char         tmp[PETSC_MAX_PATH_LEN];
  FILE        *fp;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    if (!isfinite(x[i]) || !isfinite(y[i])) continue;
    x0 = PetscMin(x0, x[i]);
    x1 = PetscMax(x1, x[i]);
    y0 = PetscMin(y0, y[i]);
    y1 = PetscMax(y1, y[i]);
  }
  if (!(x1 > x0)) {
    x0 -= 0.5;
    x1 += 0.5;
  }
  if (!(y1 > y0)) {
    y0 -= 0.5;
    y1 += 0.5;
  }
#define PX(v) (L + ((v)-x0) / (x1 - x0) * (W - L - R))
#define PY(v) (H - Bm - ((v)-y0) / (y1 - y0) * (H - T - Bm))
  PetscCall(GepSVGOpen(path, title, W, H, tmp, sizeof(tmp), &fp));
  step = GepSVGNiceStep(x1 - x0);
  for (PetscReal v = ceil(x0 / step) * step; v <= x1 + 1e-9 * step; v += step)
    fprintf(fp, "<text x=\"%.1f\" y=\"%g\" text-anchor=\"middle\">%g</text>\n", PX(v), H - Bm + 18,
            fabs(v) < 1e-12 * step ? 0.0 : v);
  step = GepSVGNiceStep(y1 - y0);
  for (PetscReal v = ceil(y0 / step) * step; v <= y1 + 1e-9 * step; v += step)
    fprintf(fp, "<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", L - 6, PY(v) + 4,
            fabs(v) < 1e-12 * step ? 0.0 : v);
  GepSVGFrame(fp, L, T, R, Bm, W, H, 18, xlabel, ylabel);
  for (PetscInt i = 0; i < n; i++) {
    const char *c = cat && cat[i] >= 0 ? GepSVGPalette[cat[i] % 10] : "#aaa";
    if (!isfinite(x[i]) || !isfinite(y[i])) continue;
    fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" fill-opacity=\"0.8\"/>\n", PX(x[i]), PY(y[i]),
            c);
  }
  for (PetscInt k = 0; k < ncat; k++) {
    fprintf(fp, "<circle cx=\"%g\" cy=\"%g\" r=\"5\" fill=\"%s\"/><text x=\"%g\" y=\"%g\">", W - R + 20,
            T + 10 + 18 * k, GepSVGPalette[k % 10], W - R + 32, T + 14 + 18 * k);
    GepSVGEscape(fp, labels[k]);
    fprintf(fp, "</text>\n");
  }
#undef PX
#undef PY
  PetscCall(GepSVGClose(fp, tmp, path));
  PetscFunctionReturn(0);
}
