/* Hash-consed expression DAG with constant folding and local simplification. */
#include <string.h>
#include "opeval.h"

struct _n_GepExpr {
  GepNode  *nodes;
  PetscInt  n, cap;
  PetscInt *table; /* open addressing: node id + 1, 0 = empty */
  PetscInt  tcap;
  PetscInt *dmemo; /* derivative memo for dslot: node -> derivative node, -1 unknown */
  PetscInt  dcap, dslot;
};

PetscErrorCode GepExprCreate(GepExpr *e)
{
  PetscFunctionBegin;
  PetscCall(PetscNew(e));
  (*e)->dslot = -1;
  PetscFunctionReturn(0);
}

PetscErrorCode GepExprDestroy(GepExpr *e)
{
  PetscFunctionBegin;
  if (!*e) PetscFunctionReturn(0);
  PetscCall(PetscFree((*e)->nodes));
  PetscCall(PetscFree((*e)->table));
  PetscCall(PetscFree((*e)->dmemo));
  PetscCall(PetscFree(*e));
  PetscFunctionReturn(0);
}

static PetscInt NodeHash(const GepNode *k, PetscInt cap)
{
  uint64_t h = 1469598103934665603ULL, v;
  memcpy(&v, &k->value, sizeof(v));
  h = (h ^ (uint64_t)k->op) * 1099511628211ULL;
  h = (h ^ (uint64_t)k->a) * 1099511628211ULL;
  h = (h ^ (uint64_t)k->b) * 1099511628211ULL;
  h = (h ^ (uint64_t)k->c) * 1099511628211ULL;
  h = (h ^ v) * 1099511628211ULL;
  return (PetscInt)(h % (uint64_t)cap);
}

static PetscBool NodeEqual(const GepNode *x, const GepNode *y)
{
  return (PetscBool)(x->op == y->op && x->a == y->a && x->b == y->b && x->c == y->c &&
                     memcmp(&x->value, &y->value, sizeof(PetscReal)) == 0);
}

static PetscErrorCode TableRehash(GepExpr e)
{
  PetscInt ncap = e->tcap ? 2 * e->tcap : 1024;

  PetscFunctionBegin;
  PetscCall(PetscFree(e->table));
  PetscCall(PetscCalloc1(ncap, &e->table));
  e->tcap = ncap;
  for (PetscInt i = 0; i < e->n; i++) {
    PetscInt h = NodeHash(&e->nodes[i], ncap);
    while (e->table[h]) h = (h + 1) % ncap;
    e->table[h] = i + 1;
  }
  PetscFunctionReturn(0);
}

/* Return the id of the node equal to *k, creating it if new. */
static PetscErrorCode Intern(GepExpr e, const GepNode *k, PetscInt *id)
{
  PetscInt h;

  PetscFunctionBegin;
  if (2 * (e->n + 1) > e->tcap) PetscCall(TableRehash(e));
  h = NodeHash(k, e->tcap);
  while (e->table[h]) {
    if (NodeEqual(&e->nodes[e->table[h] - 1], k)) {
      *id = e->table[h] - 1;
      PetscFunctionReturn(0);
    }
    h = (h + 1) % e->tcap;
  }
  if (e->n == e->cap) {
    PetscInt ncap = e->cap ? 2 * e->cap : 256;
    PetscCall(PetscRealloc(sizeof(GepNode) * ncap, &e->nodes));
    e->cap = ncap;
  }
  e->nodes[e->n] = *k;
  e->table[h]    = e->n + 1;
  *id            = e->n++;
  PetscFunctionReturn(0);
}

PetscErrorCode GepExprConst(GepExpr e, PetscReal v, PetscInt *id)
{
  GepNode k = {GEP_OP_CONST, -1, -1, -1, v};

  PetscFunctionBegin;
  if (v == 0) k.value = 0.0; /* one zero: -0.0 and 0.0 share a node */
  PetscCall(Intern(e, &k, id));
  PetscFunctionReturn(0);
}

PetscErrorCode GepExprVar(GepExpr e, PetscInt slot, PetscInt *id)
{
  GepNode k = {GEP_OP_VAR, slot, -1, -1, 0.0};

  PetscFunctionBegin;
  PetscCall(Intern(e, &k, id));
  PetscFunctionReturn(0);
}

static PetscBool IsConst(GepExpr e, PetscInt id, PetscReal v)
{
  return (PetscBool)(e->nodes[id].op == GEP_OP_CONST && e->nodes[id].value == v);
}

PetscErrorCode GepExprIsConst(GepExpr e, PetscInt id, PetscReal v, PetscBool *flg)
{
  PetscFunctionBegin;
  *flg = IsConst(e, id, v);
  PetscFunctionReturn(0);
}

PetscErrorCode GepExprUnary(GepExpr e, GepOp op, PetscInt a, PetscInt *id)
{
  GepNode k = {op, a, -1, -1, 0.0};

  PetscFunctionBegin;
  PetscCheck(a >= 0 && a < e->n, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Invalid child node %" PetscInt_FMT, a);
  if (e->nodes[a].op == GEP_OP_CONST) {
    PetscCall(GepExprConst(e, GepOpEval(op, e->nodes[a].value, 0, 0), id));
    PetscFunctionReturn(0);
  }
  if (op == GEP_OP_NEG && e->nodes[a].op == GEP_OP_NEG) {
    *id = e->nodes[a].a;
    PetscFunctionReturn(0);
  }
  PetscCall(Intern(e, &k, id));
  PetscFunctionReturn(0);
}

/* x + 0, 0 + x, x - 0, 0 - x, x * 0, x * 1, x * -1, x / 1, 0 / x, x ^ 1, x ^ 0: the simpler node, else -1 */
static PetscErrorCode Simplify(GepExpr e, GepOp op, PetscInt a, PetscInt b, PetscInt *id)
{
  PetscFunctionBegin;
  *id = -1;
  switch (op) {
  case GEP_OP_ADD:
    if (IsConst(e, a, 0)) *id = b;
    else if (IsConst(e, b, 0)) *id = a;
    break;
  case GEP_OP_SUB:
    if (IsConst(e, b, 0)) *id = a;
    else if (IsConst(e, a, 0)) PetscCall(GepExprUnary(e, GEP_OP_NEG, b, id));
    break;
  case GEP_OP_MUL:
    if (IsConst(e, a, 0) || IsConst(e, b, 0)) PetscCall(GepExprConst(e, 0.0, id));
    else if (IsConst(e, a, 1)) *id = b;
    else if (IsConst(e, b, 1)) *id = a;
    else if (IsConst(e, a, -1)) PetscCall(GepExprUnary(e, GEP_OP_NEG, b, id));
    else if (IsConst(e, b, -1)) PetscCall(GepExprUnary(e, GEP_OP_NEG, a, id));
    break;
  case GEP_OP_DIV:
    if (IsConst(e, b, 1)) *id = a;
    else if (IsConst(e, a, 0)) PetscCall(GepExprConst(e, 0.0, id));
    break;
  case GEP_OP_POW:
    if (IsConst(e, b, 1)) *id = a;
    else if (IsConst(e, b, 0)) PetscCall(GepExprConst(e, 1.0, id));
    break;
  default: break;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepExprBinary(GepExpr e, GepOp op, PetscInt a, PetscInt b, PetscInt *id)
{
  GepNode k = {op, a, b, -1, 0.0};

  PetscFunctionBegin;
  PetscCheck(a >= 0 && a < e->n && b >= 0 && b < e->n, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "Invalid child node %" PetscInt_FMT " or %" PetscInt_FMT " of %" PetscInt_FMT, a, b, e->n);
  if (e->nodes[a].op == GEP_OP_CONST && e->nodes[b].op == GEP_OP_CONST) {
    PetscCall(GepExprConst(e, GepOpEval(op, e->nodes[a].value, e->nodes[b].value, 0), id));
    PetscFunctionReturn(0);
  }
  PetscCall(Simplify(e, op, a, b, id));
  if (*id >= 0) PetscFunctionReturn(0);
  if ((op == GEP_OP_ADD || op == GEP_OP_MUL) && a > b) { /* one node for a + b and b + a */
    k.a = b;
    k.b = a;
  }
  PetscCall(Intern(e, &k, id));
  PetscFunctionReturn(0);
}

PetscErrorCode GepExprSelect(GepExpr e, PetscInt c, PetscInt t, PetscInt f, PetscInt *id)
{
  GepNode k = {GEP_OP_SELECT, c, t, f, 0.0};

  PetscFunctionBegin;
  PetscCheck(c >= 0 && c < e->n && t >= 0 && t < e->n && f >= 0 && f < e->n, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "Invalid child node");
  if (e->nodes[c].op == GEP_OP_CONST) {
    *id = e->nodes[c].value != 0 ? t : f;
    PetscFunctionReturn(0);
  }
  if (t == f) {
    *id = t;
    PetscFunctionReturn(0);
  }
  PetscCall(Intern(e, &k, id));
  PetscFunctionReturn(0);
}

PetscErrorCode GepExprGetNode(GepExpr e, PetscInt id, const GepNode **node)
{
  PetscFunctionBegin;
  PetscCheck(id >= 0 && id < e->n, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Invalid node %" PetscInt_FMT, id);
  *node = &e->nodes[id];
  PetscFunctionReturn(0);
}

PetscErrorCode GepExprGetSize(GepExpr e, PetscInt *n)
{
  PetscFunctionBegin;
  *n = e->n;
  PetscFunctionReturn(0);
}

/* Shorthands for the derivative rules below. */
#define C(v, out)        PetscCall(GepExprConst(e, v, out))
#define U(op, x, out)    PetscCall(GepExprUnary(e, op, x, out))
#define B(op, x, y, out) PetscCall(GepExprBinary(e, op, x, y, out))

/* d/dx f(a) = f'(a) * da, for unary f; fprime is built from a. */
static PetscErrorCode UnaryPrime(GepExpr e, GepOp op, PetscInt a, PetscInt self, PetscInt *fp)
{
  PetscInt one, t, u, v;

  PetscFunctionBegin;
  C(1.0, &one);
  switch (op) {
  case GEP_OP_NEG: C(-1.0, fp); break;
  case GEP_OP_EXP: *fp = self; break;
  case GEP_OP_LOG: B(GEP_OP_DIV, one, a, fp); break;
  case GEP_OP_SIN: U(GEP_OP_COS, a, fp); break;
  case GEP_OP_COS:
    U(GEP_OP_SIN, a, &t);
    U(GEP_OP_NEG, t, fp);
    break;
  case GEP_OP_TAN:
    B(GEP_OP_MUL, self, self, &t);
    B(GEP_OP_ADD, one, t, fp);
    break;
  case GEP_OP_ASIN: /* 1/sqrt(1-a^2) */
  case GEP_OP_ACOS:
    B(GEP_OP_MUL, a, a, &t);
    B(GEP_OP_SUB, one, t, &u);
    C(-0.5, &v);
    B(GEP_OP_POW, u, v, fp);
    if (op == GEP_OP_ACOS) U(GEP_OP_NEG, *fp, fp);
    break;
  case GEP_OP_ATAN:
    B(GEP_OP_MUL, a, a, &t);
    B(GEP_OP_ADD, one, t, &u);
    B(GEP_OP_DIV, one, u, fp);
    break;
  case GEP_OP_SINH: U(GEP_OP_COSH, a, fp); break;
  case GEP_OP_COSH: U(GEP_OP_SINH, a, fp); break;
  case GEP_OP_TANH:
    B(GEP_OP_MUL, self, self, &t);
    B(GEP_OP_SUB, one, t, fp);
    break;
  case GEP_OP_ASINH:
    B(GEP_OP_MUL, a, a, &t);
    B(GEP_OP_ADD, t, one, &u);
    C(-0.5, &v);
    B(GEP_OP_POW, u, v, fp);
    break;
  case GEP_OP_ACOSH:
    B(GEP_OP_MUL, a, a, &t);
    B(GEP_OP_SUB, t, one, &u);
    C(-0.5, &v);
    B(GEP_OP_POW, u, v, fp);
    break;
  case GEP_OP_ATANH:
    B(GEP_OP_MUL, a, a, &t);
    B(GEP_OP_SUB, one, t, &u);
    B(GEP_OP_DIV, one, u, fp);
    break;
  case GEP_OP_ABS: U(GEP_OP_SIGN, a, fp); break;
  default: C(0.0, fp); break; /* piecewise constant (sign, floor, logic); factorial treated as such */
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Diff(GepExpr e, PetscInt id, PetscInt slot, PetscInt *d)
{
  GepNode  nd;
  PetscInt da = -1, db = -1, dc = -1, t, u, v, w;

  PetscFunctionBegin;
  if (id < e->dcap && e->dmemo[id] >= 0) {
    *d = e->dmemo[id];
    PetscFunctionReturn(0);
  }
  nd = e->nodes[id];
  if (nd.op == GEP_OP_CONST) C(0.0, d);
  else if (nd.op == GEP_OP_VAR) C(nd.a == slot ? 1.0 : 0.0, d);
  else {
    int arity = GepOpArity(nd.op);
    if (arity >= 1) PetscCall(Diff(e, nd.a, slot, &da));
    if (arity >= 2) PetscCall(Diff(e, nd.b, slot, &db));
    if (arity >= 3) PetscCall(Diff(e, nd.c, slot, &dc));
    switch (nd.op) {
    case GEP_OP_ADD: B(GEP_OP_ADD, da, db, d); break;
    case GEP_OP_SUB: B(GEP_OP_SUB, da, db, d); break;
    case GEP_OP_MUL:
      B(GEP_OP_MUL, da, nd.b, &t);
      B(GEP_OP_MUL, nd.a, db, &u);
      B(GEP_OP_ADD, t, u, d);
      break;
    case GEP_OP_DIV: /* (da - self*db)/b */
      B(GEP_OP_MUL, id, db, &t);
      B(GEP_OP_SUB, da, t, &u);
      B(GEP_OP_DIV, u, nd.b, d);
      break;
    case GEP_OP_POW:
      if (IsConst(e, db, 0)) { /* b * a^(b-1) * da */
        C(1.0, &t);
        B(GEP_OP_SUB, nd.b, t, &u);
        B(GEP_OP_POW, nd.a, u, &v);
        B(GEP_OP_MUL, nd.b, v, &w);
        B(GEP_OP_MUL, w, da, d);
      } else { /* self * (db*log(a) + b*da/a) */
        U(GEP_OP_LOG, nd.a, &t);
        B(GEP_OP_MUL, db, t, &u);
        B(GEP_OP_MUL, nd.b, da, &t);
        B(GEP_OP_DIV, t, nd.a, &v);
        B(GEP_OP_ADD, u, v, &w);
        B(GEP_OP_MUL, id, w, d);
      }
      break;
    case GEP_OP_SELECT: PetscCall(GepExprSelect(e, nd.a, db, dc, d)); break;
    case GEP_OP_MIN:
    case GEP_OP_MAX:
      B(nd.op == GEP_OP_MIN ? GEP_OP_LE : GEP_OP_GE, nd.a, nd.b, &t);
      PetscCall(GepExprSelect(e, t, da, db, d));
      break;
    case GEP_OP_REM: /* a - trunc(a/b)*b */
      U(GEP_OP_NEG, db, &t);
      B(GEP_OP_QUOTIENT, nd.a, nd.b, &u);
      B(GEP_OP_MUL, u, t, &v);
      B(GEP_OP_ADD, da, v, d);
      break;
    default:
      if (arity == 1) {
        PetscCall(UnaryPrime(e, nd.op, nd.a, id, &t));
        B(GEP_OP_MUL, t, da, d);
      } else C(0.0, d); /* relations, logic, quotient: piecewise constant */
    }
  }
  if (id >= e->dcap) {
    PetscInt ncap = PetscMax(2 * e->dcap, e->n + 256);
    PetscCall(PetscRealloc(sizeof(PetscInt) * ncap, &e->dmemo));
    for (PetscInt i = e->dcap; i < ncap; i++) e->dmemo[i] = -1;
    e->dcap = ncap;
  }
  e->dmemo[id] = *d;
  PetscFunctionReturn(0);
}

/* Symbolic derivative of node with respect to input slot. Memoised per slot. */
PetscErrorCode GepExprDiff(GepExpr e, PetscInt id, PetscInt slot, PetscInt *d)
{
  PetscFunctionBegin;
  PetscCheck(id >= 0 && id < e->n, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Invalid node %" PetscInt_FMT, id);
  if (slot != e->dslot) {
    for (PetscInt i = 0; i < e->dcap; i++) e->dmemo[i] = -1;
    e->dslot = slot;
  }
  PetscCall(Diff(e, id, slot, d));
  PetscFunctionReturn(0);
}
