/* Compare a gepsim factor model (-ours) with the true factors of synthetic data
   (-truth FILE with /truth/Z: mean over true factors of the best |r| with a
   gepsim factor, at least -min_mean_r), or with a MOFA+ model of the same data
   (-mofa FILE, both in MOFA+'s HDF5 layout): total R2 per view (within -r2_tol percentage points),
   the same number of active factors (R2 above -active_r2 % in a view), and the
   canonical correlations between MOFA+'s active factors and gepsim's active
   factors (each at least -min_cc): with as many on both sides, each span lies
   in the other, so a spurious extra factor fails as a missing one does.
   Reported only: each active factor's best |r| with one of the other side's.
   Factor analysis is identified up to rotation: the span is what must agree. */
#include "gepsim.h"
#include <petscblaslapack.h>

/* K x N dataset -> N x K row-major */
static PetscErrorCode ReadFactors(GepH5File h, const char *name, PetscInt *N, PetscInt *K, PetscReal **Z)
{
  PetscInt   nd, dims[4];
  PetscReal *t;

  PetscFunctionBegin;
  PetscCall(GepH5GetDims(h, name, &nd, dims));
  *K = dims[0];
  *N = dims[1];
  PetscCall(PetscMalloc1(dims[0] * dims[1], &t));
  PetscCall(PetscMalloc1(dims[0] * dims[1], Z));
  PetscCall(GepH5ReadRealRows(h, name, 0, dims[0], t));
  for (PetscInt k = 0; k < *K; k++)
    for (PetscInt n = 0; n < *N; n++) (*Z)[n * *K + k] = t[k * *N + n];
  PetscCall(PetscFree(t));
  PetscFunctionReturn(0);
}

/* centred, orthonormal basis of the columns (modified Gram-Schmidt); returns its rank */
static PetscInt Orthonormal(PetscInt N, PetscInt K, const PetscReal *A, PetscReal *Q)
{
  PetscInt r = 0;

  for (PetscInt k = 0; k < K; k++) {
    PetscReal mean = 0, nrm = 0, nrm0 = 0;
    for (PetscInt n = 0; n < N; n++) mean += A[n * K + k] / N;
    for (PetscInt n = 0; n < N; n++) {
      Q[n * K + r] = A[n * K + k] - mean;
      nrm0 += Q[n * K + r] * Q[n * K + r];
    }
    for (PetscInt j = 0; j < r; j++) {
      PetscReal dot = 0;
      for (PetscInt n = 0; n < N; n++) dot += Q[n * K + j] * Q[n * K + r];
      for (PetscInt n = 0; n < N; n++) Q[n * K + r] -= dot * Q[n * K + j];
    }
    for (PetscInt n = 0; n < N; n++) nrm += Q[n * K + r] * Q[n * K + r];
    if (nrm <= 1e-20 * (nrm0 + 1e-300) || nrm == 0) continue; /* dependent column */
    for (PetscInt n = 0; n < N; n++) Q[n * K + r] /= PetscSqrtReal(nrm);
    r++;
  }
  return r;
}

static PetscReal Corr(PetscInt N, const PetscReal *x, PetscInt sx, const PetscReal *y, PetscInt sy)
{
  PetscReal mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
  for (PetscInt n = 0; n < N; n++) {
    mx += x[n * sx] / N;
    my += y[n * sy] / N;
  }
  for (PetscInt n = 0; n < N; n++) {
    sxx += (x[n * sx] - mx) * (x[n * sx] - mx);
    syy += (y[n * sy] - my) * (y[n * sy] - my);
    sxy += (x[n * sx] - mx) * (y[n * sy] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / PetscSqrtReal(sxx * syy) : 0.0;
}

static PetscErrorCode CompareWithTruth(const char *ours, const char *truth, const char *group, PetscReal minr,
                                       PetscInt *fails)
{
  GepH5File  ho, ht;
  PetscInt   No, Ko, Nt, Kt;
  PetscReal *Zo, *Zt, mean = 0;
  char       name[512];

  PetscFunctionBegin;
  PetscCall(GepH5Open(PETSC_COMM_SELF, ours, &ho));
  PetscCall(GepH5Open(PETSC_COMM_SELF, truth, &ht));
  PetscCall(PetscSNPrintf(name, sizeof(name), "/expectations/Z/%s", group));
  PetscCall(ReadFactors(ho, name, &No, &Ko, &Zo));
  {
    PetscBool per_group;
    PetscCall(PetscSNPrintf(name, sizeof(name), "/truth/Zg/%s", group));
    PetscCall(GepH5Exists(ht, name, &per_group));
    PetscCall(ReadFactors(ht, per_group ? name : "/truth/Z", &Nt, &Kt, &Zt));
  }
  PetscCheck(No == Nt, PETSC_COMM_SELF, PETSC_ERR_USER, "%s has %" PetscInt_FMT " samples, %s has %" PetscInt_FMT, ours,
             No, truth, Nt);
  for (PetscInt t = 0; t < Kt; t++) {
    PetscReal best = 0;
    for (PetscInt k = 0; k < Ko; k++) best = PetscMax(best, PetscAbsReal(Corr(No, Zt + t, Kt, Zo + k, Ko)));
    PetscCall(PetscPrintf(PETSC_COMM_SELF, "true factor %" PetscInt_FMT ": best |r| with a gepsim factor %.3f\n", t + 1,
                          (double)best));
    mean += best / Kt;
  }
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "mean best |r| %.3f (minimum %.2f) %s\n", (double)mean, (double)minr,
                        mean >= minr ? "ok" : "FAIL"));
  if (mean < minr) (*fails)++;
  PetscCall(PetscFree(Zo));
  PetscCall(PetscFree(Zt));
  PetscCall(GepH5Close(&ho));
  PetscCall(GepH5Close(&ht));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char ours[PETSC_MAX_PATH_LEN], mofa[PETSC_MAX_PATH_LEN], truth[PETSC_MAX_PATH_LEN], group[256] = "single_group",
                                                                                      name[512];
  PetscBool has_truth = PETSC_FALSE, has_mofa = PETSC_FALSE;
  PetscReal minr  = 0.9;
  PetscReal r2tol = 1.0, mincc = 0.95, active = 1.0, *Zo, *Zm, *r2o, *r2m, *r2pf, *r2pfo, *Xa, *Ya, *Qx, *Qy, *C, *w,
            work[256];
  PetscInt     No, Ko, Nm, Km, M, nd, dims[4], na = 0, nactive_ours = 0, fails = 0;
  GepH5File    ho, hm;
  PetscBLASInt bn, lwork = 256, info;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-ours", ours, sizeof(ours), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mofa", mofa, sizeof(mofa), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-group", group, sizeof(group), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-r2_tol", &r2tol, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-min_cc", &mincc, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-active_r2", &active, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-truth", truth, sizeof(truth), &has_truth));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-min_mean_r", &minr, NULL));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-mofa", &has_mofa));
  if (has_truth) PetscCall(CompareWithTruth(ours, truth, group, minr, &fails));
  if (!has_mofa) {
    PetscCall(PetscFinalize());
    return fails ? 1 : 0;
  }
  PetscCall(GepH5Open(PETSC_COMM_SELF, ours, &ho));
  PetscCall(GepH5Open(PETSC_COMM_SELF, mofa, &hm));
  PetscCall(PetscSNPrintf(name, sizeof(name), "/expectations/Z/%s", group));
  PetscCall(ReadFactors(ho, name, &No, &Ko, &Zo));
  PetscCall(ReadFactors(hm, name, &Nm, &Km, &Zm));
  PetscCheck(No == Nm, PETSC_COMM_SELF, PETSC_ERR_USER, "%s has %" PetscInt_FMT " samples, %s has %" PetscInt_FMT, ours,
             No, mofa, Nm);
  PetscCall(PetscSNPrintf(name, sizeof(name), "/variance_explained/r2_total/%s", group));
  PetscCall(GepH5GetDims(hm, name, &nd, dims));
  M = dims[0];
  PetscCall(PetscMalloc6(M, &r2o, M, &r2m, M * Km, &r2pf, M * Ko, &r2pfo, No * Km, &Xa, No * Km, &Qx));
  PetscCall(GepH5ReadRealRows(ho, name, 0, M, r2o));
  PetscCall(GepH5ReadRealRows(hm, name, 0, M, r2m));
  PetscCall(PetscSNPrintf(name, sizeof(name), "/variance_explained/r2_per_factor/%s", group));
  PetscCall(GepH5ReadRealRows(hm, name, 0, M, r2pf));
  PetscCall(GepH5ReadRealRows(ho, name, 0, M, r2pfo));
  for (PetscInt m = 0; m < M; m++) {
    PetscBool ok = (PetscBool)(PetscAbsReal(r2o[m] - r2m[m]) <= r2tol);
    PetscCall(PetscPrintf(
      PETSC_COMM_SELF,
      "view %" PetscInt_FMT ": total R2 gepsim %.2f %%, MOFA+ %.2f %% (difference %.2f, tolerance %.2f) %s\n", m,
      (double)r2o[m], (double)r2m[m], (double)(r2o[m] - r2m[m]), (double)r2tol, ok ? "ok" : "FAIL"));
    if (!ok) fails++;
  }
  /* MOFA+'s active factors: R2 above -active_r2 % in some view */
  for (PetscInt pass = 0; pass < 2; pass++) { /* count, then copy with na columns */
    PetscInt a = 0;
    for (PetscInt k = 0; k < Km; k++) {
      PetscBool on = PETSC_FALSE;
      for (PetscInt m = 0; m < M; m++) on = (PetscBool)(on || r2pf[m * Km + k] > active);
      if (!on) continue;
      if (pass)
        for (PetscInt n = 0; n < No; n++) Xa[n * na + a] = Zm[n * Km + k];
      a++;
    }
    na = a;
  }
  for (PetscInt k = 0; k < Ko; k++) {
    PetscBool on = PETSC_FALSE;
    for (PetscInt m = 0; m < M; m++) on = (PetscBool)(on || r2pfo[m * Ko + k] > active);
    if (on) nactive_ours++;
  }
  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "active factors (R2 > %.1f %% in a view): MOFA+ %" PetscInt_FMT ", gepsim %" PetscInt_FMT
                        " of %" PetscInt_FMT " %s\n",
                        (double)active, na, nactive_ours, Ko, na == nactive_ours ? "ok" : "FAIL"));
  if (na != nactive_ours) fails++;
  PetscCall(PetscMalloc1(No * PetscMax(nactive_ours, 1), &Ya));
  for (PetscInt k = 0, a = 0; k < Ko; k++) { /* gepsim's active factors, the columns of Ya */
    PetscBool on = PETSC_FALSE;
    for (PetscInt m = 0; m < M; m++) on = (PetscBool)(on || r2pfo[m * Ko + k] > active);
    if (!on) continue;
    for (PetscInt n = 0; n < No; n++) Ya[n * nactive_ours + a] = Zo[n * Ko + k];
    a++;
  }
  for (PetscInt a = 0; a < nactive_ours; a++) {
    PetscReal best = 0;
    for (PetscInt b = 0; b < na; b++) best = PetscMax(best, PetscAbsReal(Corr(No, Ya + a, nactive_ours, Xa + b, na)));
    PetscCall(PetscPrintf(PETSC_COMM_SELF,
                          "gepsim active factor %" PetscInt_FMT ": best |r| with a MOFA+ active factor %.3f\n", a + 1,
                          (double)best));
  }
  for (PetscInt a = 0; a < na; a++) {
    PetscReal best = 0;
    for (PetscInt k = 0; k < nactive_ours; k++)
      best = PetscMax(best, PetscAbsReal(Corr(No, Xa + a, na, Ya + k, nactive_ours)));
    PetscCall(PetscPrintf(PETSC_COMM_SELF,
                          "MOFA+ active factor %" PetscInt_FMT ": best |r| with a gepsim factor %.3f\n", a + 1,
                          (double)best));
  }
  /* canonical correlations: singular values of Qx^T Qy */
  {
    PetscInt rx, ry;
    PetscCall(PetscMalloc3(No * Ko, &Qy, na * Ko + na * na, &C, na + 1, &w));
    rx = Orthonormal(No, na, Xa, Qx);
    ry = Orthonormal(No, nactive_ours, Ya, Qy);
    PetscCheck(rx == na, PETSC_COMM_SELF, PETSC_ERR_USER, "MOFA+'s active factors are linearly dependent");
    for (PetscInt a = 0; a < na; a++)
      for (PetscInt j = 0; j < ry; j++) {
        PetscReal s = 0;
        for (PetscInt n = 0; n < No; n++) s += Qx[n * na + a] * Qy[n * nactive_ours + j];
        C[a * ry + j] = s;
      }
    for (PetscInt a = 0; a < na; a++)
      for (PetscInt b = 0; b < na; b++) {
        PetscReal s = 0;
        for (PetscInt j = 0; j < ry; j++) s += C[a * ry + j] * C[b * ry + j];
        C[na * ry + a * na + b] = s;
      }
    PetscCall(PetscBLASIntCast(na, &bn));
    PetscCallBLAS("LAPACKsyev", LAPACKsyev_("N", "U", &bn, C + na * ry, &bn, w, work, &lwork, &info));
    PetscCheck(info == 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "syev failed");
    for (PetscInt a = na - 1; a >= 0; a--) {
      PetscReal cc = PetscSqrtReal(PetscMax(w[a], 0.0));
      PetscCall(PetscPrintf(PETSC_COMM_SELF, "canonical correlation %" PetscInt_FMT ": %.4f (minimum %.2f) %s\n",
                            na - a, (double)cc, (double)mincc, cc >= mincc ? "ok" : "FAIL"));
      if (cc < mincc) fails++;
    }
    PetscCall(PetscFree3(Qy, C, w));
  }
  PetscCall(PetscFree6(r2o, r2m, r2pf, r2pfo, Xa, Qx));
  PetscCall(PetscFree(Ya));
  PetscCall(PetscFree(Zo));
  PetscCall(PetscFree(Zm));
  PetscCall(GepH5Close(&ho));
  PetscCall(GepH5Close(&hm));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
