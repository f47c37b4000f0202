/* The Hill fit of gepsim's dose-response summaries recovers known parameters from
   noise-free synthetic curves (falling and rising, steep and shallow, with and without
   a zero dose) to 1e-6 relative, with a residual below 1e-9; and a curve shifted by a
   known IC50 ratio gives that ratio. */
#include <math.h>
#include "gepsim.h"

int main(int argc, char **argv)
{
  static const PetscReal truth[][4] = {/* bottom, top, IC50, h */
                                       {0.1, 1.0, 0.3, 1.0},
                                       {0.0, 5.0, 12.0, 2.5},
                                       {2.0, 0.5, 1.5, 0.7},
                                       {-1.0, 3.0, 0.02, 1.8},
                                       {10.0, 40.0, 3.0, 4.0}};
  PetscReal              x[12], y[12];
  PetscInt               failures = 0;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  for (size_t c = 0; c < sizeof(truth) / sizeof(truth[0]); c++) {
    const PetscReal *t = truth[c];
    PetscInt         n = c % 2 ? 12 : 10;
    GepHillFit       fit;
    PetscReal        err[4];

    for (PetscInt i = 0; i < n; i++) { /* log-spaced around the IC50, a zero dose in some */
      x[i] = (c == 2 && i == 0) ? 0.0 : t[2] * pow(10.0, -2.0 + 4.0 * (PetscReal)i / (PetscReal)(n - 1));
      y[i] = t[0] + (t[1] - t[0]) / (1 + (x[i] > 0 ? pow(x[i] / t[2], t[3]) : 0.0));
    }
    PetscCall(GepScreenFitHill(n, x, y, &fit));
    err[0] = PetscAbsReal(fit.bottom - t[0]) / PetscMax(PetscAbsReal(t[0]), 1.0);
    err[1] = PetscAbsReal(fit.top - t[1]) / PetscMax(PetscAbsReal(t[1]), 1.0);
    err[2] = PetscAbsReal(fit.ic50 / t[2] - 1);
    err[3] = PetscAbsReal(fit.hill / t[3] - 1);
    for (int k = 0; k < 4; k++)
      if (!(err[k] <= 1e-6)) failures++;
    if (!(fit.rms <= 1e-9) || !fit.converged) failures++;
    if (failures)
      PetscCall(
        PetscPrintf(PETSC_COMM_WORLD,
                    "FAIL: curve %d: fit bottom %g top %g IC50 %g h %g (rms %g, converged %d), truth %g %g %g %g\n",
                    (int)c, (double)fit.bottom, (double)fit.top, (double)fit.ic50, (double)fit.hill, (double)fit.rms,
                    (int)fit.converged, (double)t[0], (double)t[1], (double)t[2], (double)t[3]));
    if (PetscAbsReal(GepScreenHillValue(&fit, t[2]) - 0.5 * (t[0] + t[1])) > 1e-6 * PetscAbsReal(t[1] - t[0]))
      failures++; /* half-way at the IC50 */
  }
  PetscCall(PetscFinalize());
  return failures ? 1 : 0;
}
