/* GepModel: life cycle, options and queries. */
#include "modelimpl.h"

PetscErrorCode GepModelCreate(MPI_Comm comm, GepModel *model)
{
  GepModel m;

  PetscFunctionBegin;
  PetscValidPointer(model, 2);
  PetscCall(GepModelInitializePackage());
  PetscCall(PetscHeaderCreate(m, GEPMODEL_CLASSID, "GepModel", "Pathway model", "GepModel", comm, GepModelDestroy,
                              GepModelView));
  m->comm             = PetscObjectComm((PetscObject)m);
  m->model_conversion = -1;
  m->ops->load        = GepModelLoadSBML;
  PetscCall(PetscObjectChangeTypeName((PetscObject)m, "sbml"));
  *model = m;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelSetOptionsPrefix(GepModel m, const char prefix[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(m, GEPMODEL_CLASSID, 1);
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)m, prefix));
  PetscFunctionReturn(0);
}

/* -model_view [ascii[:file]] (under the model's prefix) */
PetscErrorCode GepModelViewFromOptions(GepModel m, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(m, GEPMODEL_CLASSID, 1);
  PetscCall(PetscObjectViewFromOptions((PetscObject)m, obj, name));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelSetFile(GepModel m, const char file[])
{
  PetscFunctionBegin;
  PetscCheck(!m->setup, m->comm, PETSC_ERR_ORDER, "Cannot change the model file after GepModelSetUp()");
  PetscCall(PetscFree(m->file));
  PetscCall(PetscStrallocpy(file, &m->file));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetFile(GepModel m, const char **file)
{
  PetscFunctionBegin;
  *file = m->file;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelSetFromOptions(GepModel m)
{
  char      file[PETSC_MAX_PATH_LEN], *names[256];
  PetscInt  n = 256;
  PetscBool set;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(m, GEPMODEL_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)m);
  PetscCall(PetscOptionsString("-model_file", "SBML file of the pathway model", "GepModelSetFile",
                               m->file ? m->file : "", file, sizeof(file), &set));
  if (set) PetscCall(GepModelSetFile(m, file));
  PetscCall(PetscOptionsStringArray(
    "-model_outputs", "Variables recorded (species, compartments, parameters, reactions); default all species",
    "GepModelSetOutputs", names, &n, &set));
  if (set) {
    PetscCall(GepModelSetOutputs(m, n, (const char *const *)names, NULL));
    for (PetscInt k = 0; k < n; k++) PetscCall(PetscFree(names[k]));
  }
  PetscCall(PetscOptionsName("-model_view", "View the model (its symbols and tapes) after set-up ([ascii][:file])",
                             "GepModelViewFromOptions", &set));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelSetOutputs(GepModel m, PetscInt n, const char *const names[], const GepQuantity q[])
{
  PetscFunctionBegin;
  PetscCheck(!m->setup, m->comm, PETSC_ERR_ORDER, "Set outputs before GepModelSetUp()");
  for (PetscInt k = 0; k < m->nout; k++) PetscCall(PetscFree(m->out[k].name));
  PetscCall(PetscFree(m->out));
  m->nout = n;
  PetscCall(PetscCalloc1(n + 1, &m->out));
  for (PetscInt k = 0; k < n; k++) {
    PetscCall(PetscStrallocpy(names[k], &m->out[k].name));
    m->out[k].quantity = q ? q[k] : GEP_QUANTITY_VALUE;
    m->out[k].symbol   = -1;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelLoad(GepModel m)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(m, GEPMODEL_CLASSID, 1);
  if (m->loaded) PetscFunctionReturn(0);
  PetscCheck(m->file, m->comm, PETSC_ERR_USER, "No model file: set -model_file FILE.xml");
  PetscCall(PetscLogEventBegin(GEP_ModelLoad, 0, 0, 0, 0));
  PetscCall((*m->ops->load)(m));
  PetscCall(PetscLogEventEnd(GEP_ModelLoad, 0, 0, 0, 0));
  m->loaded = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelSetUp(GepModel m)
{
  PetscFunctionBegin;
  if (m->setup) PetscFunctionReturn(0);
  PetscCall(GepModelLoad(m));
  PetscCall(PetscLogEventBegin(GEP_ModelCompile, 0, 0, 0, 0));
  PetscCall(GepModelCompile(m));
  PetscCall(PetscLogEventEnd(GEP_ModelCompile, 0, 0, 0, 0));
  m->setup = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelView(GepModel m, PetscViewer v)
{
  PetscInt nr, ni;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(m, GEPMODEL_CLASSID, 1);
  if (!v) PetscCall(PetscViewerASCIIGetStdout(m->comm, &v));
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)m, v));
  PetscCall(PetscViewerASCIIPrintf(v, "  file %s\n", m->file ? m->file : "(none)"));
  if (!m->setup) PetscFunctionReturn(0);
  PetscCall(PetscViewerASCIIPushTab(v));
  PetscCall(PetscViewerASCIIPrintf(v,
                                   "symbols %" PetscInt_FMT ", reactions %" PetscInt_FMT ", states %" PetscInt_FMT
                                   ", fixed values %" PetscInt_FMT "\n",
                                   m->nsym, m->nrxn, m->nstate, m->nfixed));
  PetscCall(GepTapeGetSizes(m->rhs_tape, &nr, &ni));
  PetscCall(PetscViewerASCIIPrintf(
    v, "right-hand side tape: %" PetscInt_FMT " instructions, %" PetscInt_FMT " registers\n", ni, nr));
  PetscCall(GepTapeGetSizes(m->jac_tape, &nr, &ni));
  PetscCall(PetscViewerASCIIPrintf(
    v, "Jacobian tape: %" PetscInt_FMT " nonzeros, %" PetscInt_FMT " instructions, %" PetscInt_FMT " registers\n",
    m->njac, ni, nr));
  PetscCall(PetscViewerASCIIPopTab(v));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelDestroy(GepModel *model)
{
  GepModel m = *model;

  PetscFunctionBegin;
  if (!m) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(m, GEPMODEL_CLASSID, 1);
  if (--((PetscObject)m)->refct > 0) {
    *model = NULL;
    PetscFunctionReturn(0);
  }
  for (PetscInt k = 0; k < m->nsym; k++) PetscCall(PetscFree(m->sym[k].id));
  PetscCall(PetscFree(m->sym));
  for (PetscInt r = 0; r < m->nrxn; r++) {
    PetscCall(PetscFree(m->rxn[r].id));
    PetscCall(PetscFree(m->rxn[r].refs));
  }
  PetscCall(PetscFree(m->rxn));
  for (PetscInt k = 0; k < m->nout; k++) PetscCall(PetscFree(m->out[k].name));
  PetscCall(PetscFree(m->out));
  PetscCall(PetscFree2(m->state_sym, m->fixed_sym));
  PetscCall(PetscFree(m->jac_row));
  PetscCall(PetscFree(m->jac_col));
  PetscCall(GepTapeDestroy(&m->init_tape));
  PetscCall(GepTapeDestroy(&m->rhs_tape));
  PetscCall(GepTapeDestroy(&m->jac_tape));
  PetscCall(GepTapeDestroy(&m->out_tape));
  PetscCall(GepModelDestroyEvents(m));
  if (m->doc) SBMLDocument_free(m->doc);
  PetscCall(PetscFree(m->file));
  PetscCall(PetscHeaderDestroy(model));
  PetscFunctionReturn(0);
}

#define CHECK_SETUP(m) PetscCheck((m)->setup, (m)->comm, PETSC_ERR_ORDER, "Call GepModelSetUp() first")

PetscErrorCode GepModelGetNumStates(GepModel m, PetscInt *n)
{
  PetscFunctionBegin;
  CHECK_SETUP(m);
  *n = m->nstate;
  PetscFunctionReturn(0);
}

/* Parameters are indexed like symbols; a reaction's is the multiplier of its rate (1). */
PetscErrorCode GepModelGetNumParameters(GepModel m, PetscInt *n)
{
  PetscFunctionBegin;
  CHECK_SETUP(m);
  *n = m->nsym;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetParameterName(GepModel m, PetscInt k, const char **name)
{
  PetscFunctionBegin;
  CHECK_SETUP(m);
  PetscCheck(k >= 0 && k < m->nsym, m->comm, PETSC_ERR_ARG_OUTOFRANGE, "Parameter %" PetscInt_FMT " out of range", k);
  *name = m->sym[k].id;
  PetscFunctionReturn(0);
}

/* Global names, or "reaction.local" for a local parameter of a kinetic law. A reaction's
   own parameter multiplies its rate (1 in the model; 0 knocks the reaction out). */
PetscErrorCode GepModelGetParameterIndex(GepModel m, const char name[], PetscInt *k)
{
  PetscFunctionBegin;
  PetscCall(GepModelFindParameter(m, name, k));
  PetscCheck(*k >= 0, m->comm, PETSC_ERR_USER, "model %s: unknown parameter '%s'", m->file, name);
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetParameterState(GepModel m, PetscInt k, PetscInt *state)
{
  PetscFunctionBegin;
  CHECK_SETUP(m);
  PetscCheck(k >= 0 && k < m->nsym, m->comm, PETSC_ERR_ARG_OUTOFRANGE, "Parameter %" PetscInt_FMT " out of range", k);
  *state = m->sym[k].cls == GEP_CLASS_STATE ? m->sym[k].slot : -1;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelFindParameter(GepModel m, const char name[], PetscInt *k)
{
  char    *dot, *copy;
  PetscInt r = -1;

  PetscFunctionBegin;
  PetscCheck(m->loaded, m->comm, PETSC_ERR_ORDER, "Call GepModelLoad() or GepModelSetUp() first");
  PetscCall(PetscStrallocpy(name, &copy));
  PetscCall(PetscStrchr(copy, '.', &dot));
  if (dot) {
    *dot = 0;
    for (PetscInt i = 0; i < m->nrxn; i++) {
      PetscBool eq;
      PetscCall(PetscStrcmp(m->rxn[i].id, copy, &eq));
      if (eq) r = i;
    }
    *k = -1;
    if (r >= 0) PetscCall(GepModelFindSymbol(m, dot + 1, r, k));
    if (*k >= 0 && m->sym[*k].scope != r) *k = -1;
  } else PetscCall(GepModelFindSymbol(m, name, -1, k));
  PetscCall(PetscFree(copy));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetParameterValues(GepModel m, PetscReal p[])
{
  PetscFunctionBegin;
  CHECK_SETUP(m);
  for (PetscInt k = 0; k < m->nsym; k++) p[k] = m->sym[k].value;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetStateName(GepModel m, PetscInt i, const char **name)
{
  PetscFunctionBegin;
  CHECK_SETUP(m);
  PetscCheck(i >= 0 && i < m->nstate, m->comm, PETSC_ERR_ARG_OUTOFRANGE, "State %" PetscInt_FMT " out of range", i);
  *name = m->sym[m->state_sym[i]].id;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetStateCompartment(GepModel m, PetscInt i, const char **compartment)
{
  const GepSymbol *s;

  PetscFunctionBegin;
  CHECK_SETUP(m);
  PetscCheck(i >= 0 && i < m->nstate, m->comm, PETSC_ERR_ARG_OUTOFRANGE, "State %" PetscInt_FMT " out of range", i);
  s            = &m->sym[m->state_sym[i]];
  *compartment = s->kind == GEP_SYM_SPECIES ? m->sym[s->compartment].id : NULL;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetJacobianNonzeros(GepModel m, PetscInt *n, const PetscInt **rows, const PetscInt **cols)
{
  PetscFunctionBegin;
  CHECK_SETUP(m);
  *n = m->njac;
  if (rows) *rows = m->jac_row;
  if (cols) *cols = m->jac_col;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetNumOutputs(GepModel m, PetscInt *n)
{
  PetscFunctionBegin;
  CHECK_SETUP(m);
  *n = m->nout;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetOutputName(GepModel m, PetscInt k, const char **name)
{
  PetscFunctionBegin;
  CHECK_SETUP(m);
  PetscCheck(k >= 0 && k < m->nout, m->comm, PETSC_ERR_ARG_OUTOFRANGE, "Output %" PetscInt_FMT " out of range", k);
  *name = m->out[k].name;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetNumReactions(GepModel m, PetscInt *n)
{
  PetscFunctionBegin;
  PetscCheck(m->loaded, m->comm, PETSC_ERR_ORDER, "Call GepModelLoad() or GepModelSetUp() first");
  *n = m->nrxn;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetReactionName(GepModel m, PetscInt r, const char **name)
{
  PetscFunctionBegin;
  PetscCheck(m->loaded, m->comm, PETSC_ERR_ORDER, "Call GepModelLoad() or GepModelSetUp() first");
  PetscCheck(r >= 0 && r < m->nrxn, m->comm, PETSC_ERR_ARG_OUTOFRANGE, "Reaction %" PetscInt_FMT " out of range", r);
  *name = m->rxn[r].id;
  PetscFunctionReturn(0);
}

/* Whether a parameter's value counts: not a symbol an assignment rule or an initial
   assignment computes (editing those would change nothing). */
PetscErrorCode GepModelGetParameterEditable(GepModel m, PetscInt k, PetscBool *editable, const char **why)
{
  const GepSymbol *s;

  PetscFunctionBegin;
  PetscCheck(m->loaded, m->comm, PETSC_ERR_ORDER, "Call GepModelLoad() or GepModelSetUp() first");
  PetscCheck(k >= 0 && k < m->nsym, m->comm, PETSC_ERR_ARG_OUTOFRANGE, "Parameter %" PetscInt_FMT " out of range", k);
  s         = &m->sym[k];
  *editable = PETSC_TRUE;
  *why      = "";
  if (s->kind == GEP_SYM_REACTION) PetscFunctionReturn(0);
  if (s->rule_math && !s->rate_rule) {
    *editable = PETSC_FALSE;
    *why      = "an assignment rule computes it";
  } else if (s->init_math) {
    *editable = PETSC_FALSE;
    *why      = "an initial assignment computes it";
  }
  PetscFunctionReturn(0);
}
