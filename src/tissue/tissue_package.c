/* The tissue package: the GepTissue class and its log events (set-up, diffusion-decay, reactions). */
#include "tissueimpl.h"

PetscClassId  GEPTISSUE_CLASSID;
PetscLogEvent GEP_TissueSetUp, GEP_TissueDiffusion, GEP_TissueReaction;

static PetscBool registered;

static PetscErrorCode GepTissueFinalizePackage(void)
{
  PetscFunctionBegin;
  registered = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueInitializePackage(void)
{
  PetscFunctionBegin;
  if (registered) PetscFunctionReturn(0);
  registered = PETSC_TRUE;
  PetscCall(PetscClassIdRegister("GepTissue", &GEPTISSUE_CLASSID));
  PetscCall(PetscLogEventRegister("GepTissueSetUp", GEPTISSUE_CLASSID, &GEP_TissueSetUp));
  PetscCall(PetscLogEventRegister("GepTissueDiffuse", GEPTISSUE_CLASSID, &GEP_TissueDiffusion));
  PetscCall(PetscLogEventRegister("GepTissueReact", GEPTISSUE_CLASSID, &GEP_TissueReaction));
  PetscCall(PetscRegisterFinalize(GepTissueFinalizePackage));
  PetscFunctionReturn(0);
}
