/* Read an SBML file with libSBML into GepModel's symbol and reaction tables,
   refusing every feature that is not simulated faithfully yet. */
#include <string.h>
#include <sbml/conversion/ConversionProperties.h>
#include "modelimpl.h"

/* First error of the document as one line: file, line, message. */
static PetscErrorCode CheckReadErrors(GepModel m)
{
  unsigned int n = SBMLDocument_getNumErrors(m->doc);

  PetscFunctionBegin;
  for (unsigned int i = 0; i < n; i++) {
    const XMLError_t *err = (const XMLError_t *)SBMLDocument_getError(m->doc, i);
    if (!XMLError_isError(err) && !XMLError_isFatal(err)) continue;
    char *msg;
    PetscCall(PetscStrallocpy(XMLError_getMessage(err), &msg));
    for (char *c = msg; *c; c++)
      if (*c == '\n' || *c == '\r') *c = ' ';
    PetscErrorCode ierr =
      PetscError(PETSC_COMM_SELF, __LINE__, PETSC_FUNCTION_NAME, __FILE__, PETSC_ERR_FILE_UNEXPECTED,
                 PETSC_ERROR_INITIAL, "model %s:%u: libSBML: %s", m->file, XMLError_getLine(err), msg);
    PetscCall(PetscFree(msg));
    return ierr;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Unsupported(GepModel m, const char feature[])
{
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_SUP, "model %s: unsupported SBML feature: %s", m->file, feature);
}

static PetscErrorCode RefuseUnsupported(GepModel m)
{
  static const char *const pkgs[] = {"fbc", "qual", "multi", "distrib", "spatial", "arrays", "dyn", "req"};

  PetscFunctionBegin;
  for (size_t i = 0; i < sizeof(pkgs) / sizeof(pkgs[0]); i++) {
    if (SBase_getPlugin((SBase_t *)m->doc, pkgs[i]) || SBase_getPlugin((SBase_t *)m->sbml, pkgs[i])) {
      char feature[64];
      PetscCall(PetscSNPrintf(feature, sizeof(feature), "package '%s'", pkgs[i]));
      PetscCall(Unsupported(m, feature));
    }
  }
  for (unsigned int i = 0; i < Model_getNumRules(m->sbml); i++)
    if (Rule_isAlgebraic(Model_getRule(m->sbml, i))) PetscCall(Unsupported(m, "algebraic rules"));
  for (unsigned int i = 0; i < Model_getNumReactions(m->sbml); i++) {
    Reaction_t *r = Model_getReaction(m->sbml, i);
    if (Reaction_isSetFast(r) && Reaction_getFast(r)) PetscCall(Unsupported(m, "fast reactions"));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode AddSymbol(GepModel m, const char id[], GepSymbolKind kind, PetscInt *idx)
{
  GepSymbol *s;

  PetscFunctionBegin;
  if (m->nsym == m->capsym) {
    m->capsym = m->capsym ? 2 * m->capsym : 64;
    PetscCall(PetscRealloc(sizeof(GepSymbol) * m->capsym, &m->sym));
  }
  s = &m->sym[m->nsym];
  PetscCall(PetscMemzero(s, sizeof(*s)));
  PetscCall(PetscStrallocpy(id, &s->id));
  s->kind        = kind;
  s->compartment = -1;
  s->conversion  = -1;
  s->scope       = -1;
  s->reaction    = -1;
  s->slot        = -1;
  s->dims        = 3;
  s->value       = NAN;
  *idx           = m->nsym++;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelFindSymbol(GepModel m, const char id[], PetscInt scope, PetscInt *idx)
{
  PetscFunctionBegin;
  *idx = -1;
  if (!id) PetscFunctionReturn(0);
  for (PetscInt i = 0; i < m->nsym; i++) { /* a local parameter shadows a global symbol */
    if (m->sym[i].scope != scope || scope < 0) continue;
    if (!strcmp(m->sym[i].id, id)) {
      *idx = i;
      PetscFunctionReturn(0);
    }
  }
  for (PetscInt i = 0; i < m->nsym; i++) {
    if (m->sym[i].scope >= 0) continue;
    if (!strcmp(m->sym[i].id, id)) {
      *idx = i;
      PetscFunctionReturn(0);
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode LoadSpeciesRef(GepModel m, GepReaction *r, SpeciesReference_t *sr, PetscReal sign)
{
  GepSpeciesRef *ref = &r->refs[r->nrefs++];

  PetscFunctionBegin;
  PetscCall(GepModelFindSymbol(m, SpeciesReference_getSpecies(sr), -1, &ref->species));
  PetscCheck(ref->species >= 0 && m->sym[ref->species].kind == GEP_SYM_SPECIES, PETSC_COMM_SELF, PETSC_ERR_USER,
             "model %s: reaction '%s' refers to unknown species '%s'", m->file, r->id, SpeciesReference_getSpecies(sr));
  ref->sign   = sign;
  ref->symbol = -1;
  ref->stoich = SpeciesReference_isSetStoichiometry(sr) || SBMLDocument_getLevel(m->doc) < 3
                  ? SpeciesReference_getStoichiometry(sr)
                  : 1.0;
  if (SpeciesReference_isSetStoichiometryMath(sr))
    ref->stoich_math = StoichiometryMath_getMath(SpeciesReference_getStoichiometryMath(sr));
  if (SpeciesReference_isSetId(sr)) {
    GepSymbol *s;
    PetscCall(AddSymbol(m, SpeciesReference_getId(sr), GEP_SYM_SPECIESREF, &ref->symbol));
    s            = &m->sym[ref->symbol];
    s->value     = ref->stoich;
    s->has_value = PETSC_TRUE;
    s->constant  = SBMLDocument_getLevel(m->doc) >= 3 ? (PetscBool)SpeciesReference_getConstant(sr) : PETSC_FALSE;
    s->rule_math = ref->stoich_math; /* L2 stoichiometryMath: the reference's value, like an assignment rule */
  }
  m->sym[ref->species].in_reaction = PETSC_TRUE;
  PetscFunctionReturn(0);
}

static PetscErrorCode LoadReactions(GepModel m)
{
  PetscFunctionBegin;
  m->nrxn = (PetscInt)Model_getNumReactions(m->sbml);
  PetscCall(PetscCalloc1(m->nrxn, &m->rxn));
  for (PetscInt i = 0; i < m->nrxn; i++) {
    Reaction_t   *r  = Model_getReaction(m->sbml, (unsigned)i);
    GepReaction  *gr = &m->rxn[i];
    KineticLaw_t *kl = Reaction_getKineticLaw(r);

    PetscCall(PetscStrallocpy(Reaction_getId(r), &gr->id));
    PetscCall(AddSymbol(m, Reaction_getId(r), GEP_SYM_REACTION, &gr->symbol));
    m->sym[gr->symbol].reaction = i;
    m->sym[gr->symbol].value    = 1.0; /* the parameter of a reaction multiplies its rate (knockouts, variants) */
    gr->law                     = kl && KineticLaw_isSetMath(kl) ? KineticLaw_getMath(kl) : NULL;
    PetscCall(PetscCalloc1(Reaction_getNumReactants(r) + Reaction_getNumProducts(r) + 1, &gr->refs));
    for (unsigned j = 0; j < Reaction_getNumReactants(r); j++)
      PetscCall(LoadSpeciesRef(m, gr, Reaction_getReactant(r, j), -1.0));
    for (unsigned j = 0; j < Reaction_getNumProducts(r); j++)
      PetscCall(LoadSpeciesRef(m, gr, Reaction_getProduct(r, j), 1.0));
    if (!kl) continue;
    for (unsigned j = 0; j < KineticLaw_getNumParameters(kl);
         j++) { /* L2 local parameters (L3: same list through this call) */
      Parameter_t *p = KineticLaw_getParameter(kl, j);
      PetscInt     k = -1;
      PetscCall(AddSymbol(m, Parameter_getId(p), GEP_SYM_LOCAL, &k));
      m->sym[k].scope     = i;
      m->sym[k].value     = Parameter_getValue(p);
      m->sym[k].has_value = (PetscBool)Parameter_isSetValue(p);
      m->sym[k].constant  = PETSC_TRUE;
    }
  }
  PetscFunctionReturn(0);
}

/* Attach initial assignments and rules to their symbols. */
static PetscErrorCode LoadRulesAndAssignments(GepModel m)
{
  PetscFunctionBegin;
  for (unsigned i = 0; i < Model_getNumInitialAssignments(m->sbml); i++) {
    InitialAssignment_t *ia = Model_getInitialAssignment(m->sbml, i);
    PetscInt             k;
    PetscCall(GepModelFindSymbol(m, InitialAssignment_getSymbol(ia), -1, &k));
    PetscCheck(k >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: initial assignment to unknown symbol '%s'", m->file,
               InitialAssignment_getSymbol(ia));
    if (InitialAssignment_isSetMath(ia)) m->sym[k].init_math = InitialAssignment_getMath(ia); /* no math: no effect */
  }
  for (unsigned i = 0; i < Model_getNumRules(m->sbml); i++) {
    Rule_t  *r = Model_getRule(m->sbml, i);
    PetscInt k;
    PetscCall(GepModelFindSymbol(m, Rule_getVariable(r), -1, &k));
    PetscCheck(k >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: rule for unknown symbol '%s'", m->file,
               Rule_getVariable(r));
    if (!Rule_isSetMath(r)) continue; /* a rule without math has no effect (NoMathML) */
    m->sym[k].rule_math = Rule_getMath(r);
    m->sym[k].rate_rule = (PetscBool)Rule_isRate(r);
  }
  PetscFunctionReturn(0);
}

/* Hierarchical models (comp): flattened into one model by libSBML's converter. */
static PetscErrorCode FlattenComp(GepModel m)
{
  ConversionProperties_t *props;
  int                     status;

  PetscFunctionBegin;
  if (!SBase_getPlugin((SBase_t *)m->doc, "comp")) PetscFunctionReturn(0);
  props = ConversionProperties_create();
  ConversionProperties_addOptionWithKey(props, "flatten comp");
  ConversionProperties_setBoolValue(props, "flatten comp", 1);
  status = SBMLDocument_convert(m->doc, props);
  ConversionProperties_free(props);
  if (status != LIBSBML_OPERATION_SUCCESS) PetscCall(CheckReadErrors(m));
  PetscCheck(status == LIBSBML_OPERATION_SUCCESS, PETSC_COMM_SELF, PETSC_ERR_LIB,
             "model %s: libSBML could not flatten the hierarchical (comp) model (status %d)", m->file, status);
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelLoadSBML(GepModel m)
{
  PetscInt k;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("model", m->file));
  m->doc = readSBML(m->file);
  PetscCheck(m->doc, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "model %s: libSBML could not read the file", m->file);
  PetscCall(CheckReadErrors(m));
  PetscCall(FlattenComp(m));
  m->sbml = SBMLDocument_getModel(m->doc);
  PetscCheck(m->sbml, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "model %s: the SBML document has no <model>",
             m->file);
  PetscCall(RefuseUnsupported(m));

  for (unsigned i = 0; i < Model_getNumCompartments(m->sbml); i++) {
    Compartment_t *c = Model_getCompartment(m->sbml, i);
    PetscCall(AddSymbol(m, Compartment_getId(c), GEP_SYM_COMPARTMENT, &k));
    m->sym[k].has_value = (PetscBool)Compartment_isSetSize(c);
    m->sym[k].value = m->sym[k].has_value ? Compartment_getSize(c) : (SBMLDocument_getLevel(m->doc) < 3 ? 1.0 : NAN);
    m->sym[k].has_value = PETSC_TRUE;
    m->sym[k].constant  = (PetscBool)Compartment_getConstant(c);
    if (Compartment_isSetSpatialDimensions(c)) m->sym[k].dims = Compartment_getSpatialDimensionsAsDouble(c);
  }
  for (unsigned i = 0; i < Model_getNumSpecies(m->sbml); i++) {
    Species_t *s = Model_getSpecies(m->sbml, i);
    GepSymbol *g;
    PetscCall(AddSymbol(m, Species_getId(s), GEP_SYM_SPECIES, &k));
    g = &m->sym[k];
    PetscCall(GepModelFindSymbol(m, Species_getCompartment(s), -1, &g->compartment));
    PetscCheck(g->compartment >= 0 && m->sym[g->compartment].kind == GEP_SYM_COMPARTMENT, PETSC_COMM_SELF,
               PETSC_ERR_USER, "model %s: species '%s' is in unknown compartment '%s'", m->file, g->id,
               Species_getCompartment(s));
    g->hosu     = (PetscBool)Species_getHasOnlySubstanceUnits(s);
    g->boundary = (PetscBool)Species_getBoundaryCondition(s);
    g->constant = (PetscBool)Species_getConstant(s);
    if (Species_isSetInitialAmount(s)) {
      g->value     = Species_getInitialAmount(s);
      g->has_value = PETSC_TRUE;
    } else if (Species_isSetInitialConcentration(s)) {
      g->value         = Species_getInitialConcentration(s);
      g->has_value     = PETSC_TRUE;
      g->given_as_conc = PETSC_TRUE;
    }
  }
  for (unsigned i = 0; i < Model_getNumParameters(m->sbml); i++) {
    Parameter_t *p = Model_getParameter(m->sbml, i);
    PetscCall(AddSymbol(m, Parameter_getId(p), GEP_SYM_PARAMETER, &k));
    m->sym[k].value     = Parameter_isSetValue(p) ? Parameter_getValue(p) : NAN;
    m->sym[k].has_value = (PetscBool)Parameter_isSetValue(p);
    m->sym[k].constant  = (PetscBool)Parameter_getConstant(p);
  }
  /* conversion factors refer to parameters: resolve after all are known */
  for (unsigned i = 0; i < Model_getNumSpecies(m->sbml); i++) {
    Species_t *s = Model_getSpecies(m->sbml, i);
    if (!Species_isSetConversionFactor(s)) continue;
    PetscCall(GepModelFindSymbol(m, Species_getId(s), -1, &k));
    PetscCall(GepModelFindSymbol(m, Species_getConversionFactor(s), -1, &m->sym[k].conversion));
    PetscCheck(m->sym[k].conversion >= 0, PETSC_COMM_SELF, PETSC_ERR_USER,
               "model %s: species '%s' has unknown conversion factor '%s'", m->file, m->sym[k].id,
               Species_getConversionFactor(s));
  }
  m->model_conversion = -1;
  if (Model_isSetConversionFactor(m->sbml)) {
    PetscCall(GepModelFindSymbol(m, Model_getConversionFactor(m->sbml), -1, &m->model_conversion));
    PetscCheck(m->model_conversion >= 0, PETSC_COMM_SELF, PETSC_ERR_USER,
               "model %s: unknown model conversion factor '%s'", m->file, Model_getConversionFactor(m->sbml));
  }
  PetscCall(LoadReactions(m));
  PetscCall(LoadRulesAndAssignments(m));
  PetscCall(GepModelLoadEvents(m));
  PetscFunctionReturn(0);
}
