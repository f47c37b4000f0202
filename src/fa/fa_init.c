/* GepFA set-up of the data (masks, per-group centring, counts) and MOFA+'s
   initialisation of the factors: PCA of the concatenated centred views, each
   component scaled to [-1, 1]. The PCA is a randomized range finder with power
   iterations (Halko, Martinsson & Tropp 2011): only products of the local data
   with thin matrices, reduced over ranks, and factorisations of l x l matrices
   (l = K + 10), so no rank ever holds more than its own samples. */
#include <math.h>
#include <stdio.h>
#include "faimpl.h"
#include <petscblaslapack.h>

/* Buffers of a non-gaussian view and its initial precisions: 1 (Jaakkola's
   initial value) for bernoulli, 0.25 + 0.17 max y per feature (Seeger) for poisson. */
static PetscErrorCode PreparePseudoData(GepFA fa, GepFALayer *v, const PetscReal *sum)
{
  PetscInt D = v->D, G = fa->G, nl = fa->nloc * D;

  PetscFunctionBegin;
  PetscCall(PetscCalloc4(nl + 1, &v->zeta, nl + 1, &v->Yps, nl + 1, &v->T, nl + 1, &v->TY));
  PetscCall(PetscCalloc2(D + 1, &v->mu, D + 1, &v->tauP));
  for (PetscInt d = 0; d < D; d++) {
    PetscReal s = 0, c = 0;
    for (PetscInt g = 0; g < G; g++) {
      s += sum[g * D + d];
      c += sum[G * D + g * D + d];
    }
    v->mu[d]   = c > 0 ? s / c : 0.0;
    v->tauP[d] = 0.0;
  }
  for (PetscInt n = 0; n < fa->nloc; n++)
    for (PetscInt d = 0; d < D; d++) v->tauP[d] = PetscMax(v->tauP[d], v->Y[n * D + d]);
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, v->tauP, (PetscMPIInt)D, MPIU_REAL, MPIU_MAX, fa->comm));
  for (PetscInt d = 0; d < D; d++) v->tauP[d] = v->lik.bound_precision(v->tauP[d]);
  for (PetscInt i = 0; i < nl; i++) v->T[i] = (v->O ? v->O[i] : 1.0) * v->tauP[i % D];
  /* offsets start where z w = 0 fits the group's mean (the logit of the frequency, the inverse of the rate) */
  PetscCall(PetscMalloc1(G * D + 1, &v->offset));
  for (PetscInt i = 0; i < G * D; i++) {
    PetscReal c  = sum[G * D + i];
    v->offset[i] = v->lik.offset(c > 0 ? sum[i] / c : 0.0);
  }
  PetscFunctionReturn(0);
}

/* Local checks of view m's values (no communication: a failing rank alone errs). */
static PetscErrorCode ValidateView(GepFA fa, PetscInt m)
{
  GepFALayer        *v = &fa->v[m];
  PetscInt           D = v->D;
  const char        *file, *view;
  const char *const *samples, *const *features;

  PetscFunctionBegin;
  PetscCall(GepOmicsGetViewFile(fa->omics, m, &file));
  PetscCall(GepOmicsGetViewName(fa->omics, m, &view));
  PetscCall(GepOmicsGetSampleNames(fa->omics, &samples));
  PetscCall(GepOmicsGetFeatureNames(fa->omics, m, &features));
  for (PetscInt n = 0; n < fa->nloc; n++) {
    for (PetscInt d = 0; d < D; d++) {
      PetscReal y   = v->Y[n * D + d];
      PetscBool bad = PETSC_FALSE;
      char      txt[64];

      if (PetscIsNanReal(y)) continue;
      PetscCheck(!PetscIsInfReal(y), PETSC_COMM_SELF, PETSC_ERR_USER,
                 "%s: view %s: infinite value for sample %s, feature %s", file, view, samples[fa->first + n],
                 features[d]);
      bad = (PetscBool)!v->lik.valid(y);
      if (!bad) continue;
      snprintf(txt, sizeof(txt), "%g", (double)y); /* as written, not PETSc's "2." */
      SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER, "%s: view %s (%s): value %s for sample %s, feature %s is %s", file, view,
              v->lik.name, txt, samples[fa->first + n], features[d], v->lik.invalid);
    }
  }
  PetscFunctionReturn(0);
}

/* The mask of observed entries of view m (none when all are observed, on every rank); with few
   missing values also their lists by row and, per group, by feature: products with the mask are
   then corrections of the full sums (a list beats a dense GEMM below about a quarter missing). */
static PetscErrorCode MaskMissing(GepFA fa, GepFALayer *v)
{
  PetscInt  D = v->D, G = fa->G, nmiss = 0;
  PetscBool local = PETSC_FALSE;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < fa->nloc * D && !local; i++) local = PetscIsNanReal(v->Y[i]);
  PetscCallMPI(MPI_Allreduce(&local, &v->missing, 1, MPIU_BOOL, MPI_LOR, fa->comm));
  if (!v->missing) PetscFunctionReturn(0);
  PetscCall(PetscMalloc1(fa->nloc * D + 1, &v->O));
  for (PetscInt i = 0; i < fa->nloc * D; i++) {
    v->O[i] = PetscIsNanReal(v->Y[i]) ? 0.0 : 1.0;
    if (v->O[i] == 0.0) nmiss++;
  }
  if (nmiss >= fa->nloc * D / 4) PetscFunctionReturn(0);
  PetscCall(PetscMalloc2(fa->nloc + 1, &v->mptr, nmiss + 1, &v->midx));
  v->mptr[0] = 0;
  for (PetscInt n = 0, i = 0; n < fa->nloc; n++) {
    for (PetscInt d = 0; d < D; d++)
      if (v->O[n * D + d] == 0.0) v->midx[i++] = d;
    v->mptr[n + 1] = i;
  }
  /* and by feature within each group (a counting sort of the above): rows relative to the group's first,
     pointers G x (D + 1) */
  PetscCall(PetscCalloc2(G * (D + 1) + 1, &v->cptr, nmiss + 1, &v->cidx));
  for (PetscInt n = 0; n < fa->nloc; n++)
    for (PetscInt i = v->mptr[n]; i < v->mptr[n + 1]; i++) v->cptr[fa->sgroup[n] * (D + 1) + v->midx[i] + 1]++;
  for (PetscInt g = 0, i = 0; g < G; g++) {
    PetscInt *ptr = v->cptr + g * (D + 1);
    ptr[0]        = i;
    for (PetscInt d = 0; d < D; d++) ptr[d + 1] += ptr[d];
    i = ptr[D];
  }
  for (PetscInt n = 0; n < fa->nloc; n++) {
    PetscInt  g   = fa->sgroup[n];
    PetscInt *ptr = v->cptr + g * (D + 1);
    for (PetscInt i = v->mptr[n]; i < v->mptr[n + 1]; i++) v->cidx[ptr[v->midx[i]]++] = n - fa->grow[g];
  }
  for (PetscInt g = 0; g < G; g++) { /* the fill advanced each pointer to the next feature's start */
    PetscInt *ptr = v->cptr + g * (D + 1);
    for (PetscInt d = D; d > 0; d--) ptr[d] = ptr[d - 1];
    ptr[0] = g > 0 ? v->cptr[(g - 1) * (D + 1) + D] : 0;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode PrepareView(GepFA fa, PetscInt m)
{
  GepFALayer *v = &fa->v[m];
  PetscInt    D = v->D, G = fa->G;
  PetscReal  *sum, tot    = 0;
  const char *file, *view;

  PetscFunctionBegin;
  PetscCall(GepOmicsGetViewFile(fa->omics, m, &file));
  PetscCall(GepOmicsGetViewName(fa->omics, m, &view));
  PetscCall(MaskMissing(fa, v));
  /* per-group feature means over observed values (MOFA+ centres gaussian views per group;
     the others keep their 0/1 or counts, centred only for the PCA) */
  PetscCall(PetscCalloc1(2 * G * D + G, &sum));
  for (PetscInt n = 0; n < fa->nloc; n++) {
    PetscInt g = fa->sgroup[n];
    for (PetscInt d = 0; d < D; d++) {
      PetscReal y = v->Y[n * D + d];
      if (PetscIsNanReal(y)) continue;
      sum[g * D + d] += y;
      sum[G * D + g * D + d] += 1.0;
    }
  }
  PetscCall(GepFAAllreduce(fa, sum, 2 * G * D));
  PetscCall(PetscMalloc1(G * D + 1, &v->intercept));
  PetscCall(PetscMalloc1(G * D + 1, &v->nobs));
  PetscCall(PetscCalloc1(G + 1, &v->ss));
  PetscCall(PetscCalloc1(G * D + 1, &v->yy));
  for (PetscInt i = 0; i < G * D; i++) {
    v->nobs[i]      = sum[G * D + i];
    v->intercept[i] = v->nobs[i] > 0 ? sum[i] / v->nobs[i] : 0.0;
  }
  for (PetscInt n = 0; n < fa->nloc; n++) {
    PetscInt g = fa->sgroup[n];
    for (PetscInt d = 0; d < D; d++) {
      PetscReal *y = &v->Y[n * D + d], c;
      if (PetscIsNanReal(*y)) {
        *y = 0.0;
        continue;
      }
      c = *y - v->intercept[g * D + d];
      if (v->lik.gaussian) *y = c;
      v->yy[g * D + d] += c * c;
    }
  }
  PetscCall(GepFAAllreduce(fa, v->yy, G * D));
  for (PetscInt g = 0; g < G; g++) {
    for (PetscInt d = 0; d < D; d++) v->ss[g] += v->yy[g * D + d];
    tot += v->ss[g];
  }
  PetscCheck(tot > 0, fa->comm, PETSC_ERR_USER,
             "%s: view %s has zero variance (every observed value equals its feature's mean)", file, view);
  if (!v->lik.gaussian) PetscCall(PreparePseudoData(fa, v, sum));
  PetscCall(PetscFree(sum));
  PetscFunctionReturn(0);
}

static PetscErrorCode ValidateViews(void *ctx)
{
  GepFA fa = (GepFA)ctx;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) PetscCall(ValidateView(fa, m));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAPrepareData(GepFA fa)
{
  PetscFunctionBegin;
  PetscCall(GepRunShared(fa->comm, ValidateViews, fa)); /* a bad value may be on one rank only */
  for (PetscInt m = 0; m < fa->M; m++) PetscCall(PrepareView(fa, m));
  PetscFunctionReturn(0);
}

/* Q (nloc x l) <- an orthonormal basis of its columns: Cholesky QR, twice for accuracy. */
static PetscErrorCode Orthonormalise(GepFA fa, PetscInt l, PetscReal *Q, PetscReal *Gm)
{
  PetscBLASInt bl, bn, info;
  PetscReal    one = 1.0, tr;

  PetscFunctionBegin;
  PetscCall(PetscBLASIntCast(l, &bl));
  PetscCall(PetscBLASIntCast(fa->nloc, &bn));
  for (PetscInt pass = 0; pass < 2; pass++) {
    PetscCall(GepGemm('T', 'N', l, l, fa->nloc, 1.0, Q, l, Q, l, 0.0, Gm, l));
    PetscCall(GepFAAllreduce(fa, Gm, l * l));
    tr = 0;
    for (PetscInt i = 0; i < l; i++) tr += Gm[i * l + i];
    for (PetscInt i = 0; i < l; i++)
      Gm[i * l + i] += 1e-13 * tr + PETSC_SMALL * PETSC_SMALL; /* a rank-deficient block stays factorisable */
    PetscCallBLAS("LAPACKpotrf", LAPACKpotrf_("U", &bl, Gm, &bl, &info));
    PetscCheck(info == 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK potrf failed (info %d) in the PCA initialisation",
               (int)info);
    /* row-major Q R^{-1} is column-major R^{-T} Q^T */
    if (fa->nloc > 0) PetscCallBLAS("BLAStrsm", BLAStrsm_("L", "U", "T", "N", &bl, &bn, &one, Gm, &bl, Q, &bl));
  }
  PetscFunctionReturn(0);
}

/* out (nloc x l) = X In, X the concatenated views centred (gaussian views are
   already; the others: (Y - mu) on observed entries, 0 elsewhere), In: Dtot x l */
static PetscErrorCode XTimes(GepFA fa, PetscInt l, const PetscReal *In, PetscReal *out)
{
  PetscInt   off = 0, Dmax = 0;
  PetscReal *C, *OC;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) Dmax = PetscMax(Dmax, fa->v[m].D);
  PetscCall(PetscMalloc2(Dmax * l + 1, &C, fa->nloc * l + 1, &OC));
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];

    PetscCall(GepGemm('N', 'N', fa->nloc, l, v->D, 1.0, v->Y, v->D, In + off * l, l, m ? 1.0 : 0.0, out, l));
    if (v->mu) {
      for (PetscInt d = 0; d < v->D; d++)
        for (PetscInt j = 0; j < l; j++) C[d * l + j] = v->mu[d] * In[(off + d) * l + j];
      PetscCall(GepFAObsC(fa, m, l, C, OC));
      for (PetscInt i = 0; i < fa->nloc * l; i++) out[i] -= OC[i];
    }
    off += v->D;
  }
  PetscCall(PetscFree2(C, OC));
  PetscFunctionReturn(0);
}

/* out (Dtot x l) = X^T Q, reduced over ranks */
static PetscErrorCode XtTimes(GepFA fa, PetscInt l, PetscInt Dt, const PetscReal *Q, PetscReal *out)
{
  PetscInt   off = 0;
  PetscReal *OQ;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(Dt * l + 1, &OQ));
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];

    PetscCall(GepGemm('T', 'N', v->D, l, fa->nloc, 1.0, v->Y, v->D, Q, l, 0.0, out + off * l, l));
    if (v->mu) { /* minus mu_d sum_n O_nd Q_n */
      for (PetscInt g = 0; g < fa->G; g++) {
        PetscCall(GepFAObsTB(fa, m, g, l, Q + fa->grow[g] * l, OQ));
        for (PetscInt d = 0; d < v->D; d++)
          for (PetscInt j = 0; j < l; j++) out[(off + d) * l + j] -= v->mu[d] * OQ[d * l + j];
      }
    }
    off += v->D;
  }
  PetscCall(PetscFree(OQ));
  PetscCall(GepFAAllreduce(fa, out, Dt * l));
  PetscFunctionReturn(0);
}

/* MOFA+ (after sklearn) fixes each component's sign: its entry of largest magnitude is positive */
static PetscErrorCode FixSigns(GepFA fa, PetscReal *Z)
{
  PetscInt K = fa->K;
  struct {
    double v;
    int    i;
  } * loc, *glob;
  PetscReal *sign;

  PetscFunctionBegin;
  PetscCall(PetscMalloc3(K, &loc, K, &glob, K, &sign));
  for (PetscInt k = 0; k < K; k++) {
    loc[k].v = -1.0;
    loc[k].i = 0;
    for (PetscInt n = 0; n < fa->nloc; n++)
      if (PetscAbsReal(Z[n * K + k]) > loc[k].v) {
        loc[k].v = PetscAbsReal(Z[n * K + k]);
        loc[k].i = (int)(fa->first + n);
      }
  }
  PetscCallMPI(MPI_Allreduce(loc, glob, (PetscMPIInt)K, MPI_DOUBLE_INT, MPI_MAXLOC, fa->comm));
  for (PetscInt k = 0; k < K; k++) {
    PetscInt n = glob[k].i - fa->first;
    sign[k]    = (n >= 0 && n < fa->nloc) ? (Z[n * K + k] < 0 ? -1.0 : 1.0) : 0.0;
  }
  PetscCall(GepFAAllreduce(fa, sign, K));
  for (PetscInt n = 0; n < fa->nloc; n++)
    for (PetscInt k = 0; k < K; k++) Z[n * K + k] *= sign[k] < 0 ? -1.0 : 1.0;
  PetscCall(PetscFree3(loc, glob, sign));
  PetscFunctionReturn(0);
}

/* MOFA v1's initialisation: standard normal factors (drawn in the global
   sample order, so identical on any number of ranks), variance 1 */
static PetscErrorCode InitRandom(GepFA fa)
{
  PetscInt    K = fa->K;
  PetscRandom r;
  PetscReal   z;

  PetscFunctionBegin;
  PetscCall(GepRandomCreateSeeded(fa->seed, &r));
  for (PetscInt n = 0; n < fa->first + fa->nloc; n++)
    for (PetscInt k = 0; k < K; k++) {
      PetscCall(GepRandomNormal(r, &z));
      if (n < fa->first) continue;
      fa->Zm[(n - fa->first) * K + k]  = z;
      fa->Zv[(n - fa->first) * K + k]  = 1.0;
      fa->ZE2[(n - fa->first) * K + k] = z * z + 1.0;
    }
  PetscCall(PetscRandomDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode InitPCA(GepFA fa);

PetscErrorCode GepFAInitFactors(GepFA fa)
{
  PetscFunctionBegin;
  if (fa->init_random) PetscCall(InitRandom(fa));
  else PetscCall(InitPCA(fa));
  PetscFunctionReturn(0);
}

static PetscErrorCode InitPCA(GepFA fa)
{
  PetscInt     K = fa->K, Dt = 0, l;
  PetscReal   *Om, *Q, *Bt, *Gm, *U, *w, *work, *mn, *mx, lw;
  PetscBLASInt bl, lwork = -1, info;
  PetscRandom  r;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < fa->M; m++) Dt += fa->v[m].D;
  l = PetscMin(K + 10, PetscMin(fa->N, Dt));
  PetscCall(PetscMalloc5(Dt * l, &Om, fa->nloc * l + 1, &Q, Dt * l, &Bt, l * l, &Gm, l * K, &U));
  PetscCall(GepRandomCreateSeeded(fa->seed, &r));
  for (PetscInt i = 0; i < Dt * l; i++) PetscCall(GepRandomNormal(r, &Om[i]));
  PetscCall(PetscRandomDestroy(&r));
  PetscCall(XTimes(fa, l, Om, Q));
  PetscCall(Orthonormalise(fa, l, Q, Gm));
  for (PetscInt it = 0; it < fa->power_its; it++) {
    PetscCall(XtTimes(fa, l, Dt, Q, Bt));
    PetscCall(XTimes(fa, l, Bt, Q));
    PetscCall(Orthonormalise(fa, l, Q, Gm));
  }
  PetscCall(XtTimes(fa, l, Dt, Q, Bt)); /* B = Q^T X, stored transposed */
  /* B B^T = U S^2 U^T: the top K eigenvectors give the principal scores Q U */
  PetscCall(GepGemm('T', 'N', l, l, Dt, 1.0, Bt, l, Bt, l, 0.0, Gm, l));
  PetscCall(PetscBLASIntCast(l, &bl));
  PetscCall(PetscMalloc1(l, &w));
  PetscCallBLAS("LAPACKsyev", LAPACKsyev_("V", "U", &bl, Gm, &bl, w, &lw, &lwork, &info));
  lwork = (PetscBLASInt)lw;
  PetscCall(PetscMalloc1(lwork, &work));
  PetscCallBLAS("LAPACKsyev", LAPACKsyev_("V", "U", &bl, Gm, &bl, w, work, &lwork, &info));
  PetscCheck(info == 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "LAPACK syev failed (info %d) in the PCA initialisation",
             (int)info);
  for (PetscInt i = 0; i < l; i++)
    for (PetscInt c = 0; c < K; c++) U[i * K + c] = Gm[(l - 1 - c) * l + i]; /* eigenvalues ascend */
  PetscCall(GepGemm('N', 'N', fa->nloc, K, l, 1.0, Q, l, U, K, 0.0, fa->Zm, K));
  PetscCall(FixSigns(fa, fa->Zm));
  /* scale each factor to [-1, 1] */
  PetscCall(PetscMalloc2(K, &mn, K, &mx));
  for (PetscInt k = 0; k < K; k++) {
    mn[k] = PETSC_MAX_REAL;
    mx[k] = PETSC_MIN_REAL;
    for (PetscInt n = 0; n < fa->nloc; n++) {
      mn[k] = PetscMin(mn[k], fa->Zm[n * K + k]);
      mx[k] = PetscMax(mx[k], fa->Zm[n * K + k]);
    }
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, mn, (PetscMPIInt)K, MPIU_REAL, MPIU_MIN, fa->comm));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, mx, (PetscMPIInt)K, MPIU_REAL, MPIU_MAX, fa->comm));
  for (PetscInt n = 0; n < fa->nloc; n++)
    for (PetscInt k = 0; k < K; k++) {
      PetscReal span = mx[k] - mn[k], *z = &fa->Zm[n * K + k];
      *z                 = span > 0 ? 2.0 * (*z - mn[k]) / span - 1.0 : 0.0;
      fa->Zv[n * K + k]  = 1.0;
      fa->ZE2[n * K + k] = *z * *z + 1.0;
    }
  PetscCall(PetscFree2(mn, mx));
  PetscCall(PetscFree(w));
  PetscCall(PetscFree(work));
  PetscCall(PetscFree5(Om, Q, Bt, Gm, U));
  PetscFunctionReturn(0);
}
