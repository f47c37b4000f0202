/* The graph-network package: the GepGNN class and its log events. */
#include "gnnimpl.h"

PetscClassId  GEPGNN_CLASSID;
PetscLogEvent GEP_GNNGraph, GEP_GNNTrain, GEP_GNNPredict, GEP_GNNImportance;

static PetscBool registered;

static PetscErrorCode GepGNNFinalizePackage(void)
{
  PetscFunctionBegin;
  registered = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNInitializePackage(void)
{
  PetscFunctionBegin;
  if (registered) PetscFunctionReturn(0);
  registered = PETSC_TRUE;
  PetscCall(GepInitializePackage());
  PetscCall(PetscClassIdRegister("GepGNN", &GEPGNN_CLASSID));
  PetscCall(GepGNNRegisterAll());
  PetscCall(GepGNNLayerRegisterAll());
  PetscCall(PetscLogEventRegister("GepGNNGraph", GEPGNN_CLASSID, &GEP_GNNGraph));
  PetscCall(PetscLogEventRegister("GepGNNTrain", GEPGNN_CLASSID, &GEP_GNNTrain));
  PetscCall(PetscLogEventRegister("GepGNNPredict", GEPGNN_CLASSID, &GEP_GNNPredict));
  PetscCall(PetscLogEventRegister("GepGNNImportance", GEPGNN_CLASSID, &GEP_GNNImportance));
  PetscCall(PetscRegisterFinalize(GepGNNFinalizePackage));
  PetscFunctionReturn(0);
}
