/* gepsim sbml-test CASES_DIR CASE_ID OUT_DIR LEVEL VERSION: one SBML Test Suite
   case, following the SBML Test Runner's wrapper convention (%d %n %o %l %v). */
#include <string.h>
#include <ctype.h>
#include "gepsim.h"

typedef struct {
  PetscReal start, duration;
  PetscInt  steps;
  char     *variables, *amount, *concentration;
} GepSuiteSettings;

static char *Trim(char *s)
{
  char *e;
  while (isspace((unsigned char)*s)) s++;
  e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
  return s;
}

static PetscErrorCode ReadSettings(const char path[], GepSuiteSettings *st)
{
  FILE  *fp;
  char   line[8192];
  int    have = 0;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("settings", path));
  fp = fopen(path, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "settings %s: cannot open", path);
  while (fgets(line, sizeof(line), fp)) {
    char *colon = strchr(line, ':'), *key, *val, *end;
    if (!colon) continue;
    *colon = 0;
    key    = Trim(line);
    val    = Trim(colon + 1);
    if (!strcmp(key, "start")) { st->start = strtod(val, &end); have |= 1; }
    else if (!strcmp(key, "duration")) { st->duration = strtod(val, &end); have |= 2; }
    else if (!strcmp(key, "steps")) { st->steps = (PetscInt)strtol(val, &end, 10); have |= 4; }
    else if (!strcmp(key, "variables")) PetscCall(PetscStrallocpy(val, &st->variables));
    else if (!strcmp(key, "amount")) PetscCall(PetscStrallocpy(val, &st->amount));
    else if (!strcmp(key, "concentration")) PetscCall(PetscStrallocpy(val, &st->concentration));
  }
  fclose(fp);
  PetscCheck(have == 7 && st->variables, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "settings %s: needs start, duration, steps and variables", path);
  PetscFunctionReturn(0);
}

/* Split a comma-separated list into trimmed tokens (in place). */
static PetscErrorCode SplitList(char *list, PetscInt *n, char ***tok)
{
  PetscInt cap = 8;

  PetscFunctionBegin;
  *n = 0;
  PetscCall(PetscMalloc1(cap, tok));
  if (!list) PetscFunctionReturn(0);
  for (char *s = list, *c; s; s = c) {
    c = strchr(s, ',');
    if (c) *c++ = 0;
    s = Trim(s);
    if (!*s) continue;
    if (*n == cap) {
      cap *= 2;
      PetscCall(PetscRealloc(sizeof(char *) * cap, tok));
    }
    (*tok)[(*n)++] = s;
  }
  PetscFunctionReturn(0);
}

static PetscBool InList(PetscInt n, char **tok, const char *name)
{
  for (PetscInt i = 0; i < n; i++)
    if (!strcmp(tok[i], name)) return PETSC_TRUE;
  return PETSC_FALSE;
}

static PetscErrorCode WriteCSV(MPI_Comm comm, const char path[], PetscInt nvar, char **var, GepEnsemble ens)
{
  PetscMPIInt      rank;
  char             tmp[PETSC_MAX_PATH_LEN];
  const PetscReal *t, *y;
  PetscInt         T;
  FILE            *fp;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(GepEnsembleGetTimes(ens, &T, &t));
  PetscCall(GepEnsembleGetOutputs(ens, &y));
  PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.part", path));
  PetscCall(GepTempFileRegister(tmp));
  if (rank == 0) {
    fp = fopen(tmp, "w");
    PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "output %s: cannot create", tmp);
    fprintf(fp, "time");
    for (PetscInt j = 0; j < nvar; j++) fprintf(fp, ",%s", var[j]);
    fprintf(fp, "\n");
    for (PetscInt k = 0; k < T; k++) {
      fprintf(fp, "%.17g", (double)t[k]);
      for (PetscInt j = 0; j < nvar; j++) fprintf(fp, ",%.17g", (double)y[k * nvar + j]);
      fprintf(fp, "\n");
    }
    PetscCheck(fclose(fp) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "output %s: write failed", tmp);
  }
  PetscCall(GepTempFileCommit(comm, tmp, path));
  PetscFunctionReturn(0);
}

PetscErrorCode GepCommandSBMLTest(MPI_Comm comm, const char cases[], const char id[], const char outdir[], const char level[], const char version[])
{
  char             settings[PETSC_MAX_PATH_LEN], sbml[PETSC_MAX_PATH_LEN], out[PETSC_MAX_PATH_LEN];
  GepSuiteSettings st = {0, 0, 0, NULL, NULL, NULL};
  PetscInt         nvar, namt, ncon;
  char           **var, **amt, **con;
  GepQuantity     *q;
  GepModel         model;
  GepEnsemble      ens;
  TS               ts;
  PetscMPIInt      size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCheck(size == 1, comm, PETSC_ERR_SUP, "sbml-test runs one case on one rank");
  PetscCall(PetscSNPrintf(settings, sizeof(settings), "%s/%s/%s-settings.txt", cases, id, id));
  PetscCall(PetscSNPrintf(sbml, sizeof(sbml), "%s/%s/%s-sbml-l%sv%s.xml", cases, id, id, level, version));
  PetscCall(PetscSNPrintf(out, sizeof(out), "%s/%s.csv", outdir, id));
  PetscCall(ReadSettings(settings, &st));
  PetscCall(SplitList(st.variables, &nvar, &var));
  PetscCall(SplitList(st.amount, &namt, &amt));
  PetscCall(SplitList(st.concentration, &ncon, &con));
  PetscCall(PetscMalloc1(nvar + 1, &q));
  for (PetscInt j = 0; j < nvar; j++) q[j] = InList(namt, amt, var[j]) ? GEP_QUANTITY_AMOUNT : InList(ncon, con, var[j]) ? GEP_QUANTITY_CONCENTRATION : GEP_QUANTITY_VALUE;

  PetscCall(GepModelCreate(comm, &model));
  PetscCall(GepModelSetFile(model, sbml));
  PetscCall(GepModelSetOutputs(model, nvar, (const char *const *)var, q));
  PetscCall(GepModelSetFromOptions(model));
  PetscCall(GepEnsembleCreate(comm, &ens));
  PetscCall(GepEnsembleSetModel(ens, model));
  PetscCall(GepEnsembleSetTimes(ens, st.start, st.start + st.duration, st.steps));
  /* tight tolerances: the suite's are for comparison, ours must sit well inside them */
  PetscCall(GepEnsembleSetTolerances(ens, 1e-10, 1e-14));
  PetscCall(GepEnsembleSetFromOptions(ens));
  PetscCall(GepEnsembleSetUp(ens));
  PetscCall(GepEnsembleGetTS(ens, &ts));
  PetscCall(GepDeckCheckUnused(comm, "sbml-test"));
  PetscCall(GepEnsembleSolve(ens));
  PetscCall(WriteCSV(comm, out, nvar, var, ens));

  PetscCall(GepEnsembleDestroy(&ens));
  PetscCall(GepModelDestroy(&model));
  PetscCall(PetscFree(var));
  PetscCall(PetscFree(amt));
  PetscCall(PetscFree(con));
  PetscCall(PetscFree(q));
  PetscCall(PetscFree(st.variables));
  PetscCall(PetscFree(st.amount));
  PetscCall(PetscFree(st.concentration));
  PetscFunctionReturn(0);
}
