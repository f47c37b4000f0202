/* The poisson likelihood (counts, rate log(1 + e^x)): Seeger and Bouchard's bound,
   zeta = E[x], a constant precision 0.25 + 0.17 max y per feature. */
#include <math.h>
#include "faimpl.h"

static inline PetscReal Rate(PetscReal x)
{
  return (x > 30 ? x : log1p(PetscExpReal(x))) + 1e-4;
}

static PetscBool Valid(PetscReal y)
{
  return (PetscBool)(y >= 0 && y == PetscFloorReal(y));
}

static PetscReal BoundPrecision(PetscReal ymax)
{
  return 0.25 + 0.17 * ymax;
}

static PetscReal Offset(PetscReal mean) /* the inverse of the rate at the mean */
{
  return PetscLogReal(expm1(PetscMax(mean, 0.01)));
}

static void Pseudo(PetscReal y, PetscReal b, PetscReal yhat, PetscReal e2, PetscReal tauP, PetscReal *zeta,
                   PetscReal *t, PetscReal *p)
{
  (void)e2;
  *zeta = b + yhat;
  *p    = tauP;
  *t    = *zeta - GepSigmoid(*zeta) * (1.0 - y / Rate(*zeta)) / *p;
}

static PetscReal Bound(PetscReal y, PetscReal x, PetscReal q, PetscReal z, PetscReal tauP)
{
  PetscReal r = Rate(z);
  return -(0.5 * tauP * (q - 2.0 * x * z + z * z) + (x - z) * GepSigmoid(z) * (1.0 - y / r) + r - y * PetscLogReal(r));
}

PetscErrorCode GepFALikelihoodCreate_Poisson(GepFALikelihood *lik)
{
  PetscFunctionBegin;
  lik->invalid         = "not a count";
  lik->valid           = Valid;
  lik->bound_precision = BoundPrecision;
  lik->offset          = Offset;
  lik->pseudo          = Pseudo;
  lik->bound           = Bound;
  PetscFunctionReturn(0);
}
