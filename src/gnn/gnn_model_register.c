/* The GNN models, registered by name. A model is one file whose create function fills the
   ops (set-up, training, prediction) and says which networks the views run. */
#include "gnnimpl.h"

PETSC_INTERN PetscErrorCode GepGNNCreate_MOGONET(GepGNN);
PETSC_INTERN PetscErrorCode GepGNNCreate_Feature(GepGNN);
PETSC_INTERN PetscErrorCode GepGNNCreate_Linear(GepGNN);

PetscFunctionList GepGNNList;

PetscErrorCode GepGNNRegisterAll(void)
{
  PetscFunctionBegin;
  PetscCall(GepGNNRegister("mogonet", GepGNNCreate_MOGONET));
  PetscCall(GepGNNRegister("feature", GepGNNCreate_Feature));
  PetscCall(GepGNNRegister("linear", GepGNNCreate_Linear));
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroyList(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&GepGNNList));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNRegister(const char name[], PetscErrorCode (*create)(GepGNN))
{
  PetscFunctionBegin;
  if (!GepGNNList) PetscCall(PetscRegisterFinalize(DestroyList));
  PetscCall(PetscFunctionListAdd(&GepGNNList, name, create));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNSetType(GepGNN g, const char type[])
{
  PetscErrorCode (*create)(GepGNN) = NULL;
  PetscBool same;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  PetscCall(PetscObjectTypeCompare((PetscObject)g, type, &same));
  if (same) PetscFunctionReturn(0);
  PetscCheck(!g->setup, g->comm, PETSC_ERR_ORDER, "Set the model's type before GepGNNSetUp()");
  PetscCall(PetscFunctionListFind(GepGNNList, type, &create));
  PetscCheck(create, g->comm, PETSC_ERR_USER, "-gnn_model %s: no such model (mogonet, feature, linear)", type);
  PetscCall(PetscMemzero(g->ops, sizeof(*g->ops)));
  PetscCall((*create)(g));
  PetscCall(PetscObjectChangeTypeName((PetscObject)g, type));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNGetType(GepGNN g, const char **type)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  *type = ((PetscObject)g)->type_name;
  PetscFunctionReturn(0);
}
