/* GepFA internals. Notation follows MOFA+: Y ~ Z W^T + noise; Z (N x K) local
   rows, W (D x K) replicated. All matrices are row-major. */
#pragma once
#include <petsc/private/petscimpl.h>
#include "gepfa.h"
#include "gepsys.h"

#define PRIOR_ARD 1e-14 /* Gamma(a, b) prior of the ARD precisions (MOFA+) */
#define PRIOR_TAU 1e-3  /* Gamma(a, b) prior of the noise precisions (MOFA+) */

/* A view's likelihood, registered by name (fa_likelihood_register.c; one file each).
   A gaussian one uses the data as they are and learns a noise precision per feature;
   any other is turned into gaussian pseudo-data by a local quadratic bound on its
   log-likelihood (fa_pseudo.c), whose pieces are these. x = b + z w is the linear
   predictor with offset b, q = E[x^2], zeta the bound's parameter. */
typedef struct {
  char        name[32];
  PetscBool   gaussian;
  const char *invalid;                          /* what a value that fails valid() is, for the error */
  PetscBool (*valid)(PetscReal y);              /* an observed value this likelihood accepts */
  PetscReal (*bound_precision)(PetscReal ymax); /* a constant precision per feature, from its largest value */
  PetscReal (*offset)(PetscReal mean);          /* the first offset: where z w = 0 fits the mean */
  /* one entry's bound: zeta, the gaussian target t of x and its precision p */
  void (*pseudo)(PetscReal y, PetscReal b, PetscReal yhat, PetscReal e2, PetscReal tauP, PetscReal *zeta, PetscReal *t,
                 PetscReal *p);
  PetscReal (*precision)(PetscReal zeta); /* precisions that follow zeta (NULL: constant) */
  PetscReal (*bound)(PetscReal y, PetscReal x, PetscReal q, PetscReal zeta, PetscReal tauP); /* E[log p(y | x)] bound */
} GepFALikelihood;

/* public to implementers: a likelihood added from outside the package (as TSRegister) */
PETSC_EXTERN PetscErrorCode GepFALikelihoodRegister(const char name[], PetscErrorCode (*create)(GepFALikelihood *));
PETSC_INTERN PetscErrorCode GepFALikelihoodRegisterAll(void);
PETSC_INTERN PetscErrorCode GepFALikelihoodFind(const char name[], GepFALikelihood *, PetscBool *found);
PETSC_INTERN PetscErrorCode GepFALikelihoodNames(char names[], size_t len);

typedef struct {
  PetscInt        D;
  GepFALikelihood lik;
  PetscReal      *Y;           /* nloc x D: the GepOmics block, centred, 0 where missing */
  PetscReal      *O;           /* nloc x D: 1 observed, 0 missing; NULL if all observed (on every rank) */
  PetscBool       missing;     /* any value missing on any rank */
  PetscInt       *mptr, *midx; /* missing entries by local row (CSR) when few: products with O as corrections */
  PetscInt       *cptr, *cidx; /* the same by feature, per group (G x (D + 1) pointers, rows within the group) */
  PetscReal      *nobs;        /* G x D observed counts (global) */
  PetscReal      *intercept;   /* G x D */
  PetscReal      *ss;          /* G: sum of squares of the centred data (global), the sum of yy over features */
  /* weights (spike and slab: theta, slab mean and variance), replicated */
  PetscReal *Wm, *Wv, *Wth, *WE, *WE2, *Wv0; /* D x K */
  PetscReal *WlnV, *Went;                    /* D x K: ln Wv and th ln th + (1 - th) ln(1 - th), for the ELBO */
  PetscReal *aa, *ab;                        /* ARD on weights: Gamma(a, b) per factor */
  PetscReal *ta, *tb;                        /* spike-and-slab probability: Beta(a, b) per factor */
  PetscReal *taua, *taub;                    /* noise precision: Gamma(a, b), G x D */
  PetscReal *B;                              /* G x D: sum of E[(y - zw)^2] over observed entries */
  PetscReal *yy;                             /* G x D: sum of the centred y^2 over observed entries */
  PetscReal *S;                              /* G x D x (2K + P): statistics of the factors (fa_stats.c) */
  /* non-gaussian views (MOFA+'s pseudo-data): local bound parameter zeta, gaussian
     pseudo-data, per-entry precisions (Jaakkola: 2 lambda(zeta) for bernoulli;
     Seeger: constant bound per feature for poisson) and their product; nloc x D */
  PetscReal *zeta, *Yps, *T, *TY;
  PetscReal *mu;     /* D: mean of the observed data (PCA centring) */
  PetscReal *offset; /* G x D: offset b of the linear predictor b + z w */
  PetscReal *tauP;   /* D: poisson bound 0.25 + 0.17 max y (1 for bernoulli) */
} GepFALayer;

PETSC_INTERN PetscLogEvent GEP_FAInit, GEP_FAWeights, GEP_FAFactors, GEP_FANoise, GEP_FAELBO, GEP_FASolve;

/* the inference: mean-field variational Bayes with MOFA+'s schedule (fa_solve.c) */
typedef struct _GepFAOps *GepFAOps;
struct _GepFAOps {
  PetscErrorCode (*solve)(GepFA);
};
PETSC_INTERN PetscErrorCode GepFASolve_VB(GepFA);

struct _p_GepFA {
  PETSCHEADER(struct _GepFAOps);
  MPI_Comm         comm; /* the object's */
  GepOmics         omics;
  PetscInt         K, K0, M, G, N, nloc, first, maxiter, seed, start_sparsity, power_its;
  PetscReal        drop_r2, threshold;
  char             mode[16];
  PetscBool        ard_weights, ard_factors, spikeslab_weights, progress, setup, converged, init_random;
  PetscBool        stats_valid; /* the S of the gaussian views match the factors */
  GepFALikelihood *liks;        /* -fa_likelihoods, one per view */
  PetscInt         nliks;
  GepFALayer      *v;
  const PetscInt  *sgroup;        /* group of each local sample */
  PetscInt        *grow;          /* G + 1: local row offsets of the groups */
  PetscReal       *Zm, *Zv, *ZE2; /* nloc x K: mean, variance, second moment */
  PetscReal       *za, *zb;       /* ARD on factors: G x K */
  PetscInt         iter;
  PetscReal       *elbo, *ktrace, *ttrace; /* per iteration, 0 = before training */
  PetscReal       *r2, *r2tot;             /* G x M x K, G x M (percent) */
  PetscLogDouble   t_start;
};

/* pair index of k < j among K factors, column of the Gram statistics */
static inline PetscInt GepPair(PetscInt k, PetscInt j, PetscInt K)
{
  if (k > j) {
    PetscInt t = k;
    k          = j;
    j          = t;
  }
  return k * K - k * (k + 1) / 2 + (j - k - 1);
}

/* E[tau] of feature d of view v in group g */
static inline PetscReal GepFATau(const GepFALayer *v, PetscInt g, PetscInt d)
{
  return v->taua[g * v->D + d] / v->taub[g * v->D + d];
}

/* pt[k K + j] = GepPair(k, j, K) for every k != j (what inner loops index by) */
static inline void GepPairTable(PetscInt K, PetscInt *pt)
{
  for (PetscInt k = 0; k < K; k++)
    for (PetscInt j = 0; j < K; j++) pt[k * K + j] = j == k ? 0 : GepPair(k, j, K);
}

static inline PetscReal GepSigmoid(PetscReal x)
{
  return 1.0 / (1.0 + PetscExpReal(-x));
}

/* rows [r0, r0 + n) x (K + P): E[z^2], then the products z_k z_j (k < j) */
PETSC_INTERN void GepFAFactorProducts(GepFA, PetscInt r0, PetscInt n, PetscReal *B);
/* the statistics S of the gaussian views, computed if the factors changed */
PETSC_INTERN PetscErrorCode GepFAGaussianStats(GepFA);
/* rows [r0, r0 + n) of [E[z^2] | E[z]^2] (n x 2K): what E[(z w)^2] needs besides E[z] */
PETSC_INTERN void GepFAFactorMoments(GepFA, PetscInt r0, PetscInt n, PetscReal *A);

PETSC_INTERN PetscReal      GepDigamma(PetscReal);
PETSC_INTERN PetscErrorCode GepFAAllreduce(GepFA, PetscReal *, PetscInt);
/* products with the precision-weighted data of view m, group g (local rows) */
PETSC_INTERN PetscErrorCode GepFAObsTB(GepFA, PetscInt m, PetscInt g, PetscInt c, const PetscReal *B, PetscReal *out);
PETSC_INTERN PetscErrorCode GepFATtB(GepFA, PetscInt m, PetscInt g, PetscInt c, const PetscReal *B, PetscReal *out);
PETSC_INTERN PetscErrorCode GepFATC(GepFA, PetscInt m, PetscInt g, PetscInt c, const PetscReal *C, PetscReal *out);
PETSC_INTERN PetscErrorCode GepFATYtB(GepFA, PetscInt m, PetscInt g, PetscInt c, const PetscReal *B, PetscReal *out);
PETSC_INTERN PetscErrorCode GepFATYC(GepFA, PetscInt m, PetscInt g, PetscInt c, const PetscReal *C, PetscReal *out);

PETSC_INTERN PetscErrorCode GepFAPrepareData(GepFA);
PETSC_INTERN PetscErrorCode GepFAUpdatePseudoData(GepFA);
PETSC_INTERN PetscErrorCode GepFAUpdatePseudoPrecisions(GepFA);
PETSC_INTERN PetscErrorCode GepFAPseudoELBO(GepFA, PetscInt m, PetscReal *);
PETSC_INTERN PetscErrorCode GepFAObsC(GepFA, PetscInt m, PetscInt c, const PetscReal *C, PetscReal *out);
PETSC_INTERN PetscErrorCode GepFAInitFactors(GepFA);
PETSC_INTERN PetscErrorCode GepFAUpdateWeights(GepFA);
PETSC_INTERN PetscErrorCode GepFAUpdateFactors(GepFA);
PETSC_INTERN PetscErrorCode GepFAUpdateNoise(GepFA);
PETSC_INTERN PetscErrorCode GepFAResiduals(GepFA);
PETSC_INTERN PetscErrorCode GepFAComputeELBO(GepFA, PetscReal *);
PETSC_INTERN PetscErrorCode GepFAComputeVarianceExplained(GepFA);
PETSC_INTERN PetscErrorCode GepFADropFactor(GepFA, PetscBool *dropped);
PETSC_INTERN PetscErrorCode GepFARemoveFactor(GepFA, PetscInt k);
PETSC_INTERN PetscErrorCode GepFASortFactors(GepFA);
