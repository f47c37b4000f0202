/* SBML event semantics on top of the ensemble's TS.
   - Detection: after every step, triggers of all members are re-evaluated, and
     the signs of the root functions (a - b) of their relations; when any
     changed, the change is located by bisection on the stepper's own
     interpolant (TSInterpolate) and the step is cut back to that time. PETSc
     3.18's TSEvent needs continuous indicator functions and knows no boolean
     triggers, delays, priorities or persistence, hence this layer.
   - Edges: a trigger going false -> true fires (at t0 too, when the trigger's
     initialValue is false); true -> false cancels the pending executions of a
     non-persistent event.
   - Execution: per member, due events run one at a time, highest priority
     first (ties broken at random, reproducibly), re-checking triggers after each. */
#include "ensembleimpl.h"

static PetscErrorCode Evaluate(GepEnsemble e, PetscReal t, const PetscScalar x[])
{
  PetscFunctionBegin;
  for (PetscInt b = 0; b < e->nbatch; b++)
    PetscCall(GepModelBatchEvents(e->batch[b], t, x + b * e->B * e->ns, e->evbuf + b * e->B * e->nevout));
  PetscFunctionReturn(0);
}

/* Did any trigger, or the sign of any root function of a trigger's relations,
   of any member (on any rank) change since the last check? Roots catch a
   trigger that switches on and off again within one step. */
static PetscErrorCode AnyChange(GepEnsemble e, PetscReal t, const PetscScalar x[], PetscBool *changed)
{
  const GepEventInfo *info;
  PetscBool           local = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(Evaluate(e, t, x));
  for (PetscInt m = 0; m < e->nloc && !local; m++) {
    for (PetscInt v = 0; v < e->nev && !local; v++) {
      PetscCall(GepModelGetEventInfo(e->model, v, &info));
      local = (PetscBool)((e->evbuf[m * e->nevout + info->out_trigger] != 0) != e->trig[m * e->nev + v]);
    }
    for (PetscInt r = 0; r < e->nroot && !local; r++)
      local = (PetscBool)((e->evbuf[m * e->nevout + e->out_root + r] > 0) != e->rootpos[m * e->nroot + r]);
  }
  PetscCallMPI(MPI_Allreduce(&local, changed, 1, MPIU_BOOL, MPI_LOR, e->scomm));
  PetscFunctionReturn(0);
}

/* Remember the signs of the root functions of the last evaluation. */
static PetscErrorCode StoreRoots(GepEnsemble e)
{
  PetscFunctionBegin;
  for (PetscInt m = 0; m < e->nloc; m++)
    for (PetscInt r = 0; r < e->nroot; r++)
      e->rootpos[m * e->nroot + r] = (PetscBool)(e->evbuf[m * e->nevout + e->out_root + r] > 0);
  PetscFunctionReturn(0);
}

/* After each step: cut the step back to the first trigger change, and stop TSSolve there. */
static PetscErrorCode PostStep(TS ts)
{
  GepEnsemble        e;
  Vec                U;
  PetscReal          t, lo, hi;
  const PetscScalar *x;
  PetscBool          changed;

  PetscFunctionBegin;
  PetscCall(TSGetApplicationContext(ts, &e));
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSGetSolution(ts, &U));
  PetscCall(VecGetArrayRead(U, &x));
  PetscCall(AnyChange(e, t, x, &changed));
  PetscCall(VecRestoreArrayRead(U, &x));
  if (!changed) {
    PetscCall(StoreRoots(e));
    PetscFunctionReturn(0);
  }
  if (e->locate) {
    PetscCall(TSGetPrevTime(ts, &lo));
    hi = t;
    for (int it = 0; it < 200 && hi - lo > 1e-13 * PetscMax(1.0, PetscAbsReal(hi)); it++) {
      PetscReal mid = 0.5 * (lo + hi);
      PetscCall(TSInterpolate(ts, mid, e->Xi));
      PetscCall(VecGetArrayRead(e->Xi, &x));
      PetscCall(AnyChange(e, mid, x, &changed));
      PetscCall(VecRestoreArrayRead(e->Xi, &x));
      if (changed) hi = mid;
      else lo = mid;
    }
    if (hi < t) {
      PetscCall(TSInterpolate(ts, hi, e->Xi));
      PetscCall(VecCopy(e->Xi, U));
      PetscCall(TSSetTime(ts, hi));
    }
  }
  PetscCall(TSSetConvergedReason(ts, TS_CONVERGED_USER));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleEventsSetUp(GepEnsemble e)
{
  const GepEventInfo *info;

  PetscFunctionBegin;
  PetscCall(GepModelGetNumEvents(e->model, &e->nev, &e->nevout));
  if (!e->nev || !e->ns) {
    e->nev = 0;
    PetscFunctionReturn(0);
  }
  PetscCall(PetscMalloc2(e->nloc * e->nev + 1, &e->trig, e->nloc * e->nevout + 1, &e->evbuf));
  PetscCall(PetscCalloc1(e->nloc + 1, &e->ndraw));
  PetscCall(GepModelGetEventRoots(e->model, &e->nroot, &e->out_root));
  PetscCall(PetscCalloc1(e->nloc * e->nroot + 1, &e->rootpos));
  for (PetscInt m = 0; m < e->nloc; m++)
    for (PetscInt v = 0; v < e->nev; v++) {
      PetscCall(GepModelGetEventInfo(e->model, v, &info));
      e->trig[m * e->nev + v] = info->initial_value;
    }
  PetscCall(VecDuplicate(e->X, &e->Xi));
  PetscCall(PetscObjectTypeCompareAny((PetscObject)e->ts, &e->locate, TSBDF, TSROSW, TSARKIMEX, TSRK, ""));
  PetscCall(TSSetApplicationContext(e->ts, e));
  PetscCall(TSSetPostStep(e->ts, PostStep));
  PetscFunctionReturn(0);
}

static PetscErrorCode Schedule(GepEnsemble e, PetscReal time, PetscInt m, PetscInt v, const GepEventInfo *info)
{
  GepPendingEvent *p;

  PetscFunctionBegin;
  if (e->npend == e->cappend) {
    e->cappend = e->cappend ? 2 * e->cappend : 16;
    PetscCall(PetscRealloc(sizeof(GepPendingEvent) * e->cappend, &e->pend));
  }
  p         = &e->pend[e->npend++];
  p->time   = time;
  p->member = m;
  p->event  = v;
  p->seq    = e->seq++;
  p->values = NULL;
  if (info->use_trigger_values) {
    PetscCall(PetscMalloc1(info->nassign + 1, &p->values));
    PetscCall(PetscArraycpy(p->values, e->evbuf + m * e->nevout + info->out_assign, info->nassign));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Remove(GepEnsemble e, PetscInt i)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(e->pend[i].values));
  e->pend[i] = e->pend[--e->npend];
  PetscFunctionReturn(0);
}

/* Record trigger edges at time t: schedule fired events, cancel non-persistent ones. */
static PetscErrorCode Edges(GepEnsemble e, PetscReal t)
{
  const GepEventInfo *info;

  PetscFunctionBegin;
  for (PetscInt m = 0; m < e->nloc; m++)
    for (PetscInt v = 0; v < e->nev; v++) {
      PetscBool cur, prev = e->trig[m * e->nev + v];
      PetscCall(GepModelGetEventInfo(e->model, v, &info));
      cur = (PetscBool)(e->evbuf[m * e->nevout + info->out_trigger] != 0);
      if (cur && !prev) {
        PetscReal delay = info->has_delay ? e->evbuf[m * e->nevout + info->out_delay] : 0.0;
        PetscCheck(!PetscIsInfOrNanReal(delay), PETSC_COMM_SELF, PETSC_ERR_USER,
                   "event %" PetscInt_FMT " has a delay that is not a number at t = %g", v, (double)t);
        PetscCall(Schedule(e, t + PetscMax(delay, 0.0), m, v, info));
      } else if (!cur && prev && !info->persistent) {
        for (PetscInt i = e->npend - 1; i >= 0; i--)
          if (e->pend[i].member == m && e->pend[i].event == v) PetscCall(Remove(e, i));
      }
      e->trig[m * e->nev + v] = cur;
    }
  PetscCall(StoreRoots(e));
  PetscFunctionReturn(0);
}

/* Is pending item i an execution of member m due at time t? */
static PetscBool IsDue(GepEnsemble e, PetscInt i, PetscInt m, PetscReal t, PetscReal tol)
{
  return (PetscBool)(e->pend[i].member == m && e->pend[i].time <= t + tol);
}

/* Priority of pending item i of member m, at the last evaluation. */
static PetscErrorCode Priority(GepEnsemble e, PetscInt i, PetscInt m, PetscReal *prio)
{
  const GepEventInfo *info;

  PetscFunctionBegin;
  PetscCall(GepModelGetEventInfo(e->model, e->pend[i].event, &info));
  *prio = e->evbuf[m * e->nevout + info->out_priority];
  PetscFunctionReturn(0);
}

/* splitmix64 of (seed, member, draw): nearby seeds give unrelated draws, which
   consecutive seeds of an LCG such as rand48 would not. */
static uint64_t Mix(uint64_t a, uint64_t b, uint64_t c)
{
  uint64_t z =
    a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL) * 0xBF58476D1CE4E5B9ULL ^ (c + 1) * 0x94D049BB133111EBULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return (z ^ (z >> 31)) & 0xFFFFFFFFFFFFULL; /* rand48 keeps 48 bits */
}

/* Choose uniformly among the nties due events of member m with priority prio. */
static PetscErrorCode BreakTie(GepEnsemble e, PetscInt m, PetscReal t, PetscReal tol, PetscReal prio, PetscInt nties,
                               PetscInt *best)
{
  PetscReal u, p    = 0;
  PetscInt  pick, k = 0;

  PetscFunctionBegin;
  if (!e->tierng) {
    PetscCall(PetscRandomCreate(PETSC_COMM_SELF, &e->tierng));
    PetscCall(PetscRandomSetType(e->tierng, PETSCRAND48));
  }
  PetscCall(PetscRandomSetSeed(
    e->tierng, (unsigned long)Mix((uint64_t)e->seed, (uint64_t)(e->first + m), (uint64_t)e->ndraw[m]++)));
  PetscCall(PetscRandomSeed(e->tierng));
  PetscCall(PetscRandomGetValueReal(e->tierng, &u));
  pick = PetscMin((PetscInt)(u * nties), nties - 1);
  for (PetscInt i = 0; i < e->npend; i++) {
    if (!IsDue(e, i, m, t, tol)) continue;
    PetscCall(Priority(e, i, m, &p));
    if (p != prio) continue;
    if (k++ == pick) {
      *best = i;
      break;
    }
  }
  PetscFunctionReturn(0);
}

/* Handle everything due at time t: edges, then due executions one per member
   at a time in priority order, re-checking triggers after each. *executed
   tells, on every rank, whether any member's state was changed. */
PetscErrorCode GepEnsembleEventsProcess(GepEnsemble e, PetscReal t, PetscScalar x[], PetscBool *executed)
{
  PetscReal tol = 1e-10 * PetscMax(1.0, PetscAbsReal(t));
  PetscBool any = PETSC_FALSE;

  PetscFunctionBegin;
  *executed = PETSC_FALSE;
  if (!e->nev) PetscFunctionReturn(0);
  for (PetscInt iter = 0;; iter++) {
    PetscBool ran = PETSC_FALSE;
    PetscCheck(iter < 100000, PETSC_COMM_SELF, PETSC_ERR_USER,
               "events keep firing at t = %g (an event re-triggers itself)", (double)t);
    PetscCall(Evaluate(e, t, x));
    PetscCall(Edges(e, t));
    for (PetscInt m = 0; m < e->nloc; m++) {
      PetscInt            best = -1, nties = 0;
      PetscReal           bestprio = 0;
      const GepEventInfo *info;
      /* highest priority among the due events; ties are broken at random (SBML),
         with a draw seeded by the ensemble seed, the member and a counter, so the
         choice does not depend on the number of ranks */
      for (PetscInt pass = 0; pass < 2; pass++) {
        for (PetscInt i = 0; i < e->npend; i++) {
          PetscReal prio = 0;
          if (!IsDue(e, i, m, t, tol)) continue;
          PetscCall(Priority(e, i, m, &prio));
          if (pass == 0 && (best < 0 || prio > bestprio)) {
            best     = i;
            bestprio = prio;
          } else if (pass == 1 && prio == bestprio) nties++;
        }
        if (best < 0) break;
      }
      if (nties > 1) PetscCall(BreakTie(e, m, t, tol, bestprio, nties, &best));
      if (best < 0) continue;
      PetscCall(GepModelGetEventInfo(e->model, e->pend[best].event, &info));
      {
        const PetscReal *val =
          e->pend[best].values ? e->pend[best].values : e->evbuf + m * e->nevout + info->out_assign;
        for (PetscInt j = 0; j < info->nassign; j++) x[m * e->ns + info->state[j]] = val[j];
      }
      PetscCall(Remove(e, best));
      ran = PETSC_TRUE;
    }
    if (!ran) break;
    any = PETSC_TRUE;
  }
  PetscCallMPI(MPI_Allreduce(&any, executed, 1, MPIU_BOOL, MPI_LOR, e->scomm));
  PetscFunctionReturn(0);
}

/* Earliest pending execution time over the solver's ranks (PETSC_MAX_REAL if none). */
PetscErrorCode GepEnsembleEventsNextTime(GepEnsemble e, PetscReal *t)
{
  PetscReal local = PETSC_MAX_REAL;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < e->npend; i++) local = PetscMin(local, e->pend[i].time);
  PetscCallMPI(MPI_Allreduce(&local, t, 1, MPIU_REAL, MPI_MIN, e->scomm));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleEventsDestroy(GepEnsemble e)
{
  PetscFunctionBegin;
  while (e->npend) PetscCall(Remove(e, e->npend - 1));
  PetscCall(PetscFree(e->pend));
  if (e->trig) PetscCall(PetscFree2(e->trig, e->evbuf));
  PetscCall(PetscFree(e->ndraw));
  PetscCall(PetscFree(e->rootpos));
  PetscCall(VecDestroy(&e->Xi));
  PetscCall(PetscRandomDestroy(&e->tierng));
  PetscFunctionReturn(0);
}
