/* GepGNN losses and the optimiser step. Cross-entropy of softmax(logits) as
   MOGONET trains it: L = (1 / N) sum_i w_i CE_i over the N labelled samples of
   all ranks (w_i: a sample weight, 1 if none), and its gradient with respect to
   the logits; the mean squared error of one output against real targets
   (torch's MSELoss, with the same weights). Adam (Kingma & Ba), torch's defaults; PETSc's Tao has no
   stochastic-gradient methods. */
#include <math.h>
#include "gnnimpl.h"

/* the samples of all ranks (none is an error) */
static PetscErrorCode GlobalCount(MPI_Comm comm, PetscInt nloc, PetscInt *N)
{
  PetscFunctionBegin;
  *N = nloc;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, N, 1, MPIU_INT, MPI_SUM, comm));
  PetscCheck(*N > 0, comm, PETSC_ERR_ARG_WRONG, "no labelled samples");
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNCrossEntropy(MPI_Comm comm, PetscInt nloc, PetscInt C, const PetscReal *Z, const PetscInt *y,
                                  const PetscReal *w, PetscReal *loss, PetscReal *dZ)
{
  PetscReal s = 0;
  PetscInt  N;

  PetscFunctionBegin;
  PetscCall(GlobalCount(comm, nloc, &N));
  for (PetscInt i = 0; i < nloc; i++) {
    PetscReal mx = PETSC_MIN_REAL, sum = 0, wi = w ? w[i] : 1.0;

    PetscCheck(y[i] >= 0 && y[i] < C, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
               "label %" PetscInt_FMT " is outside the classes 0..%" PetscInt_FMT, y[i], C - 1);
    for (PetscInt c = 0; c < C; c++) mx = PetscMax(mx, Z[c * nloc + i]);
    for (PetscInt c = 0; c < C; c++) sum += PetscExpReal(Z[c * nloc + i] - mx);
    s += wi * (mx + PetscLogReal(sum) - Z[y[i] * nloc + i]);
    if (dZ)
      for (PetscInt c = 0; c < C; c++)
        dZ[c * nloc + i] = wi * (PetscExpReal(Z[c * nloc + i] - mx) / sum - (c == y[i] ? 1.0 : 0.0)) / N;
  }
  PetscCallMPI(MPI_Allreduce(&s, loss, 1, MPIU_REAL, MPI_SUM, comm));
  *loss /= N;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNMeanSquaredError(MPI_Comm comm, PetscInt nloc, const PetscReal *z, const PetscReal *t,
                                      const PetscReal *w, PetscReal *loss, PetscReal *dZ)
{
  PetscReal s = 0;
  PetscInt  N;

  PetscFunctionBegin;
  PetscCall(GlobalCount(comm, nloc, &N));
  for (PetscInt i = 0; i < nloc; i++) {
    PetscReal wi = w ? w[i] : 1.0, e = z[i] - t[i];
    s += wi * e * e;
    if (dZ) dZ[i] = 2.0 * wi * e / N;
  }
  PetscCallMPI(MPI_Allreduce(&s, loss, 1, MPIU_REAL, MPI_SUM, comm));
  *loss /= N;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNTrainingLoss(GepGNN g, const PetscReal *Z, PetscReal *loss, PetscReal *dZ)
{
  PetscFunctionBegin;
  if (g->regression) PetscCall(GepGNNMeanSquaredError(g->comm, g->ntr, Z, g->ttr, g->wtr, loss, dZ));
  else PetscCall(GepGNNCrossEntropy(g->comm, g->ntr, g->C, Z, g->ytr, g->wtr, loss, dZ));
  PetscFunctionReturn(0);
}

void GepGNNAdamStep(PetscInt n, PetscReal *restrict p, const PetscReal *restrict g, PetscReal *restrict m,
                    PetscReal *restrict v, PetscInt t, PetscReal lr)
{
  const PetscReal b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const PetscReal c1 = 1.0 - PetscPowRealInt(b1, t), rc2 = 1.0 / PetscSqrtReal(1.0 - PetscPowRealInt(b2, t)),
                  step = lr / c1;

  for (PetscInt i = 0; i < n; i++) { /* torch's order: lr / c1 * m / (sqrt(v) / sqrt(c2) + eps) */
    m[i] = b1 * m[i] + (1.0 - b1) * g[i];
    v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
    p[i] -= step * m[i] / (PetscSqrtReal(v[i]) * rc2 + eps);
  }
}

/* float32 throughout, as PyTorch steps float32 parameters: 28 bytes of memory traffic a weight against the double
   step's 56 (the double copy of the weights is made when it is read, GepGNNLayerSyncWeights), and twice as many square
   roots and divisions to a vector */
void GepGNNAdamStepSingle(PetscInt n, float *restrict ps, const float *restrict g, float *restrict m, float *restrict v,
                          PetscInt t, PetscReal lr)
{
  const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  const float c1  = (float)(1.0 - PetscPowRealInt(0.9, t)),
              rc2 = (float)(1.0 / PetscSqrtReal(1.0 - PetscPowRealInt(0.999, t))), step = (float)lr / c1;

  for (PetscInt i = 0; i < n; i++) {
    const float gi = g[i], mi = b1 * m[i] + (1.0f - b1) * gi, vi = b2 * v[i] + (1.0f - b2) * gi * gi;

    m[i]  = mi;
    v[i]  = vi;
    ps[i] = ps[i] - step * mi / (sqrtf(vi) * rc2 + eps);
  }
}
