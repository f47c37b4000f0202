/* The fusion network's input and its backward pass to the views' logits.
   MOGONET's View Correlation Discovery Network: for every sample, the outer
   product of the M views' class probabilities sigmoid(z_v), flattened (C^M
   entries, the last view's class varying fastest); or their concatenation
   (M C entries); or, for a regression, the views' outputs side by side. */
#include "gnnimpl.h"

static inline PetscReal Sigmoid(PetscReal z)
{
  return 1.0 / (1.0 + PetscExpReal(-z));
}

PetscErrorCode GepGNNVCDNFeatures(PetscInt n, PetscInt M, PetscInt C, PetscReal *const Z[], PetscReal *F)
{
  PetscInt K = 1;

  PetscFunctionBegin;
  for (PetscInt v = 0; v < M; v++) K *= C;
  for (PetscInt idx = 0; idx < K; idx++)
    for (PetscInt i = 0; i < n; i++) F[idx * n + i] = 1.0;
  for (PetscInt idx = 0; idx < K; idx++) {
    PetscInt r = idx;
    for (PetscInt v = M - 1; v >= 0; v--, r /= C) /* class of view v in this entry */
      for (PetscInt i = 0; i < n; i++) F[idx * n + i] *= Sigmoid(Z[v][(r % C) * n + i]);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNVCDNBackward(PetscInt n, PetscInt M, PetscInt C, PetscReal *const Z[], const PetscReal *dF,
                                  PetscReal *const dZ[])
{
  PetscInt K = 1;

  PetscFunctionBegin;
  for (PetscInt v = 0; v < M; v++) {
    K *= C;
    for (PetscInt i = 0; i < n * C; i++) dZ[v][i] = 0;
  }
  for (PetscInt idx = 0; idx < K; idx++)
    for (PetscInt i = 0; i < n; i++) {
      for (PetscInt v = 0; v < M; v++) { /* d/ds_v of the product: the other views' factors */
        PetscReal prod = dF[idx * n + i], s = 0;
        PetscInt  r = idx, cv = 0;
        for (PetscInt u = M - 1; u >= 0; u--, r /= C) {
          PetscReal su = Sigmoid(Z[u][(r % C) * n + i]);
          if (u == v) {
            cv = r % C;
            s  = su;
          } else prod *= su;
        }
        dZ[v][cv * n + i] += prod * s * (1.0 - s);
      }
    }
  PetscFunctionReturn(0);
}

/* concatenation fusion: the views' sigmoid(logits) side by side (M C features) */
static void ConcatFeatures(PetscInt n, PetscInt M, PetscInt C, PetscReal *const Z[], PetscReal *F)
{
  for (PetscInt v = 0; v < M; v++)
    for (PetscInt c = 0; c < C; c++)
      for (PetscInt i = 0; i < n; i++) F[(v * C + c) * n + i] = Sigmoid(Z[v][c * n + i]);
}

static void ConcatBackward(PetscInt n, PetscInt M, PetscInt C, PetscReal *const Z[], const PetscReal *dF,
                           PetscReal *const dZ[])
{
  for (PetscInt v = 0; v < M; v++)
    for (PetscInt c = 0; c < C; c++)
      for (PetscInt i = 0; i < n; i++) {
        PetscReal s      = Sigmoid(Z[v][c * n + i]);
        dZ[v][c * n + i] = dF[(v * C + c) * n + i] * s * (1.0 - s);
      }
}

PetscInt GepGNNFusionWidth(GepGNNFusionType type, PetscInt M, PetscInt C)
{
  PetscInt K = 1;
  if (type != GEP_GNN_FUSION_VCDN) return M * C;
  for (PetscInt v = 0; v < M; v++) K *= C;
  return K;
}

PetscErrorCode GepGNNFusionFeatures(GepGNNFusionType type, PetscInt n, PetscInt M, PetscInt C, PetscReal *const Z[],
                                    PetscReal *F)
{
  PetscFunctionBegin;
  if (type == GEP_GNN_FUSION_CONCAT) ConcatFeatures(n, M, C, Z, F);
  else if (type == GEP_GNN_FUSION_OUTPUTS)
    for (PetscInt v = 0; v < M; v++) PetscCall(PetscArraycpy(F + v * C * n, Z[v], C * n));
  else PetscCall(GepGNNVCDNFeatures(n, M, C, Z, F));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNFusionBackward(GepGNNFusionType type, PetscInt n, PetscInt M, PetscInt C, PetscReal *const Z[],
                                    const PetscReal *dF, PetscReal *const dZ[])
{
  PetscFunctionBegin;
  if (type == GEP_GNN_FUSION_CONCAT) ConcatBackward(n, M, C, Z, dF, dZ);
  else if (type == GEP_GNN_FUSION_OUTPUTS)
    for (PetscInt v = 0; v < M; v++) PetscCall(PetscArraycpy(dZ[v], dF + v * C * n, C * n));
  else PetscCall(GepGNNVCDNBackward(n, M, C, Z, dF, dZ));
  PetscFunctionReturn(0);
}
