/* Classify symbols (state, assigned, fixed), build the DAGs of the initial
   values, the right-hand side, its Jacobian and the outputs, and compile tapes.
   States of species governed by reactions are amounts: reactions change amounts,
   and amounts stay right when a compartment's size changes. */
#include "modelimpl.h"

/* Species without rules are held as amounts: integrated when reactions change
   them, fixed otherwise (a fixed amount in a changing compartment is right). */
static PetscBool IsAmountState(const GepSymbol *s)
{
  return (PetscBool)(s->cls != GEP_CLASS_ASSIGNED && s->kind == GEP_SYM_SPECIES && !s->rate_rule);
}

static PetscErrorCode Classify(GepModel m)
{
  PetscFunctionBegin;
  m->nstate = m->nfixed = 0;
  for (PetscInt k = 0; k < m->nsym; k++) {
    GepSymbol *s = &m->sym[k];
    if (s->kind == GEP_SYM_REACTION || (s->rule_math && !s->rate_rule)) s->cls = GEP_CLASS_ASSIGNED;
    else if (s->rate_rule || s->event_target ||
             (s->kind == GEP_SYM_SPECIES && s->in_reaction && !s->boundary && !s->constant))
      s->cls = GEP_CLASS_STATE;
    else s->cls = GEP_CLASS_FIXED;
    PetscCheck(!(s->rate_rule && s->constant), PETSC_COMM_SELF, PETSC_ERR_USER,
               "model %s: rate rule for constant symbol '%s'", m->file, s->id);
    PetscCheck(!(s->rule_math && !s->rate_rule && s->init_math), PETSC_COMM_SELF, PETSC_ERR_USER,
               "model %s: symbol '%s' has both an assignment rule and an initial assignment", m->file, s->id);
    if (s->cls == GEP_CLASS_STATE) s->slot = m->nstate++;
    else if (s->cls == GEP_CLASS_FIXED) s->slot = m->nfixed++;
  }
  /* each kinetic law is multiplied by a fixed value: its reaction's parameter (1 unless edited) */
  for (PetscInt r = 0; r < m->nrxn; r++) m->rxn[r].scale_slot = m->rxn[r].law ? m->nfixed++ : -1;
  PetscCall(PetscMalloc2(m->nstate + 1, &m->state_sym, m->nfixed + 1, &m->fixed_sym));
  for (PetscInt k = 0; k < m->nsym; k++) {
    if (m->sym[k].cls == GEP_CLASS_STATE) m->state_sym[m->sym[k].slot] = k;
    else if (m->sym[k].cls == GEP_CLASS_FIXED) m->fixed_sym[m->sym[k].slot] = k;
  }
  for (PetscInt r = 0; r < m->nrxn; r++)
    if (m->rxn[r].scale_slot >= 0) m->fixed_sym[m->rxn[r].scale_slot] = m->rxn[r].symbol;
  PetscFunctionReturn(0);
}

static PetscErrorCode BuildReactionRate(GepBuild *b, const GepSymbol *s, PetscInt *n)
{
  GepModel     m = b->model;
  GepReaction *r = &m->rxn[s->reaction];
  char         where[256];
  PetscInt     scale;

  PetscFunctionBegin;
  if (!r->law) PetscCall(GepExprConst(b->e, 0.0, n)); /* no kinetic law: no flux */
  else {
    PetscCall(PetscSNPrintf(where, sizeof(where), "the kinetic law of reaction '%s'", r->id));
    PetscCall(GepBuildMath(b, r->law, s->reaction, where, n));
    PetscCall(GepExprVar(
      b->e, b->mode == GEP_BUILD_INIT ? GepInitSlotParam(r->symbol) : GepRunSlotFixed(m, r->scale_slot), &scale));
    PetscCall(GepExprBinary(b->e, GEP_OP_MUL, *n, scale, n));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepBuildSymbol(GepBuild *b, PetscInt k, PetscInt *n)
{
  GepModel   m = b->model;
  GepSymbol *s = &m->sym[k];
  char       where[256];

  PetscFunctionBegin;
  if (b->memo[k] >= 0) {
    *n = b->memo[k];
    PetscFunctionReturn(0);
  }
  PetscCheck(!b->busy[k], PETSC_COMM_SELF, PETSC_ERR_USER,
             "model %s: circular dependency through '%s' (algebraic loop)", m->file, s->id);
  b->busy[k] = PETSC_TRUE;
  if (s->kind == GEP_SYM_REACTION) PetscCall(BuildReactionRate(b, s, n));
  else if (s->rule_math && !s->rate_rule) {
    PetscCall(PetscSNPrintf(where, sizeof(where), "the assignment rule for '%s'", s->id));
    PetscCall(GepBuildMath(b, s->rule_math, -1, where, n));
  } else if (b->mode == GEP_BUILD_INIT && s->init_math) {
    PetscCall(PetscSNPrintf(where, sizeof(where), "the initial assignment for '%s'", s->id));
    PetscCall(GepBuildMath(b, s->init_math, -1, where, n));
  } else if (b->mode == GEP_BUILD_INIT) {
    PetscCall(GepExprVar(b->e, GepInitSlotParam(k), n));
    if (s->kind == GEP_SYM_SPECIES && GepSymbolIsConcentration(m, s) != s->given_as_conc) {
      PetscInt size;
      PetscCall(GepBuildSymbol(b, s->compartment, &size));
      PetscCall(GepExprBinary(b->e, s->given_as_conc ? GEP_OP_MUL : GEP_OP_DIV, *n, size, n));
    }
  } else {
    PetscCall(GepExprVar(b->e, s->cls == GEP_CLASS_FIXED ? GepRunSlotFixed(m, s->slot) : GepRunSlotState(s->slot), n));
    if (IsAmountState(s) && GepSymbolIsConcentration(m, s)) {
      PetscInt size;
      PetscCall(GepBuildSymbol(b, s->compartment, &size));
      PetscCall(GepExprBinary(b->e, GEP_OP_DIV, *n, size, n));
    }
  }
  b->busy[k] = PETSC_FALSE;
  b->memo[k] = *n;
  PetscFunctionReturn(0);
}

/* Amount of a species from its symbol value (concentration or amount). */
PetscErrorCode GepToAmount(GepBuild *b, const GepSymbol *s, PetscInt value, PetscInt *n)
{
  PetscInt size;

  PetscFunctionBegin;
  *n = value;
  if (s->kind != GEP_SYM_SPECIES || !GepSymbolIsConcentration(b->model, s)) PetscFunctionReturn(0);
  PetscCall(GepBuildSymbol(b, s->compartment, &size));
  PetscCall(GepExprBinary(b->e, GEP_OP_MUL, value, size, n));
  PetscFunctionReturn(0);
}

static PetscErrorCode BuildCreate(GepModel m, GepBuildMode mode, GepExpr e, GepBuild *b)
{
  PetscFunctionBegin;
  b->model = m;
  b->e     = e;
  b->mode  = mode;
  PetscCall(PetscMalloc2(m->nsym, &b->memo, m->nsym, &b->busy));
  PetscCall(PetscMalloc2(m->nstate + 1, &b->rate, m->nstate + 1, &b->rbusy));
  for (PetscInt k = 0; k < m->nsym; k++) {
    b->memo[k] = -1;
    b->busy[k] = PETSC_FALSE;
  }
  for (PetscInt i = 0; i < m->nstate; i++) {
    b->rate[i]  = -1;
    b->rbusy[i] = PETSC_FALSE;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode BuildDestroy(GepBuild *b)
{
  PetscFunctionBegin;
  PetscCall(PetscFree2(b->memo, b->busy));
  PetscCall(PetscFree2(b->rate, b->rbusy));
  PetscFunctionReturn(0);
}

/* Initial values: outputs are the states' initial values, then the fixed values. */
static PetscErrorCode CompileInit(GepModel m)
{
  GepExpr   e;
  GepBuild  b;
  PetscInt *out, v;

  PetscFunctionBegin;
  PetscCall(GepExprCreate(&e));
  PetscCall(BuildCreate(m, GEP_BUILD_INIT, e, &b));
  PetscCall(PetscMalloc1(m->nstate + m->nfixed + 1, &out));
  for (PetscInt i = 0; i < m->nstate; i++) {
    const GepSymbol *s = &m->sym[m->state_sym[i]];
    PetscCall(GepBuildSymbol(&b, m->state_sym[i], &v));
    if (IsAmountState(s)) PetscCall(GepToAmount(&b, s, v, &v));
    out[i] = v;
  }
  for (PetscInt j = 0; j < m->nfixed; j++) {
    const GepSymbol *s = &m->sym[m->fixed_sym[j]];
    if (s->kind == GEP_SYM_REACTION) { /* a rate multiplier: the parameter itself */
      PetscCall(GepExprVar(e, GepInitSlotParam(m->fixed_sym[j]), &out[m->nstate + j]));
      continue;
    }
    PetscCall(GepBuildSymbol(&b, m->fixed_sym[j], &v));
    if (IsAmountState(s)) PetscCall(GepToAmount(&b, s, v, &v));
    out[m->nstate + j] = v;
  }
  PetscCall(GepTapeCreate(e, 1 + m->nsym, m->nstate + m->nfixed, out, &m->init_tape));
  PetscCall(PetscFree(out));
  PetscCall(BuildDestroy(&b));
  PetscCall(GepExprDestroy(&e));
  PetscFunctionReturn(0);
}

static PetscErrorCode StateRateOnce(GepBuild *b, PetscInt i, PetscInt *n)
{
  GepModel         m = b->model;
  const GepSymbol *s = &m->sym[m->state_sym[i]];
  char             where[256];

  PetscFunctionBegin;
  PetscCall(GepExprConst(b->e, 0.0, n));
  if (s->rate_rule) {
    PetscCall(PetscSNPrintf(where, sizeof(where), "the rate rule for '%s'", s->id));
    PetscCall(GepBuildMath(b, s->rule_math, -1, where, n));
    PetscFunctionReturn(0);
  }
  if (s->boundary || !s->in_reaction) PetscFunctionReturn(0);
  for (PetscInt r = 0; r < m->nrxn; r++) {
    for (PetscInt j = 0; j < m->rxn[r].nrefs; j++) {
      const GepSpeciesRef *ref = &m->rxn[r].refs[j];
      PetscInt             st, rate, term;
      if (ref->species != m->state_sym[i]) continue;
      if (ref->symbol >= 0) PetscCall(GepBuildSymbol(b, ref->symbol, &st));
      else if (ref->stoich_math) {
        PetscCall(
          PetscSNPrintf(where, sizeof(where), "the stoichiometry of '%s' in reaction '%s'", s->id, m->rxn[r].id));
        PetscCall(GepBuildMath(b, ref->stoich_math, -1, where, &st));
      } else PetscCall(GepExprConst(b->e, ref->stoich, &st));
      PetscCall(GepBuildSymbol(b, m->rxn[r].symbol, &rate));
      PetscCall(GepExprBinary(b->e, GEP_OP_MUL, st, rate, &term));
      PetscCall(GepExprBinary(b->e, ref->sign > 0 ? GEP_OP_ADD : GEP_OP_SUB, *n, term, n));
    }
  }
  if (s->conversion >= 0 || m->model_conversion >= 0) {
    PetscInt cf;
    PetscCall(GepBuildSymbol(b, s->conversion >= 0 ? s->conversion : m->model_conversion, &cf));
    PetscCall(GepExprBinary(b->e, GEP_OP_MUL, *n, cf, n));
  }
  PetscFunctionReturn(0);
}

/* Time derivative of state i, built once per DAG. */
static PetscErrorCode BuildStateRate(GepBuild *b, PetscInt i, PetscInt *n)
{
  PetscFunctionBegin;
  if (b->rate[i] >= 0) {
    *n = b->rate[i];
    PetscFunctionReturn(0);
  }
  PetscCheck(!b->rbusy[i], PETSC_COMM_SELF, PETSC_ERR_USER,
             "model %s: the rate of '%s' depends on itself through rateOf()", b->model->file,
             b->model->sym[b->model->state_sym[i]].id);
  b->rbusy[i] = PETSC_TRUE;
  PetscCall(StateRateOnce(b, i, n));
  b->rbusy[i] = PETSC_FALSE;
  b->rate[i]  = *n;
  PetscFunctionReturn(0);
}

/* rateOf(x): the total time derivative of x's value. At run time by the chain
   rule on x's node, d/dt = partial_t + sum_j partial_{y_j} * dy_j/dt; in initial
   values, where states are not inputs, only for states (and constants). */
PetscErrorCode GepBuildRateOf(GepBuild *b, PetscInt k, const char where[], PetscInt *n)
{
  GepModel         m = b->model;
  const GepSymbol *s = &m->sym[k];
  PetscInt         x, d, f, t;

  PetscFunctionBegin;
  if (s->cls == GEP_CLASS_FIXED) {
    PetscCall(GepExprConst(b->e, 0.0, n));
    PetscFunctionReturn(0);
  }
  if (b->mode == GEP_BUILD_INIT) {
    const GepSymbol *c = s->kind == GEP_SYM_SPECIES ? &m->sym[s->compartment] : NULL;
    PetscCheck(s->cls == GEP_CLASS_STATE, PETSC_COMM_SELF, PETSC_ERR_SUP,
               "model %s: unsupported SBML feature: rateOf() of the assigned symbol '%s' in %s", m->file, s->id, where);
    PetscCheck(!(IsAmountState(s) && GepSymbolIsConcentration(m, s) && c->cls != GEP_CLASS_FIXED), PETSC_COMM_SELF,
               PETSC_ERR_SUP, "model %s: unsupported SBML feature: rateOf() of '%s' in a varying compartment in %s",
               m->file, s->id, where);
    PetscCall(BuildStateRate(b, s->slot, n));
    if (IsAmountState(s) && GepSymbolIsConcentration(m, s)) {
      PetscCall(GepBuildSymbol(b, s->compartment, &x));
      PetscCall(GepExprBinary(b->e, GEP_OP_DIV, *n, x, n));
    }
    PetscFunctionReturn(0);
  }
  PetscCall(GepBuildSymbol(b, k, &x));
  PetscCall(GepExprDiff(b->e, x, GEP_SLOT_TIME, n));
  for (PetscInt j = 0; j < m->nstate; j++) {
    PetscBool zero;
    PetscCall(GepExprDiff(b->e, x, GepRunSlotState(j), &d));
    PetscCall(GepExprIsConst(b->e, d, 0.0, &zero));
    if (zero) continue;
    PetscCall(BuildStateRate(b, j, &f));
    PetscCall(GepExprBinary(b->e, GEP_OP_MUL, d, f, &t));
    PetscCall(GepExprBinary(b->e, GEP_OP_ADD, *n, t, n));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode BuildOutput(GepBuild *b, const GepOutput *o, PetscInt *n)
{
  const GepSymbol *s = &b->model->sym[o->symbol];
  PetscInt         size;

  PetscFunctionBegin;
  PetscCall(GepBuildSymbol(b, o->symbol, n));
  if (s->kind != GEP_SYM_SPECIES || o->quantity == GEP_QUANTITY_VALUE) PetscFunctionReturn(0);
  if (o->quantity == GEP_QUANTITY_AMOUNT) PetscCall(GepToAmount(b, s, *n, n));
  else if (!GepSymbolIsConcentration(b->model, s)) {
    PetscCall(GepBuildSymbol(b, s->compartment, &size));
    PetscCall(GepExprBinary(b->e, GEP_OP_DIV, *n, size, n));
  }
  PetscFunctionReturn(0);
}

/* Right-hand side, Jacobian (symbolic, nonzeros only) and outputs share one DAG. */
static PetscErrorCode CompileRun(GepModel m)
{
  GepExpr   e;
  GepBuild  b;
  PetscInt *f, *jac = NULL, *out, cap = 0, nslots = 1 + m->nstate + m->nfixed;

  PetscFunctionBegin;
  PetscCall(GepExprCreate(&e));
  PetscCall(BuildCreate(m, GEP_BUILD_RUN, e, &b));
  PetscCall(PetscMalloc1(m->nstate + 1, &f));
  for (PetscInt i = 0; i < m->nstate; i++) PetscCall(BuildStateRate(&b, i, &f[i]));
  PetscCall(GepTapeCreate(e, nslots, m->nstate, f, &m->rhs_tape));
  m->njac = 0;
  for (PetscInt j = 0; j < m->nstate; j++) {
    for (PetscInt i = 0; i < m->nstate; i++) {
      PetscInt  d;
      PetscBool zero;
      PetscCall(GepExprDiff(e, f[i], GepRunSlotState(j), &d));
      PetscCall(GepExprIsConst(e, d, 0.0, &zero));
      if (zero) continue;
      if (m->njac == cap) {
        cap = cap ? 2 * cap : 64;
        PetscCall(PetscRealloc(sizeof(PetscInt) * cap, &jac));
        PetscCall(PetscRealloc(sizeof(PetscInt) * cap, &m->jac_row));
        PetscCall(PetscRealloc(sizeof(PetscInt) * cap, &m->jac_col));
      }
      jac[m->njac]        = d;
      m->jac_row[m->njac] = i;
      m->jac_col[m->njac] = j;
      m->njac++;
    }
  }
  PetscCall(GepTapeCreate(e, nslots, m->njac, jac, &m->jac_tape));
  PetscCall(PetscMalloc1(m->nout + 1, &out));
  for (PetscInt k = 0; k < m->nout; k++) PetscCall(BuildOutput(&b, &m->out[k], &out[k]));
  PetscCall(GepTapeCreate(e, nslots, m->nout, out, &m->out_tape));
  PetscCall(GepModelCompileEvents(m, &b));
  PetscCall(PetscFree(out));
  PetscCall(PetscFree(jac));
  PetscCall(PetscFree(f));
  PetscCall(BuildDestroy(&b));
  PetscCall(GepExprDestroy(&e));
  PetscFunctionReturn(0);
}

/* Resolve output names; with none requested, record every species. */
static PetscErrorCode ResolveOutputs(GepModel m)
{
  PetscFunctionBegin;
  if (!m->out) {
    for (PetscInt k = 0; k < m->nsym; k++) m->nout += m->sym[k].kind == GEP_SYM_SPECIES;
    PetscCall(PetscCalloc1(m->nout + 1, &m->out));
    for (PetscInt k = 0, j = 0; k < m->nsym; k++) {
      if (m->sym[k].kind != GEP_SYM_SPECIES) continue;
      PetscCall(PetscStrallocpy(m->sym[k].id, &m->out[j].name));
      m->out[j].quantity = GEP_QUANTITY_VALUE;
      m->out[j++].symbol = k;
    }
  }
  for (PetscInt k = 0; k < m->nout; k++) {
    PetscCall(GepModelFindSymbol(m, m->out[k].name, -1, &m->out[k].symbol));
    PetscCheck(m->out[k].symbol >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: unknown output variable '%s'",
               m->file, m->out[k].name);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelCompile(GepModel m)
{
  PetscFunctionBegin;
  PetscCall(Classify(m));
  PetscCall(ResolveOutputs(m));
  PetscCall(CompileInit(m));
  PetscCall(CompileRun(m));
  PetscFunctionReturn(0);
}
