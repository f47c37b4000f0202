/* The GepGNN layer types, registered by name. A type is one file whose create function points the layer at its
   operations (GepGNNLayerOps); -gnn_layer_type chooses among the registered graph layers. */
#include "gnnimpl.h"

PETSC_INTERN PetscErrorCode GepGNNLayerCreate_Dense(GepGNNLayer *);
PETSC_INTERN PetscErrorCode GepGNNLayerCreate_GCN(GepGNNLayer *);
PETSC_INTERN PetscErrorCode GepGNNLayerCreate_GAT(GepGNNLayer *);

PetscFunctionList GepGNNLayerList;

PetscErrorCode GepGNNLayerRegisterAll(void)
{
  PetscFunctionBegin;
  PetscCall(GepGNNLayerRegister(GEPGNNLAYERDENSE, GepGNNLayerCreate_Dense));
  PetscCall(GepGNNLayerRegister(GEPGNNLAYERGCN, GepGNNLayerCreate_GCN));
  PetscCall(GepGNNLayerRegister(GEPGNNLAYERGAT, GepGNNLayerCreate_GAT));
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroyList(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&GepGNNLayerList));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerRegister(const char name[], PetscErrorCode (*create)(GepGNNLayer *))
{
  PetscFunctionBegin;
  if (!GepGNNLayerList) PetscCall(PetscRegisterFinalize(DestroyList));
  PetscCall(PetscFunctionListAdd(&GepGNNLayerList, name, create));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLayerSetType(GepGNNLayer *L, GepGNNLayerType type)
{
  PetscErrorCode (*create)(GepGNNLayer *) = NULL;

  PetscFunctionBegin;
  PetscCall(GepGNNInitializePackage()); /* the types are registered there */
  PetscCall(PetscFunctionListFind(GepGNNLayerList, type, &create));
  PetscCheck(create, PETSC_COMM_SELF, PETSC_ERR_USER, "no GNN layer type %s", type);
  PetscCall(PetscStrncpy(L->type, type, sizeof(L->type)));
  PetscCall((*create)(L));
  PetscFunctionReturn(0);
}

/* a type's operations, without a layer (what the options check); NULL for a name not registered */
PetscErrorCode GepGNNLayerTypeGetOps(GepGNNLayerType type, const GepGNNLayerOps **ops)
{
  PetscErrorCode (*create)(GepGNNLayer *) = NULL;
  GepGNNLayer L;

  PetscFunctionBegin;
  *ops = NULL;
  PetscCall(GepGNNInitializePackage()); /* the types are registered there */
  PetscCall(PetscFunctionListFind(GepGNNLayerList, type, &create));
  if (!create) PetscFunctionReturn(0);
  PetscCall(PetscMemzero(&L, sizeof(L)));
  PetscCall((*create)(&L));
  *ops = L.ops;
  PetscFunctionReturn(0);
}
