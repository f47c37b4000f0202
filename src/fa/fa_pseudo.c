/* GepFA non-gaussian views, as MOFA+ treats them: a local quadratic bound on
   the log-likelihood turns each view into gaussian pseudo-data with per-entry
   precisions. Bernoulli: Jaakkola's bound, zeta^2 = E[(z w)^2], precision
   2 lambda(zeta), pseudo-data (2y - 1) / (4 lambda(zeta)). Poisson (rate
   log(1 + e^x)): Seeger & Bouchard's bound, zeta = E[z] E[w], precision
   0.25 + 0.17 max y per feature. The linear predictor is b + z w with an
   offset b per feature and group that maximises the bound (MOFA+ instead
   centres the pseudo-data, leaving zeta without the offset: the bound is then
   loose for rare events, which blurs the factors of sparse binary views). */
#include <math.h>
#include "faimpl.h"

static inline PetscReal Lambda(PetscReal x)
{
  return x < 1e-8 ? 0.125 : PetscTanhReal(0.5 * x) / (4.0 * x);
}

static inline PetscReal Rate(PetscReal x)
{
  return (x > 30 ? x : log1p(PetscExpReal(x))) + 1e-4;
}

/* rows [r0, r0 + nc): yhat = E[z] E[w]^T and e2 = E[(z w)^2], nc x D */
static PetscErrorCode Moments(GepFA fa, GepFALayer *v, PetscInt r0, PetscInt nc, PetscReal *yhat, PetscReal *e2, PetscReal *A, PetscReal *Bm)
{
  PetscInt K = fa->K, D = v->D;

  PetscFunctionBegin;
  PetscCall(GepGemm('N', 'T', nc, D, K, 1.0, fa->Zm + r0 * K, K, v->WE, K, 0.0, yhat, D));
  GepFAFactorMoments(fa, r0, nc, A);
  for (PetscInt d = 0; d < D; d++)
    for (PetscInt k = 0; k < K; k++) {
      PetscReal w = v->WE[d * K + k];
      Bm[d * 2 * K + k]     = v->WE2[d * K + k];
      Bm[d * 2 * K + K + k] = -w * w;
    }
  PetscCall(GepGemm('N', 'T', nc, D, 2 * K, 1.0, A, 2 * K, Bm, 2 * K, 0.0, e2, D));
  for (PetscInt i = 0; i < nc * D; i++) e2[i] = PetscMax(e2[i] + yhat[i] * yhat[i], 0.0);
  PetscFunctionReturn(0);
}

#define CHUNK 256

/* Bound and pseudo-data of one entry with logit offset b: the bound's parameter
   zeta, the gaussian target t for x = b + z w and its precision p. */
static inline void PseudoEntry(const GepFALayer *v, PetscInt d, PetscReal y, PetscReal b, PetscReal yhat, PetscReal e2, PetscReal *zeta, PetscReal *t, PetscReal *p)
{
  if (v->lik == GEP_LIK_BERNOULLI) {
    *zeta = PetscSqrtReal(PetscMax(e2 + 2.0 * b * yhat + b * b, 0.0));
    *p    = 2.0 * Lambda(*zeta);
    *t    = (y - 0.5) / *p;
  } else {
    *zeta = b + yhat;
    *p    = v->tauP[d];
    *t    = *zeta - GepSigmoid(*zeta) * (1.0 - y / Rate(*zeta)) / *p;
  }
}

PetscErrorCode GepFAUpdatePseudoData(GepFA fa)
{
  PetscInt K = fa->K, G = fa->G;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];
    PetscInt    D = v->D;
    PetscReal  *yhat, *e2, *A, *Bm, *sum;

    if (v->lik == GEP_LIK_GAUSSIAN) continue;
    PetscCall(PetscMalloc4(CHUNK * D, &yhat, CHUNK * D, &e2, CHUNK * 2 * K, &A, D * 2 * K, &Bm));
    PetscCall(PetscCalloc1(2 * G * D, &sum));
    /* the offset of feature d in group g maximises the bound: the
       precision-weighted mean of t - E[z w]; the pseudo-data are then t - b */
    for (PetscInt r0 = 0; r0 < fa->nloc; r0 += CHUNK) {
      PetscInt nc = PetscMin(CHUNK, fa->nloc - r0);

      PetscCall(Moments(fa, v, r0, nc, yhat, e2, A, Bm));
      for (PetscInt n = 0; n < nc; n++) {
        PetscInt g = fa->sgroup[r0 + n];
        for (PetscInt d = 0; d < D; d++) {
          PetscInt  i = (r0 + n) * D + d, j = n * D + d;
          PetscReal o = v->O ? v->O[i] : 1.0, t, p;

          PseudoEntry(v, d, v->Y[i], v->offset[g * D + d], yhat[j], e2[j], &v->zeta[i], &t, &p);
          v->Yps[i] = t;
          sum[g * D + d] += o * p * (t - yhat[j]);
          sum[G * D + g * D + d] += o * p;
        }
      }
    }
    PetscCall(GepFAAllreduce(fa, sum, 2 * G * D));
    for (PetscInt i = 0; i < G * D; i++)
      if (sum[G * D + i] > 0) v->offset[i] = sum[i] / sum[G * D + i];
    for (PetscInt n = 0; n < fa->nloc; n++)
      for (PetscInt d = 0; d < D; d++) {
        PetscInt i = n * D + d;
        v->Yps[i]  = (v->O ? v->O[i] : 1.0) * (v->Yps[i] - v->offset[fa->sgroup[n] * D + d]);
        v->TY[i]   = v->T[i] * v->Yps[i];
      }
    PetscCall(PetscFree4(yhat, e2, A, Bm));
    PetscCall(PetscFree(sum));
  }
  PetscFunctionReturn(0);
}

/* the "noise" step of a non-gaussian view: Jaakkola's precisions from this iteration's zeta */
PetscErrorCode GepFAUpdatePseudoPrecisions(GepFA fa)
{
  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];
    if (v->lik != GEP_LIK_BERNOULLI) continue;
    for (PetscInt i = 0; i < fa->nloc * v->D; i++) v->T[i] = (v->O ? v->O[i] : 1.0) * 2.0 * Lambda(v->zeta[i]);
  }
  PetscFunctionReturn(0);
}

/* local part of the view's expected log-likelihood bound (summed over ranks by the caller) */
PetscErrorCode GepFAPseudoELBO(GepFA fa, PetscInt m, PetscReal *lb)
{
  GepFALayer *v = &fa->v[m];
  PetscInt    D = v->D, K = fa->K;
  PetscReal  *yhat, *e2, *A, *Bm, s = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc4(CHUNK * D, &yhat, CHUNK * D, &e2, CHUNK * 2 * K, &A, D * 2 * K, &Bm));
  for (PetscInt r0 = 0; r0 < fa->nloc; r0 += CHUNK) {
    PetscInt nc = PetscMin(CHUNK, fa->nloc - r0);

    PetscCall(Moments(fa, v, r0, nc, yhat, e2, A, Bm));
    for (PetscInt n = 0; n < nc; n++)
      for (PetscInt d = 0; d < D; d++) {
        PetscInt  i = (r0 + n) * D + d;
        PetscReal b = v->offset[fa->sgroup[r0 + n] * D + d], y = v->Y[i], z = v->zeta[i];
        PetscReal x = b + yhat[n * D + d], q = e2[n * D + d] + 2.0 * b * yhat[n * D + d] + b * b; /* E[b + z w], E[(b + z w)^2] */

        if (v->O && v->O[i] == 0.0) continue;
        if (v->lik == GEP_LIK_BERNOULLI) s += 0.5 * ((2.0 * y - 1.0) * x - z) - log1p(PetscExpReal(-z)) - Lambda(z) * (q - z * z);
        else {
          PetscReal r = Rate(z);
          s -= 0.5 * v->tauP[d] * (q - 2.0 * x * z + z * z) + (x - z) * GepSigmoid(z) * (1.0 - y / r) + r - y * PetscLogReal(r);
        }
      }
  }
  PetscCall(PetscFree4(yhat, e2, A, Bm));
  *lb = s;
  PetscFunctionReturn(0);
}
