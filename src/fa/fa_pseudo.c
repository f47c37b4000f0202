/* GepFA non-gaussian views, as MOFA+ treats them: a local quadratic bound on
   the log-likelihood turns each view into gaussian pseudo-data with per-entry
   precisions; each likelihood's bound is its own file (fa_lik_*.c). The linear predictor is b + z w with an
   offset b per feature and group that maximises the bound (MOFA+ instead
   centres the pseudo-data, leaving zeta without the offset: the bound is then
   loose for rare events, which blurs the factors of sparse binary views). */
#include <math.h>
#include "faimpl.h"

/* rows [r0, r0 + nc): yhat = E[z] E[w]^T and e2 = E[(z w)^2], nc x D */
static PetscErrorCode Moments(GepFA fa, GepFALayer *v, PetscInt r0, PetscInt nc, PetscReal *yhat, PetscReal *e2,
                              PetscReal *A, PetscReal *Bm)
{
  PetscInt K = fa->K, D = v->D;

  PetscFunctionBegin;
  PetscCall(GepGemm('N', 'T', nc, D, K, 1.0, fa->Zm + r0 * K, K, v->WE, K, 0.0, yhat, D));
  GepFAFactorMoments(fa, r0, nc, A);
  for (PetscInt d = 0; d < D; d++)
    for (PetscInt k = 0; k < K; k++) {
      PetscReal w           = v->WE[d * K + k];
      Bm[d * 2 * K + k]     = v->WE2[d * K + k];
      Bm[d * 2 * K + K + k] = -w * w;
    }
  PetscCall(GepGemm('N', 'T', nc, D, 2 * K, 1.0, A, 2 * K, Bm, 2 * K, 0.0, e2, D));
  for (PetscInt i = 0; i < nc * D; i++) e2[i] = PetscMax(e2[i] + yhat[i] * yhat[i], 0.0);
  PetscFunctionReturn(0);
}

#define CHUNK 256

PetscErrorCode GepFAUpdatePseudoData(GepFA fa)
{
  PetscInt K = fa->K, G = fa->G;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];
    PetscInt    D = v->D;
    PetscReal  *yhat, *e2, *A, *Bm, *sum;

    if (v->lik.gaussian) continue;
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

          v->lik.pseudo(v->Y[i], v->offset[g * D + d], yhat[j], e2[j], v->tauP[d], &v->zeta[i], &t, &p);
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

/* the "noise" step of a non-gaussian view whose precisions follow zeta (Jaakkola's, bernoulli) */
PetscErrorCode GepFAUpdatePseudoPrecisions(GepFA fa)
{
  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];
    if (!v->lik.precision) continue;
    for (PetscInt i = 0; i < fa->nloc * v->D; i++) v->T[i] = (v->O ? v->O[i] : 1.0) * v->lik.precision(v->zeta[i]);
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
        PetscReal x = b + yhat[n * D + d],
                  q = e2[n * D + d] + 2.0 * b * yhat[n * D + d] + b * b; /* E[b + z w], E[(b + z w)^2] */

        if (v->O && v->O[i] == 0.0) continue;
        s += v->lik.bound(y, x, q, z, v->tauP[d]);
      }
  }
  PetscCall(PetscFree4(yhat, e2, A, Bm));
  *lb = s;
  PetscFunctionReturn(0);
}
