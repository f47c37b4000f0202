/* The likelihoods of GepFA, registered by name. A new one is one file that fills a
   GepFALikelihood (see fa_lik_poisson.c) and two lines here: its declaration and
   its registration. */
#include "faimpl.h"

PETSC_INTERN PetscErrorCode GepFALikelihoodCreate_Gaussian(GepFALikelihood *);
PETSC_INTERN PetscErrorCode GepFALikelihoodCreate_Bernoulli(GepFALikelihood *);
PETSC_INTERN PetscErrorCode GepFALikelihoodCreate_Poisson(GepFALikelihood *);

static PetscFunctionList likelihoods;

PetscErrorCode GepFALikelihoodRegisterAll(void)
{
  PetscFunctionBegin;
  PetscCall(GepFALikelihoodRegister("gaussian", GepFALikelihoodCreate_Gaussian));
  PetscCall(GepFALikelihoodRegister("bernoulli", GepFALikelihoodCreate_Bernoulli));
  PetscCall(GepFALikelihoodRegister("poisson", GepFALikelihoodCreate_Poisson));
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroyList(void)
{
  PetscFunctionBegin;
  PetscCall(PetscFunctionListDestroy(&likelihoods));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFALikelihoodRegister(const char name[], PetscErrorCode (*create)(GepFALikelihood *))
{
  PetscFunctionBegin;
  if (!likelihoods) PetscCall(PetscRegisterFinalize(DestroyList));
  PetscCall(PetscFunctionListAdd(&likelihoods, name, create));
  PetscFunctionReturn(0);
}

/* the likelihood of that name, its name filled in */
PetscErrorCode GepFALikelihoodFind(const char name[], GepFALikelihood *lik, PetscBool *found)
{
  PetscErrorCode (*create)(GepFALikelihood *) = NULL;

  PetscFunctionBegin;
  PetscCall(PetscFunctionListFind(likelihoods, name, &create));
  *found = (PetscBool)(create != NULL);
  if (!create) PetscFunctionReturn(0);
  PetscCall(PetscMemzero(lik, sizeof(*lik)));
  PetscCall(PetscStrncpy(lik->name, name, sizeof(lik->name)));
  PetscCall((*create)(lik));
  PetscFunctionReturn(0);
}

/* "gaussian, bernoulli, poisson": the registered names, for messages */
PetscErrorCode GepFALikelihoodNames(char names[], size_t len)
{
  const char **list;
  int          n;

  PetscFunctionBegin;
  PetscCall(PetscFunctionListGet(likelihoods, &list, &n));
  names[0] = 0;
  for (int i = 0; i < n; i++) {
    PetscCall(PetscStrlcat(names, i ? ", " : "", len));
    PetscCall(PetscStrlcat(names, list[i], len));
  }
  PetscCall(PetscFree(list));
  PetscFunctionReturn(0);
}
