/* GepFA evidence lower bound, term by term as MOFA+ computes it (so that the
   traces and the convergence test compare): expected log-likelihood of the
   data, and for every variational node E[log p] - E[log q]. */
#include "faimpl.h"

/* E_q[log p] - E_q[log q] for p = Gamma(pa, pb), q = Gamma(a, b) */
static PetscReal GammaTerm(PetscReal pa, PetscReal pb, PetscReal a, PetscReal b)
{
  PetscReal E = a / b, lnE = GepDigamma(a) - PetscLogReal(b);
  PetscReal lp = pa * PetscLogReal(pb) - PetscLGamma(pa) + (pa - 1.0) * lnE - pb * E;
  PetscReal lq = a * PetscLogReal(b) - PetscLGamma(a) + (a - 1.0) * lnE - b * E;
  return lp - lq;
}

static PetscReal BetaLn(PetscReal a, PetscReal b)
{
  return PetscLGamma(a) + PetscLGamma(b) - PetscLGamma(a + b);
}

static PetscReal WeightsTerm(GepFA fa, GepFALayer *v)
{
  PetscInt  K = fa->K, D = v->D;
  PetscReal lb = 0;

  for (PetscInt k = 0; k < K; k++) {
    PetscReal alpha    = fa->ard_weights ? v->aa[k] / v->ab[k] : 1.0;
    PetscReal lnalpha  = fa->ard_weights ? GepDigamma(v->aa[k]) - PetscLogReal(v->ab[k]) : 0.0;
    PetscReal lnalpha0 = PetscLogReal(alpha); /* of E[alpha]: the spike's variance is 1 / E[alpha] */
    PetscReal lnth     = GepDigamma(v->ta[k]) - GepDigamma(v->ta[k] + v->tb[k]);
    PetscReal lnth1    = GepDigamma(v->tb[k]) - GepDigamma(v->ta[k] + v->tb[k]);

    lb += 0.5 * D * lnalpha;
    for (PetscInt d = 0; d < D; d++) {
      PetscInt  i  = d * K + k;
      PetscReal th = v->Wth[i];

      if (fa->spikeslab_weights) {
        PetscReal enn = v->WE2[i] + (1.0 - th) * v->Wv0[i];
        lb += -0.5 * alpha * enn + 0.5 + 0.5 * (th * v->WlnV[i] - (1.0 - th) * lnalpha0);
        lb += th * lnth + (1.0 - th) * lnth1 - v->Went[i];
      } else lb += -0.5 * alpha * v->WE2[i] + 0.5 * (v->WlnV[i] + 1.0);
    }
    if (fa->ard_weights) lb += GammaTerm(PRIOR_ARD, PRIOR_ARD, v->aa[k], v->ab[k]);
    if (fa->spikeslab_weights)
      lb += -BetaLn(1.0, 1.0) - ((v->ta[k] - 1.0) * lnth + (v->tb[k] - 1.0) * lnth1 - BetaLn(v->ta[k], v->tb[k]));
  }
  return lb;
}

PetscErrorCode GepFAComputeELBO(GepFA fa, PetscReal *elbo)
{
  PetscInt  K     = fa->K;
  PetscReal local = 0, lb = 0;

  PetscFunctionBegin;
  /* factors: local sums */
  for (PetscInt n = 0; n < fa->nloc; n++) {
    PetscInt g = fa->sgroup[n];
    for (PetscInt k = 0; k < K; k++) {
      PetscReal alpha   = fa->ard_factors ? fa->za[g * K + k] / fa->zb[g * K + k] : 1.0;
      PetscReal lnalpha = fa->ard_factors ? GepDigamma(fa->za[g * K + k]) - PetscLogReal(fa->zb[g * K + k]) : 0.0;
      local += -0.5 * alpha * fa->ZE2[n * K + k] + 0.5 * lnalpha + 0.5 * (PetscLogReal(fa->Zv[n * K + k]) + 1.0);
    }
  }
  for (PetscInt m = 0; m < fa->M; m++) {
    PetscReal lm = 0;
    if (fa->v[m].lik.gaussian) continue;
    PetscCall(GepFAPseudoELBO(fa, m, &lm));
    local += lm;
  }
  PetscCallMPI(MPI_Allreduce(&local, &lb, 1, MPIU_REAL, MPIU_SUM, fa->comm));
  if (fa->ard_factors)
    for (PetscInt i = 0; i < fa->G * K; i++) lb += GammaTerm(PRIOR_ARD, PRIOR_ARD, fa->za[i], fa->zb[i]);
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];

    lb += WeightsTerm(fa, v);
    if (!v->lik.gaussian) continue; /* its bound was added above; no noise node */
    /* data (gaussian) and noise precisions */
    for (PetscInt i = 0; i < fa->G * v->D; i++) {
      PetscReal E = v->taua[i] / v->taub[i], lnE = GepDigamma(v->taua[i]) - PetscLogReal(v->taub[i]);
      lb += -0.5 * v->nobs[i] * PetscLogReal(2.0 * PETSC_PI) + 0.5 * v->nobs[i] * lnE - 0.5 * E * v->B[i];
      lb += GammaTerm(PRIOR_TAU, PRIOR_TAU, v->taua[i], v->taub[i]);
    }
  }
  *elbo = lb;
  PetscFunctionReturn(0);
}
