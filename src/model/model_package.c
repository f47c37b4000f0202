/* The model package: the GepModel and GepEnsemble classes and their log events,
   registered once (the first Create) and forgotten at PetscFinalize. */
#include "modelimpl.h"
#include "ensembleimpl.h"

PetscClassId  GEPMODEL_CLASSID, GEPENSEMBLE_CLASSID;
PetscLogEvent GEP_ModelLoad, GEP_ModelCompile, GEP_ModelInit, GEP_ModelRHS, GEP_ModelJacobian, GEP_EnsembleSolve;

static PetscBool registered;

static PetscErrorCode GepModelFinalizePackage(void)
{
  PetscFunctionBegin;
  registered = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelInitializePackage(void)
{
  PetscFunctionBegin;
  if (registered) PetscFunctionReturn(0);
  registered = PETSC_TRUE;
  PetscCall(GepInitializePackage());
  PetscCall(PetscClassIdRegister("GepModel", &GEPMODEL_CLASSID));
  PetscCall(PetscClassIdRegister("GepEnsemble", &GEPENSEMBLE_CLASSID));
  PetscCall(PetscLogEventRegister("GepModelLoad", GEPMODEL_CLASSID, &GEP_ModelLoad));
  PetscCall(PetscLogEventRegister("GepModelCompile", GEPMODEL_CLASSID, &GEP_ModelCompile));
  PetscCall(PetscLogEventRegister("GepModelInit", GEPMODEL_CLASSID, &GEP_ModelInit));
  PetscCall(PetscLogEventRegister("GepModelRHS", GEPMODEL_CLASSID, &GEP_ModelRHS));
  PetscCall(PetscLogEventRegister("GepModelJacobian", GEPMODEL_CLASSID, &GEP_ModelJacobian));
  PetscCall(PetscLogEventRegister("GepEnsembleSolve", GEPENSEMBLE_CLASSID, &GEP_EnsembleSolve));
  PetscCall(PetscRegisterFinalize(GepModelFinalizePackage));
  PetscFunctionReturn(0);
}
