/* The 4-parameter Hill (log-logistic) model of a dose-response curve,
     f(x) = bottom + (top - bottom) / (1 + (x / IC50)^h),
   fitted by least squares with Tao's bounded regularized Gauss-Newton (TAOBRGN; its
   default proximal term moves with the iterate, so the minimum is the least-squares
   one). Unknowns: bottom, top, log IC50 (IC50 > 0), h. A curve that rises with the
   dose has top < bottom: IC50 is then its EC50. */
#include <petsctao.h>
#include "screenimpl.h"

typedef struct {
  PetscInt         n;
  const PetscReal *x, *y;
} GepHillData;

/* u = (x / c)^h and ln(x / c) at a dose (x = 0: u = 0 for h > 0) */
static void Power(PetscReal x, PetscReal logc, PetscReal h, PetscReal *u, PetscReal *l)
{
  *l = x > 0 ? log(x) - logc : -PETSC_MAX_REAL;
  *u = x > 0 ? exp(h * *l) : (h > 0 ? 0.0 : PETSC_MAX_REAL);
}

static PetscErrorCode Residual(Tao tao, Vec X, Vec F, void *ctx)
{
  GepHillData       *d = (GepHillData *)ctx;
  const PetscScalar *p;
  PetscScalar       *f;

  PetscFunctionBegin;
  (void)tao;
  PetscCall(VecGetArrayRead(X, &p));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt i = 0; i < d->n; i++) {
    PetscReal u, l;
    Power(d->x[i], p[2], p[3], &u, &l);
    f[i] = p[0] + (p[1] - p[0]) / (1 + u) - d->y[i];
  }
  PetscCall(VecRestoreArray(F, &f));
  PetscCall(VecRestoreArrayRead(X, &p));
  PetscFunctionReturn(0);
}

static PetscErrorCode Jacobian(Tao tao, Vec X, Mat J, Mat Jpre, void *ctx)
{
  GepHillData       *d = (GepHillData *)ctx;
  const PetscScalar *p;
  PetscInt           cols[4] = {0, 1, 2, 3};

  PetscFunctionBegin;
  (void)tao;
  PetscCall(VecGetArrayRead(X, &p));
  for (PetscInt i = 0; i < d->n; i++) {
    PetscReal u, l, s, row[4];
    Power(d->x[i], p[2], p[3], &u, &l);
    s      = 1 / (1 + u);
    row[0] = 1 - s;
    row[1] = s;
    row[2] = u < PETSC_MAX_REAL ? (p[1] - p[0]) * s * s * p[3] * u : 0;
    row[3] = u > 0 && u < PETSC_MAX_REAL ? -(p[1] - p[0]) * s * s * u * l : 0;
    PetscCall(MatSetValues(J, 1, &i, 4, cols, row, INSERT_VALUES));
  }
  PetscCall(VecRestoreArrayRead(X, &p));
  PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  if (Jpre != J) {
    PetscCall(MatAssemblyBegin(Jpre, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(Jpre, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(0);
}

/* a start: top and bottom at the smallest and largest dose, IC50 where the curve crosses
   half-way (log-linear between doses), h = 1 */
static void Start(PetscInt n, const PetscReal x[], const PetscReal y[], PetscReal p[4])
{
  PetscInt lo = 0, hi = 0;
  for (PetscInt i = 1; i < n; i++) {
    if (x[i] < x[lo]) lo = i;
    if (x[i] > x[hi]) hi = i;
  }
  p[0] = y[hi];
  p[1] = y[lo];
  p[2] = log(x[hi] > 0 ? sqrt(x[hi] * PetscMax(x[lo], 1e-3 * x[hi])) : 1.0);
  p[3] = 1;
  for (PetscInt i = 0; i < n; i++)
    for (PetscInt j = 0; j < n; j++) {
      PetscReal mid = 0.5 * (p[0] + p[1]), a = y[i] - mid, b = y[j] - mid;
      if (x[i] > 0 && x[j] > x[i] && a * b <= 0 && a != b) p[2] = log(x[i]) + (log(x[j]) - log(x[i])) * a / (a - b);
    }
}

PetscErrorCode GepScreenFitHill(PetscInt n, const PetscReal x[], const PetscReal y[], GepHillFit *fit)
{
  GepHillData        d = {n, x, y};
  Tao                tao;
  Vec                X, F;
  Mat                J;
  PetscReal          p0[4], rnorm, scale = 0;
  const PetscScalar *p;
  TaoConvergedReason reason;

  PetscFunctionBegin;
  PetscCheck(n >= 4, PETSC_COMM_SELF, PETSC_ERR_ARG_SIZ, "A Hill fit needs at least 4 doses, got %" PetscInt_FMT, n);
  Start(n, x, y, p0);
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, 4, &X));
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, n, &F));
  for (PetscInt k = 0; k < 4; k++) PetscCall(VecSetValue(X, k, p0[k], INSERT_VALUES));
  PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, n, 4, NULL, &J));
  PetscCall(TaoCreate(PETSC_COMM_SELF, &tao));
  PetscCall(TaoSetType(tao, TAOBRGN));
  PetscCall(TaoSetSolution(tao, X));
  PetscCall(TaoSetResidualRoutine(tao, F, Residual, &d));
  PetscCall(TaoSetJacobianResidualRoutine(tao, J, J, Jacobian, &d));
  for (PetscInt i = 0; i < n; i++) scale = PetscMax(scale, PetscAbsReal(y[i]));
  /* the gradient J^T r at the least-squares point is rounding's, about eps |y|^2 */
  PetscCall(TaoSetTolerances(tao, 1e-13 * (1 + scale) * (1 + scale), 0, 0));
  PetscCall(TaoSetMaximumIterations(tao, 500));
  PetscCall(TaoSolve(tao));
  PetscCall(TaoGetConvergedReason(tao, &reason));
  PetscCall(Residual(tao, X, F, &d));
  PetscCall(VecNorm(F, NORM_2, &rnorm));
  PetscCall(VecGetArrayRead(X, &p));
  fit->bottom    = p[0];
  fit->top       = p[1];
  fit->ic50      = exp(p[2]);
  fit->hill      = p[3];
  fit->rms       = rnorm / sqrt((PetscReal)n);
  fit->converged = (PetscBool)(reason > 0);
  PetscCall(VecRestoreArrayRead(X, &p));
  PetscCall(TaoDestroy(&tao));
  PetscCall(MatDestroy(&J));
  PetscCall(VecDestroy(&F));
  PetscCall(VecDestroy(&X));
  PetscFunctionReturn(0);
}

PetscReal GepScreenHillValue(const GepHillFit *fit, PetscReal x)
{
  PetscReal u = x > 0 ? pow(x / fit->ic50, fit->hill) : (fit->hill > 0 ? 0.0 : PETSC_MAX_REAL);
  return fit->bottom + (fit->top - fit->bottom) / (1 + u);
}
