/* The variant, genotype and environment tables (TSV, docs/formats.md). Every id is
   checked against the model; an error names the file, the line and the problem. */
#include <stdlib.h>
#include <string.h>
#include "perturbimpl.h"

/* an empty field or "-" */
static PetscBool NoValue(const char s[])
{
  return (PetscBool)(!s || !s[0] || !strcmp(s, "-"));
}

static PetscErrorCode ParseNumber(const char path[], PetscInt line, const char what[], const char s[], PetscReal *x)
{
  char *end;

  PetscFunctionBegin;
  *x = strtod(s, &end);
  PetscCheck(s[0] && !*end && !PetscIsInfOrNanReal(*x), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s:%" PetscInt_FMT ": %s '%s' is not a finite number", path, line, what, s);
  PetscFunctionReturn(0);
}

/* one edit: TARGET OPERATION VALUE; knockout takes no value, scale and overexpress a non-negative one */
PetscErrorCode GepPerturbationParseEdit(GepPerturbation p, const char path[], PetscInt line, const char target[],
                                        const char op[], const char value[], GepEdit *e)
{
  const char *file;

  PetscFunctionBegin;
  PetscCall(GepModelFindParameter(p->model, target, &e->param));
  PetscCall(GepModelGetFile(p->model, &file));
  PetscCheck(e->param >= 0, PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": unknown target '%s' (no parameter, compartment, species, reaction or "
             "REACTION.PARAMETER of model %s)",
             path, line, target, file);
  {
    PetscBool   editable;
    const char *why;
    PetscCall(GepModelGetParameterEditable(p->model, e->param, &editable, &why));
    PetscCheck(editable, PETSC_COMM_SELF, PETSC_ERR_USER,
               "%s:%" PetscInt_FMT ": target '%s' cannot be edited: %s in model %s (edit what it depends on)", path,
               line, target, why, file);
  }
  if (!strcmp(op, "knockout")) {
    PetscCheck(NoValue(value), PETSC_COMM_SELF, PETSC_ERR_USER,
               "%s:%" PetscInt_FMT ": knockout takes no value (leave it empty or -), got '%s'", path, line, value);
    e->op    = GEP_EDIT_SCALE;
    e->value = 0;
    PetscFunctionReturn(0);
  }
  PetscCheck(!strcmp(op, "set") || !strcmp(op, "scale") || !strcmp(op, "add") || !strcmp(op, "overexpress"),
             PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": unknown operation '%s' (set, scale, add, knockout, overexpress)", path, line, op);
  PetscCheck(!NoValue(value), PETSC_COMM_SELF, PETSC_ERR_USER, "%s:%" PetscInt_FMT ": %s needs a value", path, line,
             op);
  PetscCall(ParseNumber(path, line, "value", value, &e->value));
  e->op = !strcmp(op, "set") ? GEP_EDIT_SET : (!strcmp(op, "add") ? GEP_EDIT_ADD : GEP_EDIT_SCALE);
  PetscCheck(e->op != GEP_EDIT_SCALE || e->value >= 0, PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": %s by a negative factor %g", path, line, op, (double)e->value);
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationFindVariant(GepPerturbation p, const char name[], PetscInt *v)
{
  PetscFunctionBegin;
  *v = -1;
  for (PetscInt i = 0; i < p->nvar && *v < 0; i++)
    if (!strcmp(p->var[i].name, name)) *v = i;
  PetscFunctionReturn(0);
}

/* variant TAB scope TAB target TAB operation TAB value: a variant's rows need not be adjacent */
static PetscErrorCode ParseVariants(GepPerturbation p, GepTable *t)
{
  PetscFunctionBegin;
  PetscCall(PetscCalloc1(t->nrow + 1, &p->var));
  for (PetscInt i = 0; i < t->nrow; i++) {
    char   **f    = t->row[i].field;
    PetscInt line = t->row[i].line, v;
    GepEdit  e;

    PetscCheck(!strcmp(f[1], "cell"), PETSC_COMM_SELF, PETSC_ERR_SUP,
               !strcmp(f[1], "tissue") || !strcmp(f[1], "organism")
                 ? "%s:%" PetscInt_FMT ": scope '%s' is not available yet (only cell: the pathway model)"
                 : "%s:%" PetscInt_FMT ": unknown scope '%s' (cell, tissue, organism)",
               t->path, line, f[1]);
    PetscCheck(f[0][0], PETSC_COMM_SELF, PETSC_ERR_USER, "%s:%" PetscInt_FMT ": a variant needs a name", t->path, line);
    PetscCall(GepPerturbationParseEdit(p, t->path, line, f[2], f[3], t->row[i].nfield > 4 ? f[4] : "", &e));
    PetscCall(GepPerturbationFindVariant(p, f[0], &v));
    if (v < 0) {
      v = p->nvar++;
      PetscCall(PetscStrallocpy(f[0], &p->var[v].name));
    }
    PetscCall(PetscRealloc(sizeof(GepEdit) * (size_t)(p->var[v].nedit + 1), &p->var[v].edit));
    p->var[v].edit[p->var[v].nedit++] = e;
  }
  PetscFunctionReturn(0);
}

/* genotype TAB variant TAB dosage; the genotypes in order of first appearance */
static PetscErrorCode ParseGenotypes(GepPerturbation p, GepTable *t)
{
  PetscFunctionBegin;
  PetscCheck(t->nrow > 0, PETSC_COMM_SELF, PETSC_ERR_USER, "%s: no genotypes (a header and no rows)", t->path);
  for (PetscInt i = 0; i < t->nrow; i++) {
    char       **f    = t->row[i].field;
    PetscInt     line = t->row[i].line, v, g;
    long         d;
    char        *end;
    GepGenotype *G;

    PetscCheck(f[0][0], PETSC_COMM_SELF, PETSC_ERR_USER, "%s:%" PetscInt_FMT ": a genotype needs a name", t->path,
               line);
    PetscCheck(strcmp(f[0], "wt"), PETSC_COMM_SELF, PETSC_ERR_USER,
               "%s:%" PetscInt_FMT ": 'wt' is the wild type, which has no variants: name this genotype otherwise",
               t->path, line);
    PetscCall(GepPerturbationFindVariant(p, f[1], &v));
    PetscCheck(v >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "%s:%" PetscInt_FMT ": unknown variant '%s'%s%s", t->path, line,
               f[1], p->file_variants ? " (not in " : " (no -perturb_variants file",
               p->file_variants ? p->file_variants : "");
    d = strtol(f[2], &end, 10);
    PetscCheck(f[2][0] && !*end && d >= 0 && d <= 2, PETSC_COMM_SELF, PETSC_ERR_USER,
               "%s:%" PetscInt_FMT ": dosage '%s' (it must be 0, 1 or 2 copies)", t->path, line, f[2]);
    PetscCall(GepPerturbationFindGenotype(p, f[0], &g));
    if (g < 0) PetscCall(GepPerturbationAddGenotype(p, f[0], &g));
    G = &p->geno[g];
    PetscCall(PetscRealloc(sizeof(PetscInt) * (size_t)(G->nvariant + 1), &G->variant));
    PetscCall(PetscRealloc(sizeof(PetscInt) * (size_t)(G->nvariant + 1), &G->dosage));
    G->variant[G->nvariant]  = v;
    G->dosage[G->nvariant++] = (PetscInt)d;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadOne(GepPerturbation p, const char path[], const char *const cols[], PetscInt nreq,
                              PetscInt ncol, PetscErrorCode (*parse)(GepPerturbation, GepTable *))
{
  GepTable       t;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  ierr = GepTableRead(path, cols, nreq, ncol, &t);
  if (!ierr) ierr = parse(p, &t);
  PetscCall(GepTableDestroy(&t));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationRead_TSV(GepPerturbation p)
{
  static const char *const vcols[] = {"variant", "scope", "target", "operation", "value"};
  static const char *const gcols[] = {"genotype", "variant", "dosage"};

  PetscFunctionBegin;
  if (p->file_variants) PetscCall(ReadOne(p, p->file_variants, vcols, 4, 5, ParseVariants));
  if (p->file_genotypes) PetscCall(ReadOne(p, p->file_genotypes, gcols, 3, 3, ParseGenotypes));
  if (p->file_environments) PetscCall(GepPerturbationReadEnvironments(p));
  PetscFunctionReturn(0);
}
