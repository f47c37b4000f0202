/* What a genotype and an environment do to a parameter vector. An edit at dosage d
   acts by the fraction h = d/2 of its homozygous effect (the additive-allele
   convention): set moves the value by h of the way to the new one, scale by s
   multiplies by 1 + h (s - 1), add adds h times the value. An environment's edits act
   whole (h = 1), after the genotype's. */
#include "perturbimpl.h"

static void Edit(const GepEdit *e, PetscReal h, PetscReal p[])
{
  PetscReal *x = &p[e->param];

  switch (e->op) {
  case GEP_EDIT_SET: *x += h * (e->value - *x); break;
  case GEP_EDIT_SCALE: *x *= 1 + h * (e->value - 1); break;
  case GEP_EDIT_ADD: *x += h * e->value; break;
  }
}

PetscErrorCode GepPerturbationApply(GepPerturbation p, PetscInt genotype, PetscInt environment, PetscReal params[])
{
  const GepGenotype    *G;
  const GepEnvironment *E;

  PetscFunctionBegin;
  PetscCheck(genotype >= 0 && genotype < p->ngeno, p->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Genotype %" PetscInt_FMT " out of range", genotype);
  PetscCheck(environment >= 0 && environment < p->nenv, p->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Environment %" PetscInt_FMT " out of range", environment);
  G = &p->geno[genotype];
  E = &p->env[environment];
  for (PetscInt i = 0; i < G->nvariant; i++) {
    const GepVariant *V = &p->var[G->variant[i]];
    for (PetscInt j = 0; j < V->nedit; j++) Edit(&V->edit[j], 0.5 * (PetscReal)G->dosage[i], params);
  }
  for (PetscInt j = 0; j < E->nedit; j++) Edit(&E->edit[j], 1.0, params);
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationGetDoses(GepPerturbation p, PetscInt environment, PetscInt *n, const GepDose **doses)
{
  PetscFunctionBegin;
  PetscCheck(environment >= 0 && environment < p->nenv, p->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Environment %" PetscInt_FMT " out of range", environment);
  *n     = p->env[environment].ndose;
  *doses = p->env[environment].dose;
  PetscFunctionReturn(0);
}

/* a knockout variant of one target (made once, named ko:ID), for generated screens */
static PetscErrorCode KnockoutVariant(GepPerturbation p, const char target[], PetscInt *v)
{
  char     name[256];
  PetscInt k;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(name, sizeof(name), "ko:%s", target));
  PetscCall(GepPerturbationFindVariant(p, name, v));
  if (*v >= 0) PetscFunctionReturn(0);
  PetscCall(GepModelGetParameterIndex(p->model, target, &k));
  PetscCall(PetscRealloc(sizeof(GepVariant) * (size_t)(p->nvar + 1), &p->var));
  PetscCall(PetscStrallocpy(name, &p->var[p->nvar].name));
  PetscCall(PetscMalloc1(1, &p->var[p->nvar].edit));
  p->var[p->nvar].edit[0] = (GepEdit){k, GEP_EDIT_SCALE, 0.0};
  p->var[p->nvar].nedit   = 1;
  *v                      = p->nvar++;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationAddKnockout(GepPerturbation p, PetscInt background, PetscInt n,
                                          const char *const targets[], PetscInt *genotype)
{
  char         name[1024] = "";
  GepGenotype *G;
  PetscInt     nb;

  PetscFunctionBegin;
  PetscCheck(p->setup, p->comm, PETSC_ERR_ORDER, "Call GepPerturbationSetUp() first");
  PetscCheck(background >= 0 && background < p->ngeno, p->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "Genotype %" PetscInt_FMT " out of range", background);
  if (background) {
    PetscCall(PetscStrlcat(name, p->geno[background].name, sizeof(name)));
    PetscCall(PetscStrlcat(name, "/", sizeof(name)));
  }
  PetscCall(PetscStrlcat(name, "ko:", sizeof(name)));
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(PetscStrlcat(name, i ? "+" : "", sizeof(name)));
    PetscCall(PetscStrlcat(name, targets[i], sizeof(name)));
  }
  PetscCall(GepPerturbationFindGenotype(p, name, genotype));
  if (*genotype >= 0) PetscFunctionReturn(0);
  nb = p->geno[background].nvariant;
  PetscCall(GepPerturbationAddGenotype(p, name, genotype));
  G = &p->geno[*genotype];
  PetscCall(PetscMalloc1(nb + n, &G->variant));
  PetscCall(PetscMalloc1(nb + n, &G->dosage));
  for (PetscInt i = 0; i < nb; i++) {
    G->variant[i] = p->geno[background].variant[i];
    G->dosage[i]  = p->geno[background].dosage[i];
  }
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(KnockoutVariant(p, targets[i], &G->variant[nb + i]));
    G->dosage[nb + i] = 2;
  }
  G->nvariant = nb + n;
  PetscFunctionReturn(0);
}
