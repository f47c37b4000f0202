/* The screen package: the GepScreen class and its log events (set-up, handing out
   units, integrating a unit and making its readouts, committing results). */
#include "screenimpl.h"

PetscClassId  GEPSCREEN_CLASSID;
PetscLogEvent GEP_ScreenSetUp, GEP_ScreenSchedule, GEP_ScreenUnit, GEP_ScreenCommit;

static PetscBool registered;

static PetscErrorCode GepScreenFinalizePackage(void)
{
  PetscFunctionBegin;
  registered = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenInitializePackage(void)
{
  PetscFunctionBegin;
  if (registered) PetscFunctionReturn(0);
  registered = PETSC_TRUE;
  PetscCall(GepPerturbationInitializePackage());
  PetscCall(PetscClassIdRegister("GepScreen", &GEPSCREEN_CLASSID));
  PetscCall(PetscLogEventRegister("GepScreenSetUp", GEPSCREEN_CLASSID, &GEP_ScreenSetUp));
  PetscCall(PetscLogEventRegister("GepScreenSchedule", GEPSCREEN_CLASSID, &GEP_ScreenSchedule));
  PetscCall(PetscLogEventRegister("GepScreenUnit", GEPSCREEN_CLASSID, &GEP_ScreenUnit));
  PetscCall(PetscLogEventRegister("GepScreenCommit", GEPSCREEN_CLASSID, &GEP_ScreenCommit));
  PetscCall(PetscRegisterFinalize(GepScreenFinalizePackage));
  PetscFunctionReturn(0);
}
