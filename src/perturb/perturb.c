/* GepPerturbation: life cycle, options, the genotypes and environments by name, and
   what they do to a parameter vector. */
#include <string.h>
#include "perturbimpl.h"

PetscErrorCode GepPerturbationCreate(MPI_Comm comm, GepPerturbation *pert)
{
  GepPerturbation p;

  PetscFunctionBegin;
  PetscValidPointer(pert, 2);
  PetscCall(GepPerturbationInitializePackage());
  PetscCall(PetscHeaderCreate(p, GEPPERTURBATION_CLASSID, "GepPerturbation", "Genotypes and environments",
                              "GepPerturbation", comm, GepPerturbationDestroy, GepPerturbationView));
  p->comm      = PetscObjectComm((PetscObject)p);
  p->ops->read = GepPerturbationRead_TSV;
  PetscCall(PetscObjectChangeTypeName((PetscObject)p, "tsv"));
  *pert = p;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationSetModel(GepPerturbation p, GepModel m)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(p, GEPPERTURBATION_CLASSID, 1);
  PetscCheck(!p->setup, p->comm, PETSC_ERR_ORDER, "Call GepPerturbationSetModel() before GepPerturbationSetUp()");
  PetscCall(PetscObjectReference((PetscObject)m));
  PetscCall(GepModelDestroy(&p->model));
  p->model = m;
  PetscFunctionReturn(0);
}

static PetscErrorCode SetFile(char **dst, const char src[])
{
  PetscFunctionBegin;
  PetscCall(PetscFree(*dst));
  if (src && src[0]) PetscCall(PetscStrallocpy(src, dst));
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationSetFiles(GepPerturbation p, const char variants[], const char genotypes[],
                                       const char environments[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(p, GEPPERTURBATION_CLASSID, 1);
  PetscCheck(!p->setup, p->comm, PETSC_ERR_ORDER, "Call GepPerturbationSetFiles() before GepPerturbationSetUp()");
  PetscCall(SetFile(&p->file_variants, variants));
  PetscCall(SetFile(&p->file_genotypes, genotypes));
  PetscCall(SetFile(&p->file_environments, environments));
  PetscFunctionReturn(0);
}

/* the tables' paths (NULL when not given) */
PetscErrorCode GepPerturbationGetFiles(GepPerturbation p, const char **variants, const char **genotypes,
                                       const char **environments)
{
  PetscFunctionBegin;
  *variants     = p->file_variants;
  *genotypes    = p->file_genotypes;
  *environments = p->file_environments;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationSetFromOptions(GepPerturbation p)
{
  char v[PETSC_MAX_PATH_LEN], g[PETSC_MAX_PATH_LEN], e[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscValidHeaderSpecific(p, GEPPERTURBATION_CLASSID, 1);
  /* PETSc leaves a value that is not given as it was */
  PetscCall(PetscStrncpy(v, p->file_variants ? p->file_variants : "", sizeof(v)));
  PetscCall(PetscStrncpy(g, p->file_genotypes ? p->file_genotypes : "", sizeof(g)));
  PetscCall(PetscStrncpy(e, p->file_environments ? p->file_environments : "", sizeof(e)));
  PetscObjectOptionsBegin((PetscObject)p);
  PetscCall(PetscOptionsString("-perturb_variants", "Variant map (TSV: variant scope target operation value)",
                               "GepPerturbationSetFiles", p->file_variants ? p->file_variants : "", v, sizeof(v),
                               NULL));
  PetscCall(PetscOptionsString("-perturb_genotypes", "Genotypes (TSV: genotype variant dosage)",
                               "GepPerturbationSetFiles", p->file_genotypes ? p->file_genotypes : "", g, sizeof(g),
                               NULL));
  PetscCall(PetscOptionsString(
    "-perturb_environments", "Environments (TSV: environment target operation value [schedule])",
    "GepPerturbationSetFiles", p->file_environments ? p->file_environments : "", e, sizeof(e), NULL));
  PetscCall(
    PetscOptionsName("-perturb_view", "View the genotypes and environments after set-up", "GepPerturbationView", NULL));
  PetscOptionsEnd();
  PetscCall(GepPerturbationSetFiles(p, v, g, e));
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationAddGenotype(GepPerturbation p, const char name[], PetscInt *g)
{
  PetscFunctionBegin;
  if (p->ngeno == p->capgeno) {
    p->capgeno = 2 * p->capgeno + 8;
    PetscCall(PetscRealloc(sizeof(GepGenotype) * (size_t)p->capgeno, &p->geno));
  }
  PetscCall(PetscMemzero(&p->geno[p->ngeno], sizeof(GepGenotype)));
  PetscCall(PetscStrallocpy(name, &p->geno[p->ngeno].name));
  *g = p->ngeno++;
  PetscFunctionReturn(0);
}

static PetscErrorCode Read(void *ctx)
{
  GepPerturbation p = (GepPerturbation)ctx;

  PetscFunctionBegin;
  PetscCall((*p->ops->read)(p));
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationSetUp(GepPerturbation p)
{
  PetscInt g;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(p, GEPPERTURBATION_CLASSID, 1);
  if (p->setup) PetscFunctionReturn(0);
  PetscCheck(p->model, p->comm, PETSC_ERR_ORDER, "Call GepPerturbationSetModel() first");
  PetscCheck(!p->file_genotypes || p->file_variants, p->comm, PETSC_ERR_USER,
             "-perturb_genotypes %s needs -perturb_variants: the variants that genotypes name", p->file_genotypes);
  PetscCall(PetscLogEventBegin(GEP_PerturbSetUp, 0, 0, 0, 0));
  PetscCall(GepModelSetUp(p->model));
  PetscCall(GepPerturbationAddGenotype(p, "wt", &g));
  PetscCall(PetscCalloc1(1, &p->env));
  PetscCall(PetscStrallocpy("ref", &p->env[0].name));
  p->nenv = 1;
  PetscCall(GepRunShared(p->comm, Read, p)); /* every rank reads the small tables */
  PetscCall(PetscLogEventEnd(GEP_PerturbSetUp, 0, 0, 0, 0));
  p->setup = PETSC_TRUE;
  PetscFunctionReturn(0);
}

#define CHECK_SETUP(p) PetscCheck((p)->setup, (p)->comm, PETSC_ERR_ORDER, "Call GepPerturbationSetUp() first")

PetscErrorCode GepPerturbationGetNumGenotypes(GepPerturbation p, PetscInt *n)
{
  PetscFunctionBegin;
  CHECK_SETUP(p);
  *n = p->ngeno;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationGetGenotypeName(GepPerturbation p, PetscInt g, const char **name)
{
  PetscFunctionBegin;
  PetscCheck(g >= 0 && g < p->ngeno, p->comm, PETSC_ERR_ARG_OUTOFRANGE, "Genotype %" PetscInt_FMT " out of range", g);
  *name = p->geno[g].name;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationFindGenotype(GepPerturbation p, const char name[], PetscInt *g)
{
  PetscFunctionBegin;
  *g = -1;
  for (PetscInt i = 0; i < p->ngeno && *g < 0; i++)
    if (!strcmp(p->geno[i].name, name)) *g = i;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationGetNumEnvironments(GepPerturbation p, PetscInt *n)
{
  PetscFunctionBegin;
  CHECK_SETUP(p);
  *n = p->nenv;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationGetEnvironmentName(GepPerturbation p, PetscInt e, const char **name)
{
  PetscFunctionBegin;
  PetscCheck(e >= 0 && e < p->nenv, p->comm, PETSC_ERR_ARG_OUTOFRANGE, "Environment %" PetscInt_FMT " out of range", e);
  *name = p->env[e].name;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationFindEnvironment(GepPerturbation p, const char name[], PetscInt *e)
{
  PetscFunctionBegin;
  *e = -1;
  for (PetscInt i = 0; i < p->nenv && *e < 0; i++)
    if (!strcmp(p->env[i].name, name)) *e = i;
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationView(GepPerturbation p, PetscViewer v)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(p, GEPPERTURBATION_CLASSID, 1);
  if (!v) PetscCall(PetscViewerASCIIGetStdout(p->comm, &v));
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)p, v));
  PetscCall(PetscViewerASCIIPushTab(v));
  PetscCall(PetscViewerASCIIPrintf(
    v, "%" PetscInt_FMT " variants, %" PetscInt_FMT " genotypes, %" PetscInt_FMT " environments\n", p->nvar, p->ngeno,
    p->nenv));
  for (PetscInt g = 0; g < p->ngeno; g++) {
    PetscCall(PetscViewerASCIIPrintf(v, "genotype %s:", p->geno[g].name));
    PetscCall(PetscViewerASCIIUseTabs(v, PETSC_FALSE));
    for (PetscInt i = 0; i < p->geno[g].nvariant; i++)
      PetscCall(
        PetscViewerASCIIPrintf(v, " %s x%" PetscInt_FMT, p->var[p->geno[g].variant[i]].name, p->geno[g].dosage[i]));
    PetscCall(PetscViewerASCIIPrintf(v, "\n"));
    PetscCall(PetscViewerASCIIUseTabs(v, PETSC_TRUE));
  }
  for (PetscInt e = 0; e < p->nenv; e++)
    PetscCall(PetscViewerASCIIPrintf(v, "environment %s: %" PetscInt_FMT " edits, %" PetscInt_FMT " doses\n",
                                     p->env[e].name, p->env[e].nedit, p->env[e].ndose));
  PetscCall(PetscViewerASCIIPopTab(v));
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationDestroy(GepPerturbation *pert)
{
  GepPerturbation p = *pert;

  PetscFunctionBegin;
  if (!p) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(p, GEPPERTURBATION_CLASSID, 1);
  if (--((PetscObject)p)->refct > 0) {
    *pert = NULL;
    PetscFunctionReturn(0);
  }
  for (PetscInt i = 0; i < p->nvar; i++) {
    PetscCall(PetscFree(p->var[i].name));
    PetscCall(PetscFree(p->var[i].edit));
  }
  PetscCall(PetscFree(p->var));
  for (PetscInt g = 0; g < p->ngeno; g++) {
    PetscCall(PetscFree(p->geno[g].name));
    PetscCall(PetscFree(p->geno[g].variant));
    PetscCall(PetscFree(p->geno[g].dosage));
  }
  PetscCall(PetscFree(p->geno));
  for (PetscInt e = 0; e < p->nenv; e++) {
    PetscCall(PetscFree(p->env[e].name));
    PetscCall(PetscFree(p->env[e].edit));
    PetscCall(PetscFree(p->env[e].dose));
  }
  PetscCall(PetscFree(p->env));
  PetscCall(PetscFree(p->file_variants));
  PetscCall(PetscFree(p->file_genotypes));
  PetscCall(PetscFree(p->file_environments));
  PetscCall(GepModelDestroy(&p->model));
  PetscCall(PetscHeaderDestroy(pert));
  PetscFunctionReturn(0);
}
