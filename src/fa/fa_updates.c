/* GepFA variational updates in MOFA+'s order: weights (spike and slab, factor
   by factor), their ARD precisions and spike probabilities, factors (factor by
   factor), ARD on factors, noise precisions. The weight statistics are sums over
   samples: for gaussian views those shared with the noise step (fa_stats.c),
   for the others computed here, then one MPI_Allreduce. The cross-factor terms
   come from Gram statistics sum_n T_nd z_nk z_nj, so the factor-by-factor
   updates need no further pass over the data. */
#include "faimpl.h"

/* The weights' sufficient statistics of every view, per feature:
   [ (T o Y)^T z (K) | T^T E[z^2] (K) | T^T z_k z_j (P) ]. Non-gaussian views (precisions per
   entry): local products, reduced here, the factor products of a group serving every view;
   gaussian views: the shared statistics, scaled by each group's noise precisions. */
static PetscErrorCode CollectStatistics(GepFA fa, PetscInt tot, PetscReal *stat)
{
  PetscInt   K = fa->K, P = K * (K - 1) / 2, c = 2 * K + P, nmax = 0, Dmax = 0;
  PetscReal *B, *tmp;
  PetscBool  nongaussian = PETSC_FALSE;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) {
    Dmax = PetscMax(Dmax, fa->v[m].D);
    if (!fa->v[m].lik.gaussian) nongaussian = PETSC_TRUE;
  }
  for (PetscInt g = 0; g < fa->G; g++) nmax = PetscMax(nmax, fa->grow[g + 1] - fa->grow[g]);
  PetscCall(PetscMalloc2(nmax * (K + P) + 1, &B, Dmax * (K + P) + 1, &tmp));
  for (PetscInt g = 0; g < fa->G && nongaussian; g++) {
    PetscInt r0 = fa->grow[g], ng = fa->grow[g + 1] - r0;

    GepFAFactorProducts(fa, r0, ng, B);
    for (PetscInt m = 0, off = 0; m < fa->M; off += fa->v[m].D * c, m++) {
      PetscInt D = fa->v[m].D;

      if (fa->v[m].lik.gaussian) continue;
      PetscCall(GepFATYtB(fa, m, g, K, fa->Zm + r0 * K, tmp));
      for (PetscInt d = 0; d < D; d++)
        for (PetscInt k = 0; k < K; k++) stat[off + d * c + k] += tmp[d * K + k];
      PetscCall(GepFATtB(fa, m, g, K + P, B, tmp));
      for (PetscInt d = 0; d < D; d++)
        for (PetscInt j = 0; j < K + P; j++) stat[off + d * c + K + j] += tmp[d * (K + P) + j];
    }
  }
  PetscCall(PetscFree2(B, tmp));
  if (nongaussian) PetscCall(GepFAAllreduce(fa, stat, tot));
  PetscCall(GepFAGaussianStats(fa));
  for (PetscInt m = 0, off = 0; m < fa->M; off += fa->v[m].D * c, m++) {
    GepFALayer *v = &fa->v[m];

    if (!v->lik.gaussian) continue;
    for (PetscInt g = 0; g < fa->G; g++)
      for (PetscInt d = 0; d < v->D; d++) {
        PetscReal tau = GepFATau(v, g, d);
        for (PetscInt j = 0; j < c; j++) stat[off + d * c + j] += tau * v->S[(g * v->D + d) * c + j];
      }
  }
  PetscFunctionReturn(0);
}

/* One view's weights, factor by factor (spike and slab), from its statistics s (D x c); then its ARD
   precisions, from E[w^2] including the spike's variance, and its spike-and-slab probabilities. */
static void UpdateViewWeights(GepFA fa, GepFALayer *v, const PetscReal *stat, const PetscInt *pt)
{
  PetscInt K = fa->K, c = 2 * K + K * (K - 1) / 2, D = v->D;

  for (PetscInt k = 0; k < K; k++) {
    PetscReal alpha = fa->ard_weights ? v->aa[k] / v->ab[k] : 1.0;
    /* E[ln theta] - E[ln(1 - theta)] + ln(alpha) / 2 */
    PetscReal       logit = GepDigamma(v->ta[k]) - GepDigamma(v->tb[k]) + 0.5 * PetscLogReal(alpha);
    const PetscInt *pk    = pt + k * K;

    for (PetscInt d = 0; d < D; d++) {
      const PetscReal *s = stat + d * c, *sp = s + 2 * K, *w = v->WE + d * K;
      PetscReal        cross = 0, prec, r, th = 1.0;

      for (PetscInt j = 0; j < K; j++) cross += j == k ? 0.0 : sp[pk[j]] * w[j];
      prec               = s[K + k] + alpha;
      r                  = s[k] - cross;
      v->WlnV[d * K + k] = -PetscLogReal(prec);
      if (fa->spikeslab_weights) { /* th = sigmoid(u); its entropy th ln th + (1 - th) ln(1 - th) = th u - ln(1 + e^u)
                                    */
        PetscReal u = logit + 0.5 * v->WlnV[d * K + k] + 0.5 * r * r / prec, e = PetscExpReal(-PetscAbsReal(u));

        th                 = (u >= 0 ? 1.0 : e) / (1.0 + e);
        v->Went[d * K + k] = th * u - (log1p(e) + PetscMax(u, 0.0));
      }
      v->Wv[d * K + k]  = 1.0 / prec;
      v->Wm[d * K + k]  = r / prec;
      v->Wth[d * K + k] = th;
      v->WE[d * K + k]  = th * r / prec;
      v->Wv0[d * K + k] = 1.0 / alpha;
    }
  }
  for (PetscInt i = 0; i < D * K; i++) v->WE2[i] = v->Wth[i] * (v->Wm[i] * v->Wm[i] + v->Wv[i]);
  for (PetscInt k = 0; k < K && fa->ard_weights; k++) {
    PetscReal s = 0;
    for (PetscInt d = 0; d < D; d++) {
      PetscInt i = d * K + k;
      s += fa->spikeslab_weights ? v->WE2[i] + (1.0 - v->Wth[i]) * v->Wv0[i] : v->WE2[i];
    }
    v->aa[k] = PRIOR_ARD + 0.5 * D;
    v->ab[k] = PRIOR_ARD + 0.5 * s;
  }
  for (PetscInt k = 0; k < K && fa->spikeslab_weights && fa->iter >= fa->start_sparsity; k++) {
    PetscReal s = 0;
    for (PetscInt d = 0; d < D; d++) s += v->Wth[d * K + k];
    v->ta[k] = 1.0 + s;
    v->tb[k] = 1.0 + D - s;
  }
}

PetscErrorCode GepFAUpdateWeights(GepFA fa)
{
  PetscInt   K = fa->K, c = 2 * K + K * (K - 1) / 2, tot = 0;
  PetscReal *stat;
  PetscInt  *pt;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) tot += fa->v[m].D * c;
  PetscCall(PetscCalloc1(tot + 1, &stat));
  PetscCall(PetscMalloc1(K * K, &pt));
  GepPairTable(K, pt);
  PetscCall(CollectStatistics(fa, tot, stat));
  for (PetscInt m = 0, off = 0; m < fa->M; off += fa->v[m].D * c, m++) UpdateViewWeights(fa, &fa->v[m], stat + off, pt);
  PetscCall(PetscFree(pt));
  PetscCall(PetscFree(stat));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAUpdateFactors(GepFA fa)
{
  PetscInt   K = fa->K, P = K * (K - 1) / 2, nmax = 0, Dmax = 0;
  PetscReal *R1, *R23, *tmp1, *tmp23, *C, *zsum;
  PetscInt  *pt;

  PetscFunctionBegin;
  for (PetscInt g = 0; g < fa->G; g++) nmax = PetscMax(nmax, fa->grow[g + 1] - fa->grow[g]);
  for (PetscInt m = 0; m < fa->M; m++) Dmax = PetscMax(Dmax, fa->v[m].D);
  PetscCall(PetscCalloc2(fa->nloc * K + 1, &R1, fa->nloc * (K + P) + 1, &R23));
  PetscCall(PetscMalloc4(nmax * K + 1, &tmp1, nmax * (K + P) + 1, &tmp23, Dmax * (K + P) + 1, &C, K * K, &pt));
  GepPairTable(K, pt);
  PetscCall(PetscCalloc1(fa->G * K + 1, &zsum));
  /* summed over views, for every local sample: (T o Y) E[W] | T E[w^2] | T w_k w_j */
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];

    for (PetscInt d = 0; d < v->D; d++)
      for (PetscInt k = 0; k < K; k++) {
        C[d * (K + P) + k] = v->WE2[d * K + k];
        for (PetscInt j = k + 1; j < K; j++)
          C[d * (K + P) + K + GepPair(k, j, K)] = v->WE[d * K + k] * v->WE[d * K + j];
      }
    for (PetscInt g = 0; g < fa->G; g++) {
      PetscInt r0 = fa->grow[g], ng = fa->grow[g + 1] - r0;

      PetscCall(GepFATYC(fa, m, g, K, v->WE, tmp1));
      PetscCall(GepFATC(fa, m, g, K + P, C, tmp23));
      for (PetscInt i = 0; i < ng * K; i++) R1[r0 * K + i] += tmp1[i];
      for (PetscInt i = 0; i < ng * (K + P); i++) R23[r0 * (K + P) + i] += tmp23[i];
    }
  }
  for (PetscInt n = 0; n < fa->nloc; n++) {
    PetscInt         g = fa->sgroup[n];
    PetscReal       *z = fa->Zm + n * K;
    const PetscReal *r = R23 + n * (K + P);

    for (PetscInt k = 0; k < K; k++) {
      PetscReal alpha = fa->ard_factors ? fa->za[g * K + k] / fa->zb[g * K + k] : 1.0, bar = R1[n * K + k], var;

      for (PetscInt j = 0; j < K; j++) bar -= j == k ? 0.0 : r[K + pt[k * K + j]] * z[j];
      var                = 1.0 / (alpha + r[k]);
      z[k]               = var * bar;
      fa->Zv[n * K + k]  = var;
      fa->ZE2[n * K + k] = z[k] * z[k] + var;
      zsum[g * K + k] += fa->ZE2[n * K + k];
    }
  }
  if (fa->ard_factors) {
    PetscCall(GepFAAllreduce(fa, zsum, fa->G * K));
    for (PetscInt g = 0; g < fa->G; g++) {
      PetscInt s0, s1;

      PetscCall(GepOmicsGetGroupRange(fa->omics, g, &s0, &s1));
      for (PetscInt k = 0; k < K; k++) {
        fa->za[g * K + k] = PRIOR_ARD + 0.5 * (PetscReal)(s1 - s0);
        fa->zb[g * K + k] = PRIOR_ARD + 0.5 * zsum[g * K + k];
      }
    }
  }
  fa->stats_valid = PETSC_FALSE;
  PetscCall(PetscFree(zsum));
  PetscCall(PetscFree2(R1, R23));
  PetscCall(PetscFree4(tmp1, tmp23, C, pt));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAUpdateNoise(GepFA fa)
{
  PetscFunctionBegin;
  PetscCall(GepFAUpdatePseudoPrecisions(fa));
  PetscCall(GepFAResiduals(fa));
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];
    if (!v->lik.gaussian) continue;
    for (PetscInt i = 0; i < fa->G * v->D; i++) {
      v->taua[i] = PRIOR_TAU + 0.5 * v->nobs[i];
      v->taub[i] = PRIOR_TAU + 0.5 * v->B[i];
    }
  }
  PetscFunctionReturn(0);
}
