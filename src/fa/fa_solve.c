/* GepFA training loop: MOFA+'s schedule, ELBO every iteration, convergence when
   the ELBO change relative to the initial ELBO (in percent) is below the mode's
   threshold on two consecutive iterations. */
#include "faimpl.h"

PetscErrorCode GepFASolve_VB(GepFA fa)
{
  PetscInt       token = 1;
  PetscLogDouble t0, t1;
  PetscBool      dropped;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_FASolve, 0, 0, 0, 0));
  PetscCall(PetscTime(&fa->t_start));
  PetscCall(GepFAUpdatePseudoData(fa));
  PetscCall(GepFAResiduals(fa));
  PetscCall(GepFAComputeELBO(fa, &fa->elbo[0]));
  fa->ktrace[0] = (PetscReal)fa->K;
  fa->ttrace[0] = 0;
  fa->converged = PETSC_FALSE;
  if (fa->progress) PetscCall(PetscPrintf(fa->comm, "gepsim factor: ELBO before training %.2f\n", (double)fa->elbo[0]));
  for (fa->iter = 1; fa->iter < fa->maxiter; fa->iter++) {
    PetscInt  i = fa->iter;
    PetscReal delta, rel;

    PetscCall(PetscTime(&t0));
    PetscCall(GepFADropFactor(fa, &dropped));
    PetscCall(GepFAUpdatePseudoData(fa)); /* MOFA+'s "Y" node: bounds and pseudo-data of non-gaussian views */
    PetscCall(PetscLogEventBegin(GEP_FAWeights, 0, 0, 0, 0));
    PetscCall(GepFAUpdateWeights(fa));
    PetscCall(PetscLogEventEnd(GEP_FAWeights, 0, 0, 0, 0));
    PetscCall(PetscLogEventBegin(GEP_FAFactors, 0, 0, 0, 0));
    PetscCall(GepFAUpdateFactors(fa));
    PetscCall(PetscLogEventEnd(GEP_FAFactors, 0, 0, 0, 0));
    PetscCall(PetscLogEventBegin(GEP_FANoise, 0, 0, 0, 0));
    PetscCall(GepFAUpdateNoise(fa));
    PetscCall(PetscLogEventEnd(GEP_FANoise, 0, 0, 0, 0));
    PetscCall(PetscLogEventBegin(GEP_FAELBO, 0, 0, 0, 0));
    PetscCall(GepFAComputeELBO(fa, &fa->elbo[i]));
    PetscCall(PetscLogEventEnd(GEP_FAELBO, 0, 0, 0, 0));
    PetscCheck(!PetscIsInfOrNanReal(fa->elbo[i]), fa->comm, PETSC_ERR_NOT_CONVERGED,
               "the ELBO is not a number at iteration %" PetscInt_FMT, i);
    PetscCall(PetscTime(&t1));
    fa->ktrace[i] = (PetscReal)fa->K;
    fa->ttrace[i] = t1 - t0;
    delta         = fa->elbo[i] - fa->elbo[i - 1];
    rel           = 100.0 * PetscAbsReal(delta / fa->elbo[0]);
    if (fa->progress)
      PetscCall(PetscPrintf(fa->comm,
                            "  iteration %4" PetscInt_FMT ": ELBO %.2f, change %.3f (%.6f %%), factors %" PetscInt_FMT
                            ", %.3f s\n",
                            i, (double)fa->elbo[i], (double)delta, (double)rel, fa->K, t1 - t0));
    if (i > 1) {
      token = rel < fa->threshold ? token + 1 : 1;
      if (token == 3) {
        fa->converged = PETSC_TRUE;
        fa->iter++;
        break;
      }
    }
  }
  /* fa->iter: number of ELBO values stored (including the initial one) */
  PetscCall(GepFASortFactors(fa));
  PetscCall(PetscLogEventEnd(GEP_FASolve, 0, 0, 0, 0));
  if (fa->progress) {
    PetscCall(PetscTime(&t1));
    PetscCall(PetscPrintf(
      fa->comm, "gepsim factor: %s after %" PetscInt_FMT " iterations (%.2f s), %" PetscInt_FMT " factors\n",
      fa->converged ? "converged" : "stopped at -fa_maxiter", fa->iter - 1, t1 - fa->t_start, fa->K));
  }
  PetscFunctionReturn(0);
}
