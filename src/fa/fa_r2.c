/* GepFA variance explained (MOFA+'s R2: 1 - residual / total sum of squares of
   the centred data over observed entries, per group and view, in total and per
   factor), dropping inactive factors, and sorting factors by variance explained. */
#include "faimpl.h"

PetscErrorCode GepFAComputeVarianceExplained(GepFA fa)
{
  PetscInt   K = fa->K, G = fa->G, M = fa->M, chunk = 256, nmax = 0, Dmax = 0;
  PetscReal *res, *Yhat, *YW, *Z2, *C;

  PetscFunctionBegin;
  for (PetscInt g = 0; g < G; g++) nmax = PetscMax(nmax, fa->grow[g + 1] - fa->grow[g]);
  for (PetscInt m = 0; m < M; m++) Dmax = PetscMax(Dmax, fa->v[m].D);
  PetscCall(PetscFree(fa->r2));
  PetscCall(PetscFree(fa->r2tot));
  PetscCall(PetscCalloc1(G * M * K + 1, &fa->r2));
  PetscCall(PetscCalloc1(G * M + 1, &fa->r2tot));
  /* local residual sums: per (g, m): total, then per factor the part that depends on z */
  PetscCall(PetscCalloc1(G * M * (K + 2) + 1, &res));
  PetscCall(PetscMalloc4(chunk * Dmax + 1, &Yhat, nmax * K + 1, &YW, nmax * K + 1, &Z2, Dmax * K + 1, &C));
  for (PetscInt m = 0; m < M; m++) {
    GepFALayer      *v  = &fa->v[m];
    PetscInt         D  = v->D;
    const PetscReal *Yd = v->Yps ? v->Yps : v->Y; /* MOFA+: non-gaussian views through their pseudo-data */

    for (PetscInt g = 0; g < G; g++) {
      PetscInt   r0 = fa->grow[g], ng = fa->grow[g + 1] - r0;
      PetscReal *r = res + (g * M + m) * (K + 2);

      for (PetscInt c0 = 0; c0 < ng; c0 += chunk) {
        PetscInt nc = PetscMin(chunk, ng - c0);

        PetscCall(GepGemm('N', 'T', nc, D, K, 1.0, fa->Zm + (r0 + c0) * K, K, v->WE, K, 0.0, Yhat, D));
        for (PetscInt n = 0; n < nc; n++) {
          const PetscReal *y = Yd + (r0 + c0 + n) * D, *o = v->O ? v->O + (r0 + c0 + n) * D : NULL;
          for (PetscInt d = 0; d < D; d++) {
            PetscReal e = y[d] - Yhat[n * D + d];
            r[0] += (o ? o[d] : 1.0) * e * e;
          }
        }
      }
      /* sum (y - z_k w_k)^2 = SS - 2 sum_n z_nk (Y w_k)_n + sum_d w_dk^2 sum_n O_nd z_nk^2 */
      PetscCall(GepGemm('N', 'N', ng, K, D, 1.0, Yd + r0 * D, D, v->WE, K, 0.0, YW, K));
      if (v->Yps) /* the pseudo-data change: their sum of squares too (last slot) */
        for (PetscInt i = r0 * D; i < (r0 + ng) * D; i++) r[K + 1] += Yd[i] * Yd[i];
      for (PetscInt i = 0; i < ng * K; i++) Z2[i] = fa->Zm[r0 * K + i] * fa->Zm[r0 * K + i];
      PetscCall(GepFAObsTB(fa, m, g, K, Z2, C));
      for (PetscInt n = 0; n < ng; n++)
        for (PetscInt k = 0; k < K; k++) r[1 + k] -= 2.0 * fa->Zm[(r0 + n) * K + k] * YW[n * K + k];
      for (PetscInt d = 0; d < D; d++)
        for (PetscInt k = 0; k < K; k++) r[1 + k] += C[d * K + k] * v->WE[d * K + k] * v->WE[d * K + k];
    }
  }
  PetscCall(GepFAAllreduce(fa, res, G * M * (K + 2)));
  for (PetscInt g = 0; g < G; g++)
    for (PetscInt m = 0; m < M; m++) {
      PetscReal *r = res + (g * M + m) * (K + 2), ss = fa->v[m].Yps ? r[K + 1] : fa->v[m].ss[g];
      fa->r2tot[g * M + m] = ss > 0 ? 100.0 * (1.0 - r[0] / ss) : 0.0;
      /* per factor: 1 - (SS + r[1 + k]) / SS */
      for (PetscInt k = 0; k < K; k++) fa->r2[(g * M + m) * K + k] = ss > 0 ? -100.0 * r[1 + k] / ss : 0.0;
    }
  PetscCall(PetscFree4(Yhat, YW, Z2, C));
  PetscCall(PetscFree(res));
  PetscFunctionReturn(0);
}

/* A rows x K row-major array keeps columns keep[0..Knew) in that order (in place). */
static PetscErrorCode SelectColumns(PetscReal *A, PetscInt rows, PetscInt K, const PetscInt *keep, PetscInt Knew,
                                    PetscReal *tmp)
{
  PetscFunctionBegin;
  for (PetscInt r = 0; r < rows; r++) {
    PetscCall(PetscArraycpy(tmp, A + r * K, K));
    for (PetscInt j = 0; j < Knew; j++) A[r * Knew + j] = tmp[keep[j]];
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode SelectFactors(GepFA fa, const PetscInt *keep, PetscInt Knew)
{
  PetscInt   K = fa->K;
  PetscReal *tmp;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(K, &tmp));
  fa->stats_valid = PETSC_FALSE;
  PetscCall(SelectColumns(fa->Zm, fa->nloc, K, keep, Knew, tmp));
  PetscCall(SelectColumns(fa->Zv, fa->nloc, K, keep, Knew, tmp));
  PetscCall(SelectColumns(fa->ZE2, fa->nloc, K, keep, Knew, tmp));
  PetscCall(SelectColumns(fa->za, fa->G, K, keep, Knew, tmp));
  PetscCall(SelectColumns(fa->zb, fa->G, K, keep, Knew, tmp));
  PetscCall(SelectColumns(fa->r2, fa->G * fa->M, K, keep, Knew, tmp));
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v           = &fa->v[m];
    PetscReal  *perview[]   = {v->Wm, v->Wv, v->Wth, v->WE, v->WE2, v->Wv0, v->WlnV, v->Went};
    PetscReal  *perfactor[] = {v->aa, v->ab, v->ta, v->tb};

    for (size_t i = 0; i < sizeof(perview) / sizeof(perview[0]); i++)
      PetscCall(SelectColumns(perview[i], v->D, K, keep, Knew, tmp));
    for (size_t i = 0; i < sizeof(perfactor) / sizeof(perfactor[0]); i++)
      PetscCall(SelectColumns(perfactor[i], 1, K, keep, Knew, tmp));
  }
  fa->K = Knew;
  PetscCall(PetscFree(tmp));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFARemoveFactor(GepFA fa, PetscInt k)
{
  PetscInt *keep;

  PetscFunctionBegin;
  PetscCheck(fa->K > 1, fa->comm, PETSC_ERR_USER, "every factor is inactive: no structure found in the data");
  PetscCall(PetscMalloc1(fa->K, &keep));
  for (PetscInt j = 0, n = 0; j < fa->K; j++)
    if (j != k) keep[n++] = j;
  PetscCall(SelectFactors(fa, keep, fa->K - 1));
  PetscCall(PetscFree(keep));
  PetscFunctionReturn(0);
}

/* MOFA+ drops one factor per iteration whose R2 is at most the threshold in every
   view and group; of several it draws one at random, gepsim takes the weakest
   (largest R2 in any view smallest), which does not depend on a random stream. */
PetscErrorCode GepFADropFactor(GepFA fa, PetscBool *dropped)
{
  PetscInt  K = fa->K, which = -1;
  PetscReal best = PETSC_MAX_REAL;

  PetscFunctionBegin;
  *dropped = PETSC_FALSE;
  if (fa->drop_r2 < 0 || K <= 1) PetscFunctionReturn(0);
  PetscCall(GepFAComputeVarianceExplained(fa));
  for (PetscInt k = 0; k < K; k++) {
    PetscReal mx = PETSC_MIN_REAL;
    for (PetscInt i = 0; i < fa->G * fa->M; i++) mx = PetscMax(mx, fa->r2[i * K + k] / 100.0);
    if (mx <= fa->drop_r2 && mx < best) {
      best  = mx;
      which = k;
    }
  }
  if (which >= 0) {
    PetscCall(GepFARemoveFactor(fa, which));
    *dropped = PETSC_TRUE;
  }
  PetscFunctionReturn(0);
}

/* Factors in decreasing order of variance explained summed over views and groups. */
PetscErrorCode GepFASortFactors(GepFA fa)
{
  PetscInt  *order, K = fa->K;
  PetscReal *key;

  PetscFunctionBegin;
  PetscCall(GepFAComputeVarianceExplained(fa));
  PetscCall(PetscMalloc2(K, &order, K, &key));
  for (PetscInt k = 0; k < K; k++) {
    order[k] = k;
    key[k]   = 0;
    for (PetscInt i = 0; i < fa->G * fa->M; i++) key[k] -= fa->r2[i * K + k];
  }
  PetscCall(PetscSortRealWithPermutation(K, key, order));
  PetscCall(SelectFactors(fa, order, K));
  PetscCall(PetscFree2(order, key));
  PetscFunctionReturn(0);
}
