/* The gaussian likelihood: the data as they are, centred per feature and group, with
   a noise precision per feature and group learnt as MOFA+ does (fa_updates.c). */
#include "faimpl.h"

static PetscBool Valid(PetscReal y)
{
  (void)y;
  return PETSC_TRUE;
}

PetscErrorCode GepFALikelihoodCreate_Gaussian(GepFALikelihood *lik)
{
  PetscFunctionBegin;
  lik->gaussian = PETSC_TRUE;
  lik->valid    = Valid;
  PetscFunctionReturn(0);
}
