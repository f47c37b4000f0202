/* Parameter sets of an ensemble: nominal values from the model, variations
   drawn from seeded distributions, or rows of a TSV table. Every rank draws
   the numbers of all members in member order and keeps its own, so that the
   ensemble is the same on any number of ranks. */
#include <string.h>
#include <math.h>
#include "ensembleimpl.h"

PetscErrorCode GepVariationParse(GepModel model, const char option[], const char spec[], GepVariation *v)
{
  MPI_Comm comm = PetscObjectComm((PetscObject)model);

  char      buf[512], *tok[4] = {NULL, NULL, NULL, NULL}, *s;
  int       n   = 0;
  PetscBool bad = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(buf, spec, sizeof(buf)));
  for (s = buf; n < 4;) {
    tok[n++] = s;
    s        = strchr(s, ':');
    if (!s) break;
    *s++ = 0;
  }
  PetscCheck(n >= 3, comm, PETSC_ERR_USER, "%s %s: expected NAME:DISTRIBUTION:ARGS (e.g. k1:lognormal:0.2)", option,
             spec);
  PetscCall(GepModelGetParameterIndex(model, tok[0], &v->param));
  {
    PetscBool   editable;
    const char *why;
    PetscCall(GepModelGetParameterEditable(model, v->param, &editable, &why));
    PetscCheck(editable, comm, PETSC_ERR_USER, "%s %s: '%s' cannot vary: %s (vary what it depends on)", option, spec,
               tok[0], why);
  }
  v->a = strtod(tok[2], &s);
  bad  = (PetscBool)(*s != 0);
  v->b = n > 3 ? strtod(tok[3], &s) : NAN;
  bad  = (PetscBool)(bad || (n > 3 && *s != 0));
  PetscCheck(!bad, comm, PETSC_ERR_USER, "%s %s: arguments must be numbers", option, spec);
  if (!strcmp(tok[1], "lognormal")) v->dist = GEP_DIST_LOGNORMAL;
  else if (!strcmp(tok[1], "normal")) v->dist = GEP_DIST_NORMAL;
  else if (!strcmp(tok[1], "uniform")) v->dist = GEP_DIST_UNIFORM;
  else if (!strcmp(tok[1], "loguniform")) v->dist = GEP_DIST_LOGUNIFORM;
  else
    SETERRQ(comm, PETSC_ERR_USER, "%s %s: unknown distribution '%s' (lognormal, normal, uniform, loguniform)", option,
            spec, tok[1]);
  if (v->dist == GEP_DIST_UNIFORM || v->dist == GEP_DIST_LOGUNIFORM) {
    PetscCheck(n == 4 && v->a < v->b, comm, PETSC_ERR_USER, "%s %s: %s needs LOW:HIGH factors with LOW < HIGH", option,
               spec, tok[1]);
    PetscCheck(v->dist == GEP_DIST_UNIFORM || v->a > 0, comm, PETSC_ERR_USER,
               "%s %s: loguniform factors must be positive", option, spec);
  } else
    PetscCheck(n == 3 && v->a >= 0, comm, PETSC_ERR_USER, "%s %s: %s needs one non-negative spread", option, spec,
               tok[1]);
  PetscFunctionReturn(0);
}

PetscErrorCode GepVariationDraw(PetscRandom r, const GepVariation *v, PetscReal nominal, PetscReal *x)
{
  PetscReal z;

  PetscFunctionBegin;
  switch (v->dist) {
  case GEP_DIST_LOGNORMAL:
    PetscCall(GepRandomNormal(r, &z));
    *x = nominal * exp(v->a * z);
    break;
  case GEP_DIST_NORMAL:
    PetscCall(GepRandomNormal(r, &z));
    *x = nominal * (1.0 + v->a * z);
    break;
  case GEP_DIST_UNIFORM:
    PetscCall(PetscRandomGetValueReal(r, &z));
    *x = nominal * (v->a + (v->b - v->a) * z);
    break;
  case GEP_DIST_LOGUNIFORM:
    PetscCall(PetscRandomGetValueReal(r, &z));
    *x = nominal * exp(log(v->a) + (log(v->b) - log(v->a)) * z);
    break;
  }
  PetscFunctionReturn(0);
}

/* TSV: a header row of parameter names, then one row per member. The line
   buffer and the file belong to the caller, so they are released on errors too. */
static PetscErrorCode ParseTable(GepEnsemble ens, FILE *fp, char **line, size_t *cap, PetscInt **col)
{
  char    *save, *tok;
  PetscInt ncol = 0, row = 0;

  PetscFunctionBegin;
  PetscCheck(getline(line, cap, fp) > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "parameters file %s: empty",
             ens->params_file);
  (*line)[strcspn(*line, "\r\n")] = 0;
  for (tok = strtok_r(*line, "\t", &save); tok; tok = strtok_r(NULL, "\t", &save)) {
    PetscCall(PetscRealloc(sizeof(PetscInt) * (ncol + 1), col));
    PetscCall(GepModelGetParameterIndex(ens->model, tok, &(*col)[ncol++]));
  }
  ens->nvary = ncol;
  PetscCall(PetscMalloc1(ncol + 1, &ens->varied));
  for (PetscInt j = 0; j < ncol; j++) ens->varied[j] = (*col)[j];
  while (getline(line, cap, fp) > 0) {
    PetscInt j                      = 0;
    (*line)[strcspn(*line, "\r\n")] = 0;
    if (!(*line)[0]) continue;
    PetscCheck(row < ens->N, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "parameters file %s: more rows than -ensemble_size %" PetscInt_FMT, ens->params_file, ens->N);
    for (tok = strtok_r(*line, "\t", &save); tok; tok = strtok_r(NULL, "\t", &save), j++) {
      char     *end;
      PetscReal x = strtod(tok, &end);
      PetscCheck(j < ncol, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                 "parameters file %s: row %" PetscInt_FMT " has more than %" PetscInt_FMT " columns", ens->params_file,
                 row + 2, ncol);
      PetscCheck(*end == 0 && end != tok && !isnan(x), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                 "parameters file %s: row %" PetscInt_FMT " column %" PetscInt_FMT ": '%s' is not a number",
                 ens->params_file, row + 2, j + 1, tok);
      if (row >= ens->first && row < ens->first + ens->nloc) ens->p[(row - ens->first) * ens->np + (*col)[j]] = x;
    }
    PetscCheck(j == ncol, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "parameters file %s: row %" PetscInt_FMT " has %" PetscInt_FMT " columns, header has %" PetscInt_FMT,
               ens->params_file, row + 2, j, ncol);
    row++;
  }
  PetscCheck(row == ens->N, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "parameters file %s: %" PetscInt_FMT " rows for an ensemble of %" PetscInt_FMT, ens->params_file, row,
             ens->N);
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadTable(GepEnsemble ens)
{
  FILE          *fp;
  char          *line = NULL;
  size_t         cap  = 0;
  PetscInt      *col  = NULL;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("parameters file", ens->params_file));
  fp = fopen(ens->params_file, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "parameters file %s: cannot open", ens->params_file);
  ierr = ParseTable(ens, fp, &line, &cap, &col);
  free(line);
  fclose(fp);
  PetscCall(PetscFree(col));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleDrawParameters(GepEnsemble ens)
{
  PetscReal  *nominal;
  PetscRandom r;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(ens->np, &nominal));
  PetscCall(GepModelGetParameterValues(ens->model, nominal));
  for (PetscInt m = 0; m < ens->nloc; m++) PetscCall(PetscArraycpy(ens->p + m * ens->np, nominal, ens->np));
  if (ens->pgiven) { /* GepEnsembleSetParameters */
    PetscCheck(ens->ngiven == ens->N, ens->comm, PETSC_ERR_ARG_SIZ,
               "Parameters given for %" PetscInt_FMT " members, the ensemble has %" PetscInt_FMT, ens->ngiven, ens->N);
    PetscCheck(!ens->nvary_spec && !ens->params_file, ens->comm, PETSC_ERR_USER,
               "Parameters are given: -ensemble_vary and -ensemble_parameters_file cannot apply");
    PetscCall(PetscArraycpy(ens->p, ens->pgiven + ens->first * ens->np, ens->nloc * ens->np));
    PetscCall(PetscMalloc1(1, &ens->varied));
    PetscCall(PetscFree(nominal));
    PetscFunctionReturn(0);
  }
  if (ens->params_file) {
    PetscCheck(!ens->nvary_spec, ens->comm, PETSC_ERR_USER,
               "Give either -ensemble_vary or -ensemble_parameters_file, not both");
    PetscCall(ReadTable(ens));
    PetscCall(PetscFree(nominal));
    PetscFunctionReturn(0);
  }
  ens->nvary = ens->nvary_spec;
  PetscCall(PetscMalloc1(ens->nvary + 1, &ens->vary));
  PetscCall(PetscMalloc1(ens->nvary + 1, &ens->varied));
  for (PetscInt j = 0; j < ens->nvary; j++) {
    PetscCall(GepVariationParse(ens->model, "-ensemble_vary", ens->vary_spec[j], &ens->vary[j]));
    ens->varied[j] = ens->vary[j].param;
  }
  if (ens->nvary) {
    PetscCall(GepRandomCreateSeeded(ens->seed, &r));
    for (PetscInt m = 0; m < ens->N; m++) {
      for (PetscInt j = 0; j < ens->nvary; j++) {
        PetscReal x = 0;
        PetscCall(GepVariationDraw(r, &ens->vary[j], nominal[ens->vary[j].param], &x));
        if (m >= ens->first && m < ens->first + ens->nloc) ens->p[(m - ens->first) * ens->np + ens->vary[j].param] = x;
      }
    }
    PetscCall(PetscRandomDestroy(&r));
  }
  PetscCall(PetscFree(nominal));
  PetscFunctionReturn(0);
}
