/* The factor-analysis package: the GepFA class and its log events. */
#include "faimpl.h"

PetscClassId  GEPFA_CLASSID;
PetscLogEvent GEP_FAInit, GEP_FAWeights, GEP_FAFactors, GEP_FANoise, GEP_FAELBO, GEP_FASolve;

static PetscBool registered;

static PetscErrorCode GepFAFinalizePackage(void)
{
  PetscFunctionBegin;
  registered = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAInitializePackage(void)
{
  PetscFunctionBegin;
  if (registered) PetscFunctionReturn(0);
  registered = PETSC_TRUE;
  PetscCall(GepOmicsInitializePackage());
  PetscCall(PetscClassIdRegister("GepFA", &GEPFA_CLASSID));
  PetscCall(GepFALikelihoodRegisterAll());
  PetscCall(PetscLogEventRegister("GepFAInit", GEPFA_CLASSID, &GEP_FAInit));
  PetscCall(PetscLogEventRegister("GepFAWeights", GEPFA_CLASSID, &GEP_FAWeights));
  PetscCall(PetscLogEventRegister("GepFAFactors", GEPFA_CLASSID, &GEP_FAFactors));
  PetscCall(PetscLogEventRegister("GepFANoise", GEPFA_CLASSID, &GEP_FANoise));
  PetscCall(PetscLogEventRegister("GepFAELBO", GEPFA_CLASSID, &GEP_FAELBO));
  PetscCall(PetscLogEventRegister("GepFASolve", GEPFA_CLASSID, &GEP_FASolve));
  PetscCall(PetscRegisterFinalize(GepFAFinalizePackage));
  PetscFunctionReturn(0);
}
