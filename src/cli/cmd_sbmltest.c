/* gepsim sbml-test CASES_DIR CASE_ID OUT_DIR LEVEL VERSION: one SBML Test Suite
   case, following the SBML Test Runner's wrapper convention (%d %n %o %l %v). */
#include <string.h>
#include <ctype.h>
#include "gepcli.h"

typedef struct {
  PetscReal    start, duration;
  PetscInt     steps;
  char        *variables, *amount, *concentration;
  char       **var, **amt, **con; /* the lists split, pointing into the strings above */
  GepQuantity *q;                 /* how each variable is reported */
} GepSuiteSettings;

static PetscErrorCode SettingsFree(GepSuiteSettings *st)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(st->var));
  PetscCall(PetscFree(st->amt));
  PetscCall(PetscFree(st->con));
  PetscCall(PetscFree(st->q));
  PetscCall(PetscFree(st->variables));
  PetscCall(PetscFree(st->amount));
  PetscCall(PetscFree(st->concentration));
  PetscFunctionReturn(0);
}

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
  FILE *fp;
  char  line[8192];
  int   have = 0, lineno = 0;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("settings", path));
  fp = fopen(path, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "settings %s: cannot open", path);
  while (fgets(line, sizeof(line), fp)) {
    char *colon = strchr(line, ':'), *key, *val, *end = NULL;
    lineno++;
    if (!colon) continue;
    *colon = 0;
    key    = Trim(line);
    val    = Trim(colon + 1);
    if (!strcmp(key, "start")) {
      st->start = strtod(val, &end);
      have |= 1;
    } else if (!strcmp(key, "duration")) {
      st->duration = strtod(val, &end);
      have |= 2;
    } else if (!strcmp(key, "steps")) {
      st->steps = (PetscInt)strtol(val, &end, 10);
      have |= 4;
    } else if (!strcmp(key, "variables")) PetscCall(PetscStrallocpy(val, &st->variables));
    else if (!strcmp(key, "amount")) PetscCall(PetscStrallocpy(val, &st->amount));
    else if (!strcmp(key, "concentration")) PetscCall(PetscStrallocpy(val, &st->concentration));
    /* a parsed number and nothing else: "zero" or "5x" is an error, not 0 or 5 */
    PetscCheck(!end || (end != val && !*end), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "settings %s:%d: %s: '%s' is not %s", path, lineno, key, val,
               strcmp(key, "steps") ? "a number" : "a whole number");
  }
  fclose(fp);
  PetscCheck(have == 7 && st->variables, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "settings %s: needs start, duration, steps and variables", path);
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

/* One case; settings and objects are returned so the caller frees them on every path. */
static PetscErrorCode RunCase(MPI_Comm comm, const char cases[], const char id[], const char outdir[],
                              const char level[], const char version[], GepSuiteSettings *st, GepModel *model,
                              GepEnsemble *ens)
{
  char     settings[PETSC_MAX_PATH_LEN], sbml[PETSC_MAX_PATH_LEN], out[PETSC_MAX_PATH_LEN];
  PetscInt nvar, namt, ncon;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(settings, sizeof(settings), "%s/%s/%s-settings.txt", cases, id, id));
  PetscCall(PetscSNPrintf(sbml, sizeof(sbml), "%s/%s/%s-sbml-l%sv%s.xml", cases, id, id, level, version));
  PetscCall(PetscSNPrintf(out, sizeof(out), "%s/%s.csv", outdir, id));
  PetscCall(ReadSettings(settings, st));
  PetscCall(SplitList(st->variables, &nvar, &st->var));
  PetscCall(SplitList(st->amount, &namt, &st->amt));
  PetscCall(SplitList(st->concentration, &ncon, &st->con));
  PetscCall(PetscMalloc1(nvar + 1, &st->q));
  for (PetscInt j = 0; j < nvar; j++)
    st->q[j] = InList(namt, st->amt, st->var[j])   ? GEP_QUANTITY_AMOUNT
               : InList(ncon, st->con, st->var[j]) ? GEP_QUANTITY_CONCENTRATION
                                                   : GEP_QUANTITY_VALUE;

  PetscCall(GepModelCreate(comm, model));
  PetscCall(GepModelSetFile(*model, sbml));
  PetscCall(GepModelSetOutputs(*model, nvar, (const char *const *)st->var, st->q));
  PetscCall(GepModelSetFromOptions(*model));
  PetscCall(GepEnsembleCreate(comm, ens));
  PetscCall(GepEnsembleSetModel(*ens, *model));
  PetscCall(GepEnsembleSetTimes(*ens, st->start, st->start + st->duration, st->steps));
  /* tight tolerances: the suite's are for comparison, ours must sit well inside them */
  PetscCall(GepEnsembleSetTolerances(*ens, 1e-10, 1e-14));
  PetscCall(GepEnsembleSetFromOptions(*ens));
  PetscCall(GepDeckCheckUnused(comm, "sbml-test", GEP_DECK_BEFORE_SETUP));
  PetscCall(GepEnsembleSetUp(*ens));
  PetscCall(GepModelViewFromOptions(*model, NULL, "-model_view"));
  PetscCall(GepEnsembleViewFromOptions(*ens, NULL, "-ensemble_view"));
  PetscCall(GepDeckCheckUnused(comm, "sbml-test", GEP_DECK_AFTER_SETUP));
  PetscCall(GepEnsembleSolve(*ens));
  PetscCall(GepDeckCheckUnused(comm, "sbml-test", GEP_DECK_AFTER_SOLVE));
  PetscCall(WriteCSV(comm, out, nvar, st->var, *ens));
  PetscFunctionReturn(0);
}

/* Highest level and version the case ships, for LEVEL = VERSION = "max". */
static PetscErrorCode HighestLevel(const char cases[], const char id[], char level[], char version[])
{
  static const char *const lv[] = {"3", "2", "3", "1", "2", "5", "2", "4", "2", "3", "2", "2", "2", "1", "1", "2"};
  char                     path[PETSC_MAX_PATH_LEN];
  PetscBool                exists;

  PetscFunctionBegin;
  for (int i = 0; i < 8; i++) {
    PetscCall(PetscSNPrintf(path, sizeof(path), "%s/%s/%s-sbml-l%sv%s.xml", cases, id, id, lv[2 * i], lv[2 * i + 1]));
    PetscCall(PetscTestFile(path, 'r', &exists));
    if (!exists) continue;
    PetscCall(PetscStrcpy(level, lv[2 * i]));
    PetscCall(PetscStrcpy(version, lv[2 * i + 1]));
    PetscFunctionReturn(0);
  }
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "case %s/%s: no SBML file", cases, id);
}

static PetscErrorCode WriteError(const char outdir[], const char id[], const char msg[])
{
  char  path[PETSC_MAX_PATH_LEN];
  FILE *fp;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/%s.err", outdir, id));
  fp = fopen(path, "w");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "output %s: cannot create", path);
  fprintf(fp, "%s\n", msg);
  fclose(fp);
  PetscFunctionReturn(0);
}

/* CASE_ID may be a comma-separated list and LEVEL VERSION "max max": a batch
   in one process (used by make check); each failing case leaves OUT_DIR/ID.err. */
PetscErrorCode GepCommandSBMLTest(MPI_Comm comm, const char *const args[], PetscBool run)
{
  const char *cases = args[0], *id = args[1], *outdir = args[2], *level = args[3], *version = args[4];
  PetscMPIInt size;
  PetscBool   batch, maxlv;
  char       *ids, *save, *tok;

  PetscFunctionBegin;
  if (!run) { /* the options every case reads */
    GepModel    model;
    GepEnsemble ens;
    PetscCall(GepModelCreate(comm, &model));
    PetscCall(GepModelSetFromOptions(model));
    PetscCall(GepEnsembleCreate(comm, &ens));
    PetscCall(GepEnsembleSetFromOptions(ens));
    PetscCall(GepEnsembleDestroy(&ens));
    PetscCall(GepModelDestroy(&model));
    PetscFunctionReturn(0);
  }
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCheck(size == 1, comm, PETSC_ERR_SUP, "sbml-test runs on one rank");
  PetscCall(PetscStrcmp(level, "max", &maxlv));
  batch = (PetscBool)(strchr(id, ',') != NULL || maxlv);
  PetscCall(PetscStrallocpy(id, &ids));
  if (batch) (void)GepErrorSetQuiet(PETSC_TRUE);
  for (tok = strtok_r(ids, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    GepSuiteSettings st    = {0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    GepModel         model = NULL;
    GepEnsemble      ens   = NULL;
    char             l[4], v[4];
    PetscErrorCode   ierr;

    ierr = PetscStrncpy(l, level, sizeof(l));
    if (!ierr) ierr = PetscStrncpy(v, version, sizeof(v));
    if (!ierr && maxlv) ierr = HighestLevel(cases, tok, l, v);
    if (!ierr) ierr = RunCase(comm, cases, tok, outdir, l, v, &st, &model, &ens);
    if (ierr && !batch) {
      PetscCall(PetscFree(ids));
      return ierr;
    }
    if (ierr) PetscCall(WriteError(outdir, tok, GepErrorGetLast()));
    PetscCall(GepEnsembleDestroy(&ens));
    PetscCall(GepModelDestroy(&model));
    PetscCall(SettingsFree(&st));
  }
  (void)GepErrorSetQuiet(PETSC_FALSE);
  PetscCall(PetscFree(ids));
  PetscFunctionReturn(0);
}
