/* The omics package: the GepOmics class and its log event. */
#include "omicsimpl.h"

PetscClassId  GEPOMICS_CLASSID;
PetscLogEvent GEP_OmicsLoad;

static PetscBool registered;

static PetscErrorCode GepOmicsFinalizePackage(void)
{
  PetscFunctionBegin;
  registered = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsInitializePackage(void)
{
  PetscFunctionBegin;
  if (registered) PetscFunctionReturn(0);
  registered = PETSC_TRUE;
  PetscCall(GepInitializePackage());
  PetscCall(PetscClassIdRegister("GepOmics", &GEPOMICS_CLASSID));
  PetscCall(PetscLogEventRegister("GepOmicsLoad", GEPOMICS_CLASSID, &GEP_OmicsLoad));
  PetscCall(PetscRegisterFinalize(GepOmicsFinalizePackage));
  PetscFunctionReturn(0);
}
