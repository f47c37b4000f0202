/* GepFA sufficient statistics of the gaussian views given the factors, shared
   by two updates: the noise step after the factors (with this iteration's
   weights) and the weight step of the next iteration (the factors have not
   changed in between). For a gaussian view the precision of an observed entry
   is tau_gd, so the statistics are kept unscaled, per group and feature:
     S_gd = [ sum_n O y z_n (K) | sum_n O E[z_n^2] (K) | sum_n O z_nk z_nj, k < j (P) ],
   one pass over the data and one MPI_Allreduce per iteration for both updates. */
#include "faimpl.h"

void GepFAFactorProducts(GepFA fa, PetscInt r0, PetscInt ng, PetscReal *B)
{
  PetscInt K = fa->K, P = K * (K - 1) / 2, c = K + P;

  for (PetscInt n = 0; n < ng; n++) {
    const PetscReal *z = fa->Zm + (r0 + n) * K;
    for (PetscInt k = 0; k < K; k++) {
      B[n * c + k] = fa->ZE2[(r0 + n) * K + k];
      for (PetscInt j = k + 1; j < K; j++) B[n * c + K + GepPair(k, j, K)] = z[k] * z[j];
    }
  }
}

/* S of every gaussian view, from the current factors */
static PetscErrorCode ComputeStats(GepFA fa)
{
  PetscInt   K = fa->K, P = K * (K - 1) / 2, c = 2 * K + P, G = fa->G, tot = 0, nmax = 0, Dmax = 0;
  PetscReal *buf, *B, *tmp;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];
    if (!v->lik.gaussian) continue;
    PetscCall(PetscFree(v->S));
    PetscCall(PetscMalloc1(G * v->D * c + 1, &v->S));
    tot += G * v->D * c;
    Dmax = PetscMax(Dmax, v->D);
  }
  if (!tot) PetscFunctionReturn(0);
  for (PetscInt g = 0; g < G; g++) nmax = PetscMax(nmax, fa->grow[g + 1] - fa->grow[g]);
  PetscCall(PetscCalloc1(tot, &buf));
  PetscCall(PetscMalloc2(nmax * (K + P) + 1, &B, Dmax * (K + P) + 1, &tmp));
  for (PetscInt g = 0; g < G; g++) {
    PetscInt r0 = fa->grow[g], ng = fa->grow[g + 1] - r0;

    GepFAFactorProducts(fa, r0, ng, B); /* serve every view of the group */
    for (PetscInt m = 0, off = 0; m < fa->M; m++) {
      GepFALayer *v = &fa->v[m];
      PetscInt    D = v->D;
      PetscReal  *s;

      if (!v->lik.gaussian) continue;
      s = buf + off + g * D * c;
      /* Z^T Y (K x D), transposed into place: OpenBLAS packs the data faster this way round than for Y^T Z */
      PetscCall(GepGemm('T', 'N', K, D, ng, 1.0, fa->Zm + r0 * K, K, v->Y + r0 * D, D, 0.0, tmp, D));
      for (PetscInt k = 0; k < K; k++)
        for (PetscInt d = 0; d < D; d++) s[d * c + k] = tmp[k * D + d];
      PetscCall(GepFAObsTB(fa, m, g, K + P, B, tmp));
      for (PetscInt d = 0; d < D; d++) PetscCall(PetscArraycpy(s + d * c + K, tmp + d * (K + P), K + P));
      off += G * D * c;
    }
  }
  PetscCall(GepFAAllreduce(fa, buf, tot));
  for (PetscInt m = 0, off = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];
    if (!v->lik.gaussian) continue;
    PetscCall(PetscArraycpy(v->S, buf + off, G * v->D * c));
    off += G * v->D * c;
  }
  PetscCall(PetscFree2(B, tmp));
  PetscCall(PetscFree(buf));
  fa->stats_valid = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAGaussianStats(GepFA fa)
{
  PetscFunctionBegin;
  if (!fa->stats_valid) PetscCall(ComputeStats(fa));
  PetscFunctionReturn(0);
}

/* B_gd = sum over observed entries of E[(y - z w)^2]
        = sum y^2 - 2 w.(sum y z) + sum_k E[w_k^2] sum E[z_k^2] + 2 sum_{k<j} w_k w_j sum z_k z_j */
PetscErrorCode GepFAResiduals(GepFA fa)
{
  PetscInt K = fa->K, P = K * (K - 1) / 2, c = 2 * K + P;

  PetscFunctionBegin;
  PetscCall(GepFAGaussianStats(fa));
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];

    if (!v->lik.gaussian) continue;
    for (PetscInt g = 0; g < fa->G; g++)
      for (PetscInt d = 0; d < v->D; d++) {
        const PetscReal *s = v->S + (g * v->D + d) * c, *w = v->WE + d * K, *w2 = v->WE2 + d * K;
        PetscReal        r = v->yy[g * v->D + d];

        for (PetscInt k = 0; k < K; k++) {
          r += w2[k] * s[K + k] - 2.0 * w[k] * s[k];
          for (PetscInt j = k + 1; j < K; j++) r += 2.0 * w[k] * w[j] * s[2 * K + GepPair(k, j, K)];
        }
        v->B[g * v->D + d] = PetscMax(r, 0.0); /* rounding must not make it negative */
      }
  }
  PetscFunctionReturn(0);
}
