/* The bernoulli likelihood (0/1 data, p(y = 1) = sigmoid(x)): Jaakkola's bound,
   zeta^2 = E[x^2], precision 2 lambda(zeta), target (y - 1/2) / (2 lambda(zeta)). */
#include <math.h>
#include "faimpl.h"

static inline PetscReal Lambda(PetscReal x)
{
  return x < 1e-8 ? 0.125 : PetscTanhReal(0.5 * x) / (4.0 * x);
}

static PetscBool Valid(PetscReal y)
{
  return (PetscBool)(y == 0.0 || y == 1.0);
}

static PetscReal BoundPrecision(PetscReal ymax)
{
  (void)ymax;
  return 1.0;
}

static PetscReal Offset(PetscReal mean) /* the logit of the frequency */
{
  mean = PetscMin(PetscMax(mean, 0.01), 0.99);
  return PetscLogReal(mean / (1.0 - mean));
}

static void Pseudo(PetscReal y, PetscReal b, PetscReal yhat, PetscReal e2, PetscReal tauP, PetscReal *zeta,
                   PetscReal *t, PetscReal *p)
{
  (void)tauP;
  *zeta = PetscSqrtReal(PetscMax(e2 + 2.0 * b * yhat + b * b, 0.0));
  *p    = 2.0 * Lambda(*zeta);
  *t    = (y - 0.5) / *p;
}

static PetscReal Precision(PetscReal zeta)
{
  return 2.0 * Lambda(zeta);
}

static PetscReal Bound(PetscReal y, PetscReal x, PetscReal q, PetscReal z, PetscReal tauP)
{
  (void)tauP;
  return 0.5 * ((2.0 * y - 1.0) * x - z) - log1p(PetscExpReal(-z)) - Lambda(z) * (q - z * z);
}

PetscErrorCode GepFALikelihoodCreate_Bernoulli(GepFALikelihood *lik)
{
  PetscFunctionBegin;
  lik->invalid         = "neither 0, 1 nor missing";
  lik->valid           = Valid;
  lik->bound_precision = BoundPrecision;
  lik->offset          = Offset;
  lik->pseudo          = Pseudo;
  lik->precision       = Precision;
  lik->bound           = Bound;
  PetscFunctionReturn(0);
}
