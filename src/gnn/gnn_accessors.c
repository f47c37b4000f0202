/* GepGNN's accessors: its views, sizes, the test log-likelihood, and (for implementers and
   tests) where a test input lives. */
#include "gnnimpl.h"

PetscErrorCode GepGNNGetNumViews(GepGNN g, PetscInt *M)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  *M = g->M;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNGetView(GepGNN g, PetscInt m, const char **name, PetscInt *D, const char *const **features,
                             const PetscReal **gradient_importance)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  PetscCheck(m >= 0 && m < g->M, g->comm, PETSC_ERR_ARG_OUTOFRANGE, "view %" PetscInt_FMT " of %" PetscInt_FMT, m,
             g->M);
  if (name) *name = g->v[m].name;
  if (D) *D = g->v[m].D;
  if (features) *features = (const char *const *)g->v[m].feat;
  if (gradient_importance) *gradient_importance = g->v[m].imp_gradient;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNGetSizes(GepGNN g, PetscInt *Ntrain, PetscInt *Ntest)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(g, GEPGNN_CLASSID, 1);
  PetscCheck(g->setup, g->comm, PETSC_ERR_ORDER, "Call GepGNNSetUp() first");
  if (Ntrain) *Ntrain = g->Ntr;
  if (Ntest) *Ntest = g->Nte;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNTestLogLikelihood(GepGNN g, PetscReal *L)
{
  const PetscReal *prob;

  PetscFunctionBegin;
  PetscCheck(GepGNNTestLabelled(g), g->comm, PETSC_ERR_ARG_WRONGSTATE, "the test log-likelihood needs test labels");
  PetscCall(GepGNNPredict(g, &prob));
  *L = 0;
  for (PetscInt i = 0; i < g->Nte; i++)
    *L += g->regression ? (prob[i] - g->tmu) / g->tsd : PetscLogReal(prob[i * g->C + g->yte[i]]);
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNGetTestInput(GepGNN g, PetscInt m, PetscInt r, PetscInt j, PetscReal **x)
{
  PetscFunctionBegin;
  *x = NULL;
  PetscCheck(g->vnet, g->comm, PETSC_ERR_SUP, "the linear model has no view networks");
  PetscCall(g->vnet->testinput(g, m, r, j, x));
  PetscFunctionReturn(0);
}
