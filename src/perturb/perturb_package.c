/* The perturb package: the GepPerturbation class and its log event, registered once. */
#include "perturbimpl.h"

PetscClassId  GEPPERTURBATION_CLASSID;
PetscLogEvent GEP_PerturbSetUp;

static PetscBool registered;

static PetscErrorCode GepPerturbationFinalizePackage(void)
{
  PetscFunctionBegin;
  registered = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationInitializePackage(void)
{
  PetscFunctionBegin;
  if (registered) PetscFunctionReturn(0);
  registered = PETSC_TRUE;
  PetscCall(GepModelInitializePackage());
  PetscCall(PetscClassIdRegister("GepPerturbation", &GEPPERTURBATION_CLASSID));
  PetscCall(PetscLogEventRegister("GepPerturbSetUp", GEPPERTURBATION_CLASSID, &GEP_PerturbSetUp));
  PetscCall(PetscRegisterFinalize(GepPerturbationFinalizePackage));
  PetscFunctionReturn(0);
}
