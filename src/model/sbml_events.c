/* SBML events: read them, and compile one tape that evaluates every event's
   trigger, delay, priority and assignment values. What happens with those
   values (edges, queues, priorities, persistence) is GepEnsemble's job. */
#include "modelimpl.h"

PetscErrorCode GepModelLoadEvents(GepModel m)
{
  PetscInt level = (PetscInt)SBMLDocument_getLevel(m->doc);

  PetscFunctionBegin;
  m->nev = (PetscInt)Model_getNumEvents(m->sbml);
  PetscCall(PetscCalloc1(m->nev + 1, &m->ev));
  for (PetscInt i = 0; i < m->nev; i++) {
    Event_t   *sev = Model_getEvent(m->sbml, (unsigned)i);
    GepEvent  *ev  = &m->ev[i];
    Trigger_t *tr  = Event_getTrigger(sev);

    PetscCall(PetscStrallocpy(Event_isSetId(sev) ? Event_getId(sev) : "(unnamed)", &ev->id));
    ev->trigger = tr && Trigger_isSetMath(tr) ? Trigger_getMath(tr) : NULL; /* none: never fires */
    ev->delay =
      Event_isSetDelay(sev) && Delay_isSetMath(Event_getDelay(sev)) ? Delay_getMath(Event_getDelay(sev)) : NULL;
    ev->priority                = Event_isSetPriority(sev) && Priority_isSetMath(Event_getPriority(sev))
                                    ? Priority_getMath(Event_getPriority(sev))
                                    : NULL;
    ev->info.initial_value      = level >= 3 && tr ? (PetscBool)Trigger_getInitialValue(tr) : PETSC_TRUE;
    ev->info.persistent         = level >= 3 && tr ? (PetscBool)Trigger_getPersistent(tr) : PETSC_TRUE;
    ev->info.use_trigger_values = (PetscBool)Event_getUseValuesFromTriggerTime(sev);
    ev->info.has_delay          = (PetscBool)(ev->delay != NULL);
    ev->nassign                 = (PetscInt)Event_getNumEventAssignments(sev);
    PetscCall(PetscMalloc2(ev->nassign + 1, &ev->target, ev->nassign + 1, &ev->assign));
    for (PetscInt j = 0; j < ev->nassign; j++) {
      EventAssignment_t *ea = Event_getEventAssignment(sev, (unsigned)j);
      PetscInt           k;
      PetscCall(GepModelFindSymbol(m, EventAssignment_getVariable(ea), -1, &k));
      PetscCheck(k >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: event '%s' assigns unknown symbol '%s'", m->file,
                 ev->id, EventAssignment_getVariable(ea));
      PetscCheck(m->sym[k].kind != GEP_SYM_REACTION, PETSC_COMM_SELF, PETSC_ERR_USER,
                 "model %s: event '%s' assigns reaction '%s'", m->file, ev->id, m->sym[k].id);
      ev->target[j]          = k;
      ev->assign[j]          = EventAssignment_isSetMath(ea) ? EventAssignment_getMath(ea) : NULL;
      m->sym[k].event_target = PETSC_TRUE;
    }
  }
  PetscFunctionReturn(0);
}

/* Does assignment j of ev resize the compartment of species k, whose state is a concentration? */
static PetscBool IsRescaled(GepModel m, const GepEvent *ev, PetscInt j, PetscInt k)
{
  const GepSymbol *s = &m->sym[k];
  return (PetscBool)(s->kind == GEP_SYM_SPECIES && s->rate_rule && s->compartment == ev->target[j] &&
                     GepSymbolIsConcentration(m, s));
}

/* Append a - b for each relation node reachable from node (depth-first, iterative). */
static PetscErrorCode CollectRoots(GepExpr e, PetscInt node, PetscInt **out, PetscInt *n, PetscInt *cap)
{
  PetscInt      *stack, top = 0, size = 64;
  const GepNode *nd;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(size, &stack));
  stack[top++] = node;
  while (top) {
    PetscCall(GepExprGetNode(e, stack[--top], &nd));
    if (nd->op >= GEP_OP_LT && nd->op <= GEP_OP_NE) {
      if (*n == *cap) {
        *cap *= 2;
        PetscCall(PetscRealloc(sizeof(PetscInt) * *cap, out));
      }
      PetscInt a = nd->a, b = nd->b; /* nd may move when the DAG grows */
      PetscCall(GepExprBinary(e, GEP_OP_SUB, a, b, &(*out)[(*n)++]));
      continue;
    }
    /* logic and selection may hide relations below; arithmetic cannot switch a trigger */
    if ((nd->op >= GEP_OP_AND && nd->op <= GEP_OP_NOT) || nd->op == GEP_OP_SELECT) {
      if (top + 3 > size) {
        size *= 2;
        PetscCall(PetscRealloc(sizeof(PetscInt) * size, &stack));
      }
      stack[top++] = nd->a;
      if (nd->op != GEP_OP_NOT) stack[top++] = nd->b;
      if (nd->op == GEP_OP_SELECT) stack[top++] = nd->c;
    }
  }
  PetscCall(PetscFree(stack));
  PetscFunctionReturn(0);
}

/* An event's trigger, delay or priority, 0 when absent. */
static PetscErrorCode BuildOptional(GepBuild *b, const ASTNode_t *math, const char what[], const char id[],
                                    PetscInt *node)
{
  char where[256];

  PetscFunctionBegin;
  if (!math) {
    PetscCall(GepExprConst(b->e, 0.0, node));
    PetscFunctionReturn(0);
  }
  PetscCall(PetscSNPrintf(where, sizeof(where), "the %s of event '%s'", what, id));
  PetscCall(GepBuildMath(b, math, -1, where, node));
  PetscFunctionReturn(0);
}

/* Outputs per event: trigger, delay, priority, then one new state value per assignment. */
PetscErrorCode GepModelCompileEvents(GepModel m, GepBuild *b)
{
  PetscInt *out, n = 0, cap = 16;
  char      where[256];

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(cap, &out));
  for (PetscInt i = 0; i < m->nev; i++) {
    GepEvent *ev = &m->ev[i];
    PetscInt *st, nextra = 0;
    for (PetscInt j = 0; j < ev->nassign; j++)
      for (PetscInt k = 0; k < m->nsym; k++) nextra += IsRescaled(m, ev, j, k);
    if (n + 3 + ev->nassign + nextra > cap) {
      cap = 2 * (n + 3 + ev->nassign + nextra);
      PetscCall(PetscRealloc(sizeof(PetscInt) * cap, &out));
    }
    PetscCall(PetscMalloc1(ev->nassign + nextra + 1, &st));
    ev->info.state        = st;
    ev->info.out_trigger  = n;
    ev->info.out_delay    = n + 1;
    ev->info.out_priority = n + 2;
    ev->info.out_assign   = n + 3;
    ev->info.nassign      = ev->nassign + nextra;
    PetscCall(BuildOptional(b, ev->trigger, "trigger", ev->id, &out[n]));
    PetscCall(BuildOptional(b, ev->delay, "delay", ev->id, &out[n + 1]));
    PetscCall(BuildOptional(b, ev->priority, "priority", ev->id, &out[n + 2]));
    n += 3;
    for (PetscInt j = 0; j < ev->nassign; j++) {
      const GepSymbol *s = &m->sym[ev->target[j]];
      PetscCheck(s->cls == GEP_CLASS_STATE, PETSC_COMM_SELF, PETSC_ERR_USER,
                 "model %s: event '%s' assigns '%s', which an assignment rule defines", m->file, ev->id, s->id);
      st[j] = s->slot;
      if (!ev->assign[j]) PetscCall(GepBuildSymbol(b, ev->target[j], &out[n])); /* no math: unchanged */
      else {
        PetscCall(PetscSNPrintf(where, sizeof(where), "the assignment to '%s' in event '%s'", s->id, ev->id));
        PetscCall(GepBuildMath(b, ev->assign[j], -1, where, &out[n]));
      }
      /* species held as amounts: the assigned value is the symbol's (often a concentration) */
      if (s->kind == GEP_SYM_SPECIES && !s->rate_rule) PetscCall(GepToAmount(b, s, out[n], &out[n]));
      n++;
    }
    /* a compartment resized by the event keeps its species' amounts (an assigned
       concentration counts in the old size): concentrations held as states
       (species with rate rules) are rescaled by old/new size, after their own
       assignment, which this output then overrides */
    for (PetscInt j = 0, x = ev->nassign; j < ev->nassign; j++)
      for (PetscInt k = 0; k < m->nsym; k++) {
        PetscInt c = -1, v, r;
        if (!IsRescaled(m, ev, j, k)) continue;
        for (PetscInt i = 0; i < ev->nassign; i++)
          if (ev->target[i] == k) c = out[ev->info.out_assign + i];
        if (c < 0) PetscCall(GepBuildSymbol(b, k, &c));
        PetscCall(GepBuildSymbol(b, ev->target[j], &v));
        PetscCall(GepExprBinary(b->e, GEP_OP_MUL, c, v, &r));
        PetscCall(GepExprBinary(b->e, GEP_OP_DIV, r, out[ev->info.out_assign + j], &out[n++]));
        st[x++] = m->sym[k].slot;
      }
  }
  /* root functions of the triggers' relations, after all events' outputs */
  m->out_root = n;
  for (PetscInt i = 0; i < m->nev; i++) PetscCall(CollectRoots(b->e, out[m->ev[i].info.out_trigger], &out, &n, &cap));
  m->nroot  = n - m->out_root;
  m->nevout = n;
  PetscCall(GepTapeCreate(b->e, 1 + m->nstate + m->nfixed, n, out, &m->ev_tape));
  PetscCall(PetscFree(out));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelDestroyEvents(GepModel m)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < m->nev; i++) {
    PetscCall(PetscFree(m->ev[i].id));
    PetscCall(PetscFree2(m->ev[i].target, m->ev[i].assign));
    PetscCall(PetscFree(m->ev[i].info.state));
  }
  PetscCall(PetscFree(m->ev));
  PetscCall(GepTapeDestroy(&m->ev_tape));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetNumEvents(GepModel m, PetscInt *n, PetscInt *nout)
{
  PetscFunctionBegin;
  PetscCheck(m->setup, m->comm, PETSC_ERR_ORDER, "Call GepModelSetUp() first");
  if (n) *n = m->nev;
  if (nout) *nout = m->nevout;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetEventRoots(GepModel m, PetscInt *n, PetscInt *offset)
{
  PetscFunctionBegin;
  *n      = m->nroot;
  *offset = m->out_root;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelGetEventInfo(GepModel m, PetscInt i, const GepEventInfo **info)
{
  PetscFunctionBegin;
  PetscCheck(i >= 0 && i < m->nev, m->comm, PETSC_ERR_ARG_OUTOFRANGE, "Event %" PetscInt_FMT " out of range", i);
  *info = &m->ev[i].info;
  PetscFunctionReturn(0);
}
