/* The environment table: environment TAB target TAB operation TAB value [TAB schedule].
   A row without a schedule edits the target before the run, like a variant; a row with
   one, START:INTERVAL:COUNT:AMOUNT, doses a state at START + i INTERVAL (i < COUNT):
   add puts AMOUNT in, set sets the state to it. */
#include <stdlib.h>
#include <string.h>
#include "perturbimpl.h"

static PetscErrorCode FindEnvironment(GepPerturbation p, const char name[], PetscInt *e)
{
  PetscFunctionBegin;
  PetscCall(GepPerturbationFindEnvironment(p, name, e));
  if (*e >= 0) PetscFunctionReturn(0);
  PetscCall(PetscRealloc(sizeof(GepEnvironment) * (size_t)(p->nenv + 1), &p->env));
  PetscCall(PetscMemzero(&p->env[p->nenv], sizeof(GepEnvironment)));
  PetscCall(PetscStrallocpy(name, &p->env[p->nenv].name));
  *e = p->nenv++;
  PetscFunctionReturn(0);
}

/* START:INTERVAL:COUNT:AMOUNT */
static PetscErrorCode ParseSchedule(const char path[], PetscInt line, const char s[], PetscReal *start,
                                    PetscReal *interval, PetscInt *count, PetscReal *amount)
{
  char *end;
  long  n;

  PetscFunctionBegin;
  *start = strtod(s, &end);
  PetscCheck(*end == ':', PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": schedule '%s' is not START:INTERVAL:COUNT:AMOUNT", path, line, s);
  *interval = strtod(end + 1, &end);
  PetscCheck(*end == ':', PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": schedule '%s' is not START:INTERVAL:COUNT:AMOUNT", path, line, s);
  n = strtol(end + 1, &end, 10);
  PetscCheck(*end == ':', PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": schedule '%s' is not START:INTERVAL:COUNT:AMOUNT (COUNT a whole number)", path,
             line, s);
  *amount = strtod(end + 1, &end);
  PetscCheck(!*end && !PetscIsInfOrNanReal(*start) && !PetscIsInfOrNanReal(*interval) && !PetscIsInfOrNanReal(*amount),
             PETSC_COMM_SELF, PETSC_ERR_USER, "%s:%" PetscInt_FMT ": schedule '%s' is not START:INTERVAL:COUNT:AMOUNT",
             path, line, s);
  PetscCheck(n >= 1 && (n == 1 || *interval > 0), PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": schedule '%s': COUNT must be at least 1, and INTERVAL positive for several doses",
             path, line, s);
  *count = (PetscInt)n;
  PetscFunctionReturn(0);
}

static PetscErrorCode AddDoses(GepPerturbation p, GepEnvironment *E, GepTableRow *r, const char path[])
{
  char      **f = r->field;
  PetscInt    param, state, count;
  PetscReal   start, interval, amount;
  const char *file;

  PetscFunctionBegin;
  PetscCall(GepModelGetFile(p->model, &file));
  PetscCall(GepModelFindParameter(p->model, f[1], &param));
  PetscCheck(param >= 0, PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": unknown target '%s' (no species or parameter of model %s)", path, r->line, f[1],
             file);
  PetscCall(GepModelGetParameterState(p->model, param, &state));
  PetscCheck(state >= 0, PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": a schedule doses a state, and '%s' is none in model %s (a species that reactions "
             "change, or a symbol with a rate rule)",
             path, r->line, f[1], file);
  PetscCheck(!strcmp(f[2], "add") || !strcmp(f[2], "set"), PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": a scheduled dose is 'add' or 'set', not '%s'", path, r->line, f[2]);
  PetscCheck(!f[3][0] || !strcmp(f[3], "-"), PETSC_COMM_SELF, PETSC_ERR_USER,
             "%s:%" PetscInt_FMT ": the schedule gives the amount: leave value empty or -, not '%s'", path, r->line,
             f[3]);
  PetscCall(ParseSchedule(path, r->line, f[4], &start, &interval, &count, &amount));
  PetscCall(PetscRealloc(sizeof(GepDose) * (size_t)(E->ndose + count), &E->dose));
  for (PetscInt i = 0; i < count; i++) {
    GepDose  d = {start + (PetscReal)i * interval, state, (PetscBool)!strcmp(f[2], "set"), amount};
    PetscInt j = E->ndose++;
    /* insertion in time order; doses at one time keep the file's order */
    for (; j > 0 && E->dose[j - 1].time > d.time; j--) E->dose[j] = E->dose[j - 1];
    E->dose[j] = d;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseEnvironments(GepPerturbation p, GepTable *t)
{
  PetscFunctionBegin;
  PetscCheck(t->nrow > 0, PETSC_COMM_SELF, PETSC_ERR_USER, "%s: no environments (a header and no rows)", t->path);
  for (PetscInt i = 0; i < t->nrow; i++) {
    GepTableRow    *r = &t->row[i];
    PetscInt        e;
    GepEnvironment *E;

    PetscCheck(r->field[0][0], PETSC_COMM_SELF, PETSC_ERR_USER, "%s:%" PetscInt_FMT ": an environment needs a name",
               t->path, r->line);
    PetscCheck(strcmp(r->field[0], "ref"), PETSC_COMM_SELF, PETSC_ERR_USER,
               "%s:%" PetscInt_FMT ": 'ref' is the reference environment, which changes nothing: name this one "
               "otherwise",
               t->path, r->line);
    PetscCall(FindEnvironment(p, r->field[0], &e));
    E = &p->env[e];
    if (r->nfield > 4 && r->field[4][0]) PetscCall(AddDoses(p, E, r, t->path));
    else {
      PetscCall(PetscRealloc(sizeof(GepEdit) * (size_t)(E->nedit + 1), &E->edit));
      PetscCall(GepPerturbationParseEdit(p, t->path, r->line, r->field[1], r->field[2],
                                         r->nfield > 3 ? r->field[3] : "", &E->edit[E->nedit]));
      E->nedit++;
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepPerturbationReadEnvironments(GepPerturbation p)
{
  static const char *const cols[] = {"environment", "target", "operation", "value", "schedule"};
  GepTable                 t;
  PetscErrorCode           ierr;

  PetscFunctionBegin;
  ierr = GepTableRead(p->file_environments, cols, 3, 5, &t);
  if (!ierr) ierr = ParseEnvironments(p, &t);
  PetscCall(GepTableDestroy(&t));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}
