/* The linear baseline: multinomial logistic regression on the standardised,
   concatenated views (z-scores from the training samples; a constant feature
   is only centred), with an L2 penalty on the weights (not the intercepts),
   fitted by Tao's limited-memory variable-metric method. The objective
   (1 / N) sum_i w_i CE_i + ||W||^2 / (c N) makes two classes the same model as
   scikit-learn's binary LogisticRegression(C = c): its weight vector is the
   difference of the two classes' columns, whose optimum splits it evenly. The
   parameters are replicated (a sequential Tao on every rank) and the gradient
   summed over the ranks' samples, so every rank takes the same steps. With
   -gnn_loss mse it is ridge regression: (1 / N) sum_i (z_i - t_i)^2 +
   alpha ||W||^2 / N, scikit-learn's Ridge(alpha) objective divided by N. */
#include <petsctao.h>
#include "gnnimpl.h"

/* column-major nloc x (sum D) concatenation of the views' blocks, standardised */
static PetscErrorCode Concatenate(GepGNN g, PetscInt n, PetscBool train, PetscReal **X)
{
  PetscInt off = 0, Dt = g->lin.fin;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n * Dt + 1, X));
  for (PetscInt m = 0; m < g->M; m++) {
    const PetscReal *src = train ? g->v[m].Xtr : g->v[m].Xall;
    for (PetscInt d = 0; d < g->v[m].D; d++, off++)
      for (PetscInt i = 0; i < n; i++) (*X)[off * n + i] = (src[d * n + i] - g->mu[off]) / g->sd[off];
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNSetUpLinear(GepGNN g)
{
  PetscInt   Dt = 0, off = 0;
  PetscReal *sums;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < g->M; m++) Dt += g->v[m].D;
  PetscCall(PetscMalloc2(Dt, &g->mu, Dt, &g->sd));
  PetscCall(PetscCalloc1(2 * Dt, &sums));
  for (PetscInt m = 0; m < g->M; m++)
    for (PetscInt d = 0; d < g->v[m].D; d++, off++)
      for (PetscInt i = 0; i < g->ntr; i++) sums[off] += g->v[m].Xtr[d * g->ntr + i];
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, sums, (PetscMPIInt)Dt, MPIU_REAL, MPI_SUM, g->comm));
  for (PetscInt j = 0; j < Dt; j++) g->mu[j] = sums[j] / g->Ntr;
  off = 0;
  for (PetscInt m = 0; m < g->M; m++)
    for (PetscInt d = 0; d < g->v[m].D; d++, off++)
      for (PetscInt i = 0; i < g->ntr; i++) {
        PetscReal x = g->v[m].Xtr[d * g->ntr + i] - g->mu[off];
        sums[Dt + off] += x * x;
      }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, sums + Dt, (PetscMPIInt)Dt, MPIU_REAL, MPI_SUM, g->comm));
  for (PetscInt j = 0; j < Dt; j++) {
    g->sd[j] = PetscSqrtReal(sums[Dt + j] / g->Ntr);
    if (g->sd[j] <= 0) g->sd[j] = 1.0;
  }
  PetscCall(PetscFree(sums));
  PetscCall(GepGNNLayerSetUp(&g->lin, g->comm, GEPGNNLAYERDENSE, Dt, g->C, g->ntr, g->Ntr, NULL, 1.0, g->rnd));
  PetscCall(PetscArrayzero(g->lin.W, Dt * g->C)); /* a convex problem: start at zero, as scikit-learn */
  PetscCall(PetscMalloc2(1, &g->F, g->ntr * g->C + 1, &g->dY));
  PetscFunctionReturn(0);
}

typedef struct {
  GepGNN     g;
  PetscReal *X;
} LinearCtx;

static PetscErrorCode ObjectiveGradient(Tao tao, Vec p, PetscReal *f, Vec grad, void *ctx)
{
  LinearCtx         *lc = (LinearCtx *)ctx;
  GepGNN             g  = lc->g;
  GepGNNLayer       *L  = &g->lin;
  PetscInt           nw = L->fin * L->fout;
  const PetscScalar *pa;
  PetscScalar       *ga;
  PetscReal          lam = g->regression ? g->ridge_alpha / g->Ntr : 1.0 / (g->logistic_c * g->Ntr), pen = 0;

  PetscFunctionBegin;
  (void)tao;
  PetscCall(VecGetArrayRead(p, &pa));
  PetscCall(PetscArraycpy(L->W, pa, nw));
  PetscCall(PetscArraycpy(L->b, pa + nw, L->fout));
  PetscCall(VecRestoreArrayRead(p, &pa));
  PetscCall(GepGNNLayerForward(L, lc->X, NULL, L->S));
  PetscCall(GepGNNTrainingLoss(g, L->S, f, g->dY));
  PetscCall(GepGNNLayerBackward(L, lc->X, L->S, NULL, g->dY, NULL));
  PetscCall(VecGetArray(grad, &ga));
  for (PetscInt i = 0; i < nw; i++) {
    pen += L->W[i] * L->W[i];
    ga[i] = L->dW[i] + 2.0 * lam * L->W[i];
  }
  for (PetscInt j = 0; j < L->fout; j++) ga[nw + j] = L->db[j];
  PetscCall(VecRestoreArray(grad, &ga));
  *f += lam * pen;
  PetscFunctionReturn(0);
}

/* the objective at the current weights */
static PetscErrorCode LinearObjective(LinearCtx *lc, PetscReal *f)
{
  GepGNNLayer *L = &lc->g->lin;
  Vec          p, grad;
  PetscInt     n = L->fin * L->fout + L->fout;

  PetscFunctionBegin;
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, n, &p));
  PetscCall(VecDuplicate(p, &grad));
  {
    PetscScalar *pa;
    PetscCall(VecGetArray(p, &pa));
    PetscCall(PetscArraycpy(pa, L->W, L->fin * L->fout));
    PetscCall(PetscArraycpy(pa + L->fin * L->fout, L->b, L->fout));
    PetscCall(VecRestoreArray(p, &pa));
  }
  PetscCall(ObjectiveGradient(NULL, p, f, grad, lc));
  PetscCall(VecDestroy(&p));
  PetscCall(VecDestroy(&grad));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNTrainLinear(GepGNN g)
{
  LinearCtx          lc;
  Tao                tao;
  Vec                p;
  PetscInt           n = g->lin.fin * g->C + g->C, its;
  PetscReal          f;
  TaoConvergedReason reason;
  const PetscScalar *pa;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_GNNTrain, 0, 0, 0, 0));
  lc.g = g;
  PetscCall(Concatenate(g, g->ntr, PETSC_TRUE, &lc.X));
  if (g->regression) {
    PetscBool solved;
    PetscCall(GepGNNSolveRidge(g, lc.X, &solved));
    if (solved) {
      PetscCall(PetscMalloc1(1, &g->loss));
      PetscCall(LinearObjective(&lc, &g->loss[0]));
      if (g->progress)
        PetscCall(PetscPrintf(g->comm, "  ridge regression: solved by Cholesky, objective %.6g\n", (double)g->loss[0]));
      PetscCall(PetscFree(lc.X));
      PetscCall(PetscLogEventEnd(GEP_GNNTrain, 0, 0, 0, 0));
      PetscFunctionReturn(0);
    }
  }
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, n, &p));
  PetscCall(VecSet(p, 0.0));
  PetscCall(TaoCreate(PETSC_COMM_SELF, &tao));
  PetscCall(TaoSetType(tao, TAOLMVM));
  PetscCall(TaoSetSolution(tao, p));
  PetscCall(TaoSetObjectiveAndGradient(tao, NULL, ObjectiveGradient, &lc));
  PetscCall(TaoSetTolerances(tao, 1e-7, 1e-9, 0.0));
  PetscCall(TaoSetMaximumIterations(tao, g->epochs));
  PetscCall(TaoSetMaximumFunctionEvaluations(tao, 10 * g->epochs));
  PetscCall(TaoSetOptionsPrefix(tao, "gnn_linear_"));
  PetscCall(TaoSetFromOptions(tao));
  PetscCall(TaoSolve(tao));
  PetscCall(TaoGetSolutionStatus(tao, &its, &f, NULL, NULL, NULL, &reason));
  PetscCall(VecGetArrayRead(p, &pa));
  PetscCall(PetscArraycpy(g->lin.W, pa, g->lin.fin * g->C));
  PetscCall(PetscArraycpy(g->lin.b, pa + g->lin.fin * g->C, g->C));
  PetscCall(VecRestoreArrayRead(p, &pa));
  if (g->progress)
    PetscCall(PetscPrintf(g->comm, "  %s regression: %" PetscInt_FMT " Tao iterations, objective %.6f (%s)\n",
                          g->regression ? "ridge" : "logistic", its, (double)f, TaoConvergedReasons[reason]));
  PetscCheck(reason > 0 || reason == TAO_DIVERGED_MAXITS, g->comm, PETSC_ERR_NOT_CONVERGED,
             "%s regression: Tao did not converge (%s)", g->regression ? "ridge" : "logistic",
             TaoConvergedReasons[reason]);
  PetscCall(PetscMalloc1(1, &g->loss));
  g->loss[0] = f;
  PetscCall(TaoDestroy(&tao));
  PetscCall(VecDestroy(&p));
  PetscCall(PetscFree(lc.X));
  PetscCall(PetscLogEventEnd(GEP_GNNTrain, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* The linear model's solvers' options (-gnn_linear_tao_..., -gnn_ridge_ksp_...), read and
   checked before any work by solvers configured like the training's and thrown away. */
PetscErrorCode GepGNNReadSolverOptions(GepGNN g)
{
  Tao tao;
  KSP ksp;
  PC  pc;

  PetscFunctionBegin;
  (void)g;
  PetscCall(TaoCreate(PETSC_COMM_SELF, &tao));
  PetscCall(TaoSetType(tao, TAOLMVM));
  PetscCall(TaoSetOptionsPrefix(tao, "gnn_linear_"));
  PetscCall(TaoSetFromOptions(tao));
  PetscCall(TaoDestroy(&tao));
  PetscCall(KSPCreate(PETSC_COMM_SELF, &ksp));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCCHOLESKY));
  PetscCall(KSPSetOptionsPrefix(ksp, "gnn_ridge_"));
  PetscCall(KSPSetFromOptions(ksp));
  PetscCall(KSPDestroy(&ksp));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNPredictLinear(GepGNN g)
{
  PetscReal *X;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_GNNPredict, 0, 0, 0, 0));
  PetscCall(Concatenate(g, g->nall, PETSC_FALSE, &X));
  PetscCall(GepGNNLayerSetNodes(&g->lin, g->nall, g->Ntr + g->Nte, NULL));
  PetscCall(GepGNNLayerForward(&g->lin, X, NULL, g->lin.S));
  PetscCall(GepGNNGatherNewProbabilities(g, g->nall, g->rall, g->lin.S, g->prob));
  PetscCall(GepGNNLayerSetNodes(&g->lin, g->ntr, g->Ntr, NULL));
  PetscCall(PetscFree(X));
  PetscCall(PetscLogEventEnd(GEP_GNNPredict, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* the linear baseline: L2 logistic regression (Tao) or ridge regression (one Cholesky solve) */
PetscErrorCode GepGNNCreate_Linear(GepGNN g)
{
  PetscFunctionBegin;
  g->vnet         = NULL;
  g->ops->setup   = GepGNNSetUpLinear;
  g->ops->train   = GepGNNTrainLinear;
  g->ops->predict = GepGNNPredictLinear;
  PetscFunctionReturn(0);
}
