/* The dense layer, X W + b (then the common LeakyReLU and dropout): a classifier, the fusion network's layers, the
   linear baseline. Its passes are GEMMs, written once for both precisions in passes_real.h. */
#include "gnnimpl.h"

static const GepGNNLayerOps DenseOps = {
  .description     = "dense layers",
  .forward         = GepGNNDenseForward,
  .backward        = GepGNNDenseBackward,
  .forward_single  = GepGNNDenseForwardSingle,
  .backward_single = GepGNNDenseBackwardSingle,
};

PetscErrorCode GepGNNLayerCreate_Dense(GepGNNLayer *L)
{
  PetscFunctionBegin;
  L->ops = &DenseOps;
  PetscFunctionReturn(0);
}
