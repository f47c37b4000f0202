/* Translate libSBML ASTs into DAG nodes. Function definitions are inlined
   with their arguments bound to the caller's nodes; names resolve through the
   lambda bindings, then the reaction's local parameters, then the model. */
#include <string.h>
#include "modelimpl.h"

typedef struct GepBinding {
  const char              *name;
  PetscInt                 node;
  const struct GepBinding *next;
} GepBinding;

typedef struct {
  GepBuild   *b;
  PetscInt    scope;
  const char *where;
  PetscInt    depth;
  PetscBool   closed; /* a formula: names are its inputs only, not the model's symbols */
} GepMathCtx;

static PetscErrorCode Translate(GepMathCtx *, const ASTNode_t *, const GepBinding *, PetscInt *);

#define CTXFILE ctx->b->model->file

static PetscErrorCode Child(GepMathCtx *ctx, const ASTNode_t *a, unsigned i, const GepBinding *env, PetscInt *n)
{
  PetscFunctionBegin;
  PetscCall(Translate(ctx, ASTNode_getChild(a, i), env, n));
  PetscFunctionReturn(0);
}

/* n-ary fold of a binary op over all children; empty gives `unit`. */
static PetscErrorCode Fold(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, GepOp op, PetscReal unit,
                           PetscInt *n)
{
  unsigned nc = ASTNode_getNumChildren(a);
  PetscInt x;

  PetscFunctionBegin;
  if (!nc) {
    PetscCall(GepExprConst(ctx->b->e, unit, n));
    PetscFunctionReturn(0);
  }
  PetscCall(Child(ctx, a, 0, env, n));
  for (unsigned i = 1; i < nc; i++) {
    PetscCall(Child(ctx, a, i, env, &x));
    PetscCall(GepExprBinary(ctx->b->e, op, *n, x, n));
  }
  PetscFunctionReturn(0);
}

/* (a op b) and (b op c) and ...: MathML relations are n-ary chains. */
static PetscErrorCode Relation(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, GepOp op, PetscInt *n)
{
  unsigned nc = ASTNode_getNumChildren(a);
  PetscInt x, y, r;

  PetscFunctionBegin;
  PetscCheck(nc >= 2, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: relational operator with %u argument(s) in %s",
             CTXFILE, nc, ctx->where);
  PetscCall(GepExprConst(ctx->b->e, 1.0, n));
  PetscCall(Child(ctx, a, 0, env, &x));
  for (unsigned i = 1; i < nc; i++) {
    PetscCall(Child(ctx, a, i, env, &y));
    PetscCall(GepExprBinary(ctx->b->e, op, x, y, &r));
    PetscCall(GepExprBinary(ctx->b->e, GEP_OP_AND, *n, r, n));
    x = y;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Unary(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, GepOp op, PetscInt *n)
{
  PetscInt x;

  PetscFunctionBegin;
  PetscCheck(ASTNode_getNumChildren(a) == 1, PETSC_COMM_SELF, PETSC_ERR_USER,
             "model %s: function with %u arguments where 1 is expected in %s", CTXFILE, ASTNode_getNumChildren(a),
             ctx->where);
  PetscCall(Child(ctx, a, 0, env, &x));
  PetscCall(GepExprUnary(ctx->b->e, op, x, n));
  PetscFunctionReturn(0);
}

/* f(1/x) for the reciprocal trigonometric functions. */
static PetscErrorCode UnaryOfInverse(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, GepOp op, PetscInt *n)
{
  PetscInt x, one;

  PetscFunctionBegin;
  PetscCheck(ASTNode_getNumChildren(a) == 1, PETSC_COMM_SELF, PETSC_ERR_USER,
             "model %s: function with %u arguments where 1 is expected in %s", CTXFILE, ASTNode_getNumChildren(a),
             ctx->where);
  PetscCall(Child(ctx, a, 0, env, &x));
  PetscCall(GepExprConst(ctx->b->e, 1.0, &one));
  PetscCall(GepExprBinary(ctx->b->e, GEP_OP_DIV, one, x, &x));
  PetscCall(GepExprUnary(ctx->b->e, op, x, n));
  PetscFunctionReturn(0);
}

/* 1/f(x) for sec, csc, cot and their hyperbolic versions. */
static PetscErrorCode InverseOfUnary(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, GepOp op, PetscInt *n)
{
  PetscInt x, one;

  PetscFunctionBegin;
  PetscCall(Unary(ctx, a, env, op, &x));
  PetscCall(GepExprConst(ctx->b->e, 1.0, &one));
  PetscCall(GepExprBinary(ctx->b->e, GEP_OP_DIV, one, x, n));
  PetscFunctionReturn(0);
}

static PetscErrorCode Binary(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, GepOp op, PetscInt *n)
{
  PetscInt x, y;

  PetscFunctionBegin;
  PetscCheck(ASTNode_getNumChildren(a) == 2, PETSC_COMM_SELF, PETSC_ERR_USER,
             "model %s: function with %u arguments where 2 are expected in %s", CTXFILE, ASTNode_getNumChildren(a),
             ctx->where);
  PetscCall(Child(ctx, a, 0, env, &x));
  PetscCall(Child(ctx, a, 1, env, &y));
  PetscCall(GepExprBinary(ctx->b->e, op, x, y, n));
  PetscFunctionReturn(0);
}

static PetscErrorCode Piecewise(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, PetscInt *n)
{
  unsigned nc = ASTNode_getNumChildren(a);
  PetscInt v, c;

  PetscFunctionBegin;
  if (nc % 2) PetscCall(Child(ctx, a, nc - 1, env, n)); /* otherwise */
  else PetscCall(GepExprConst(ctx->b->e, NAN, n));      /* no piece applies: undefined */
  for (int i = (int)(nc / 2) - 1; i >= 0; i--) {
    PetscCall(Child(ctx, a, 2 * (unsigned)i, env, &v));
    PetscCall(Child(ctx, a, 2 * (unsigned)i + 1, env, &c));
    PetscCall(GepExprSelect(ctx->b->e, c, v, *n, n));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode CallFunction(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, PetscInt *n)
{
  GepModel                    m  = ctx->b->model;
  const FunctionDefinition_t *fd = Model_getFunctionDefinitionById(m->sbml, ASTNode_getName(a));
  unsigned                    nargs;
  GepBinding                 *bind;

  PetscFunctionBegin;
  PetscCheck(fd, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: call of unknown function '%s' in %s", m->file,
             ASTNode_getName(a), ctx->where);
  PetscCheck(FunctionDefinition_getBody(fd), PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: function '%s' has no body",
             m->file, ASTNode_getName(a));
  nargs = FunctionDefinition_getNumArguments(fd);
  PetscCheck(nargs == ASTNode_getNumChildren(a), PETSC_COMM_SELF, PETSC_ERR_USER,
             "model %s: function '%s' takes %u arguments, called with %u in %s", m->file, ASTNode_getName(a), nargs,
             ASTNode_getNumChildren(a), ctx->where);
  PetscCheck(ctx->depth < 100, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: function '%s' is recursive", m->file,
             ASTNode_getName(a));
  PetscCall(PetscMalloc1(nargs + 1, &bind));
  for (unsigned i = 0; i < nargs; i++) {
    bind[i].name = ASTNode_getName(FunctionDefinition_getArgument(fd, i));
    PetscCall(Child(ctx, a, i, env, &bind[i].node));
    bind[i].next = NULL; /* a function body sees only its own arguments */
    if (i) bind[i - 1].next = &bind[i];
  }
  ctx->depth++;
  PetscCall(Translate(ctx, FunctionDefinition_getBody(fd), nargs ? bind : NULL, n));
  ctx->depth--;
  PetscCall(PetscFree(bind));
  PetscFunctionReturn(0);
}

static PetscErrorCode Name(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, PetscInt *n)
{
  const char *name = ASTNode_getName(a);
  PetscInt    k;

  PetscFunctionBegin;
  for (const GepBinding *b = env; b; b = b->next)
    if (!strcmp(b->name, name)) {
      *n = b->node;
      PetscFunctionReturn(0);
    }
  PetscCheck(!ctx->closed, PETSC_COMM_SELF, PETSC_ERR_USER, "unknown name '%s' in %s", name, ctx->where);
  PetscCall(GepModelFindSymbol(ctx->b->model, name, ctx->scope, &k));
  PetscCheck(k >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: unknown symbol '%s' in %s", CTXFILE, name, ctx->where);
  PetscCall(GepBuildSymbol(ctx->b, k, n));
  PetscFunctionReturn(0);
}

/* MathML's functions of one argument: f(x), 1/f(x) (sec, csc, cot, ...) or f(1/x) (arcsec, ...) */
typedef enum { GEP_FORM_F, GEP_FORM_INVERSE_OF_F, GEP_FORM_F_OF_INVERSE } GepFunctionForm;
static const struct {
  ASTNodeType_t   type;
  GepOp           op;
  GepFunctionForm form;
} functions[] = {
  {AST_FUNCTION_LN, GEP_OP_LOG, GEP_FORM_F},
  {AST_FUNCTION_EXP, GEP_OP_EXP, GEP_FORM_F},
  {AST_FUNCTION_ABS, GEP_OP_ABS, GEP_FORM_F},
  {AST_FUNCTION_FLOOR, GEP_OP_FLOOR, GEP_FORM_F},
  {AST_FUNCTION_CEILING, GEP_OP_CEIL, GEP_FORM_F},
  {AST_FUNCTION_FACTORIAL, GEP_OP_FACTORIAL, GEP_FORM_F},
  {AST_FUNCTION_SIN, GEP_OP_SIN, GEP_FORM_F},
  {AST_FUNCTION_COS, GEP_OP_COS, GEP_FORM_F},
  {AST_FUNCTION_TAN, GEP_OP_TAN, GEP_FORM_F},
  {AST_FUNCTION_SEC, GEP_OP_COS, GEP_FORM_INVERSE_OF_F},
  {AST_FUNCTION_CSC, GEP_OP_SIN, GEP_FORM_INVERSE_OF_F},
  {AST_FUNCTION_COT, GEP_OP_TAN, GEP_FORM_INVERSE_OF_F},
  {AST_FUNCTION_SINH, GEP_OP_SINH, GEP_FORM_F},
  {AST_FUNCTION_COSH, GEP_OP_COSH, GEP_FORM_F},
  {AST_FUNCTION_TANH, GEP_OP_TANH, GEP_FORM_F},
  {AST_FUNCTION_SECH, GEP_OP_COSH, GEP_FORM_INVERSE_OF_F},
  {AST_FUNCTION_CSCH, GEP_OP_SINH, GEP_FORM_INVERSE_OF_F},
  {AST_FUNCTION_COTH, GEP_OP_TANH, GEP_FORM_INVERSE_OF_F},
  {AST_FUNCTION_ARCSIN, GEP_OP_ASIN, GEP_FORM_F},
  {AST_FUNCTION_ARCCOS, GEP_OP_ACOS, GEP_FORM_F},
  {AST_FUNCTION_ARCTAN, GEP_OP_ATAN, GEP_FORM_F},
  {AST_FUNCTION_ARCSEC, GEP_OP_ACOS, GEP_FORM_F_OF_INVERSE},
  {AST_FUNCTION_ARCCSC, GEP_OP_ASIN, GEP_FORM_F_OF_INVERSE},
  {AST_FUNCTION_ARCCOT, GEP_OP_ATAN, GEP_FORM_F_OF_INVERSE},
  {AST_FUNCTION_ARCSINH, GEP_OP_ASINH, GEP_FORM_F},
  {AST_FUNCTION_ARCCOSH, GEP_OP_ACOSH, GEP_FORM_F},
  {AST_FUNCTION_ARCTANH, GEP_OP_ATANH, GEP_FORM_F},
  {AST_FUNCTION_ARCSECH, GEP_OP_ACOSH, GEP_FORM_F_OF_INVERSE},
  {AST_FUNCTION_ARCCSCH, GEP_OP_ASINH, GEP_FORM_F_OF_INVERSE},
  {AST_FUNCTION_ARCCOTH, GEP_OP_ATANH, GEP_FORM_F_OF_INVERSE},
};

static PetscErrorCode UnaryFunction(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, PetscBool *found,
                                    PetscInt *n)
{
  ASTNodeType_t type = ASTNode_getType(a);

  PetscFunctionBegin;
  *found = PETSC_FALSE;
  for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]) && !*found; i++) {
    if (functions[i].type != type) continue;
    *found = PETSC_TRUE;
    if (functions[i].form == GEP_FORM_F) PetscCall(Unary(ctx, a, env, functions[i].op, n));
    else if (functions[i].form == GEP_FORM_INVERSE_OF_F) PetscCall(InverseOfUnary(ctx, a, env, functions[i].op, n));
    else PetscCall(UnaryOfInverse(ctx, a, env, functions[i].op, n));
  }
  PetscFunctionReturn(0);
}

/* root(degree, x) or sqrt(x) */
static PetscErrorCode Root(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, PetscInt *n)
{
  GepExpr  e = ctx->b->e;
  PetscInt x, y;

  PetscFunctionBegin;
  if (ASTNode_getNumChildren(a) == 1) {
    PetscCall(Child(ctx, a, 0, env, &x));
    PetscCall(GepExprConst(e, 0.5, &y));
  } else {
    PetscInt one, d;
    PetscCall(Child(ctx, a, 0, env, &d));
    PetscCall(Child(ctx, a, 1, env, &x));
    PetscCall(GepExprConst(e, 1.0, &one));
    PetscCall(GepExprBinary(e, GEP_OP_DIV, one, d, &y));
  }
  PetscCall(GepExprBinary(e, GEP_OP_POW, x, y, n));
  PetscFunctionReturn(0);
}

/* log(base, x) or log10(x) */
static PetscErrorCode Log(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, PetscInt *n)
{
  GepExpr  e = ctx->b->e;
  PetscInt x, y;

  PetscFunctionBegin;
  if (ASTNode_getNumChildren(a) == 1) {
    PetscCall(Child(ctx, a, 0, env, &x));
    PetscCall(GepExprConst(e, 10.0, &y));
  } else {
    PetscCall(Child(ctx, a, 0, env, &y));
    PetscCall(Child(ctx, a, 1, env, &x));
  }
  PetscCall(GepExprUnary(e, GEP_OP_LOG, x, &x));
  PetscCall(GepExprUnary(e, GEP_OP_LOG, y, &y));
  PetscCall(GepExprBinary(e, GEP_OP_DIV, x, y, n));
  PetscFunctionReturn(0);
}

/* a implies b: (not a) or b */
static PetscErrorCode Implies(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, PetscInt *n)
{
  PetscInt x, y;

  PetscFunctionBegin;
  PetscCheck(ASTNode_getNumChildren(a) == 2, PETSC_COMM_SELF, PETSC_ERR_USER,
             "model %s: implies needs 2 arguments in %s", CTXFILE, ctx->where);
  PetscCall(Child(ctx, a, 0, env, &x));
  PetscCall(Child(ctx, a, 1, env, &y));
  PetscCall(GepExprUnary(ctx->b->e, GEP_OP_NOT, x, &x));
  PetscCall(GepExprBinary(ctx->b->e, GEP_OP_OR, x, y, n));
  PetscFunctionReturn(0);
}

/* rateOf(symbol) */
static PetscErrorCode RateOf(GepMathCtx *ctx, const ASTNode_t *a, PetscInt *n)
{
  const ASTNode_t *c = ASTNode_getNumChildren(a) == 1 ? ASTNode_getChild(a, 0) : NULL;
  PetscInt         k = -1;

  PetscFunctionBegin;
  PetscCheck(c && ASTNode_getType(c) == AST_NAME, PETSC_COMM_SELF, PETSC_ERR_USER,
             "model %s: rateOf() takes one symbol in %s", CTXFILE, ctx->where);
  PetscCall(GepModelFindSymbol(ctx->b->model, ASTNode_getName(c), ctx->scope, &k));
  PetscCheck(k >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: unknown symbol '%s' in rateOf() in %s", CTXFILE,
             ASTNode_getName(c), ctx->where);
  PetscCall(GepBuildRateOf(ctx->b, k, ctx->where, n));
  PetscFunctionReturn(0);
}

static PetscErrorCode Translate(GepMathCtx *ctx, const ASTNode_t *a, const GepBinding *env, PetscInt *n)
{
  GepExpr   e = ctx->b->e;
  PetscBool function;

  PetscFunctionBegin;
  PetscCheck(a, PETSC_COMM_SELF, PETSC_ERR_USER, "model %s: missing math in %s", CTXFILE, ctx->where);
  PetscCall(UnaryFunction(ctx, a, env, &function, n));
  if (function) PetscFunctionReturn(0);
  switch (ASTNode_getType(a)) {
  case AST_INTEGER: PetscCall(GepExprConst(e, (PetscReal)ASTNode_getInteger(a), n)); break;
  case AST_REAL:
  case AST_REAL_E:
  case AST_RATIONAL: PetscCall(GepExprConst(e, ASTNode_getReal(a), n)); break;
  case AST_CONSTANT_E: PetscCall(GepExprConst(e, M_E, n)); break;
  case AST_CONSTANT_PI: PetscCall(GepExprConst(e, M_PI, n)); break;
  case AST_CONSTANT_TRUE: PetscCall(GepExprConst(e, 1.0, n)); break;
  case AST_CONSTANT_FALSE: PetscCall(GepExprConst(e, 0.0, n)); break;
  case AST_NAME_AVOGADRO: PetscCall(GepExprConst(e, 6.02214179e23, n)); break;
  case AST_NAME_TIME:
    PetscCheck(!ctx->closed, PETSC_COMM_SELF, PETSC_ERR_USER, "'time' has no value in %s", ctx->where);
    PetscCall(GepExprVar(e, GEP_SLOT_TIME, n));
    break;
  case AST_NAME: PetscCall(Name(ctx, a, env, n)); break;
  case AST_FUNCTION: PetscCall(CallFunction(ctx, a, env, n)); break;
  case AST_PLUS: PetscCall(Fold(ctx, a, env, GEP_OP_ADD, 0.0, n)); break;
  case AST_TIMES: PetscCall(Fold(ctx, a, env, GEP_OP_MUL, 1.0, n)); break;
  case AST_MINUS:
    if (ASTNode_getNumChildren(a) == 1) PetscCall(Unary(ctx, a, env, GEP_OP_NEG, n));
    else PetscCall(Binary(ctx, a, env, GEP_OP_SUB, n));
    break;
  case AST_DIVIDE: PetscCall(Binary(ctx, a, env, GEP_OP_DIV, n)); break;
  case AST_POWER:
  case AST_FUNCTION_POWER: PetscCall(Binary(ctx, a, env, GEP_OP_POW, n)); break;
  case AST_FUNCTION_ROOT: PetscCall(Root(ctx, a, env, n)); break;
  case AST_FUNCTION_LOG: PetscCall(Log(ctx, a, env, n)); break;
  case AST_FUNCTION_PIECEWISE: PetscCall(Piecewise(ctx, a, env, n)); break;
  case AST_RELATIONAL_EQ: PetscCall(Relation(ctx, a, env, GEP_OP_EQ, n)); break;
  case AST_RELATIONAL_NEQ: PetscCall(Binary(ctx, a, env, GEP_OP_NE, n)); break;
  case AST_RELATIONAL_GT: PetscCall(Relation(ctx, a, env, GEP_OP_GT, n)); break;
  case AST_RELATIONAL_GEQ: PetscCall(Relation(ctx, a, env, GEP_OP_GE, n)); break;
  case AST_RELATIONAL_LT: PetscCall(Relation(ctx, a, env, GEP_OP_LT, n)); break;
  case AST_RELATIONAL_LEQ: PetscCall(Relation(ctx, a, env, GEP_OP_LE, n)); break;
  case AST_LOGICAL_AND: PetscCall(Fold(ctx, a, env, GEP_OP_AND, 1.0, n)); break;
  case AST_LOGICAL_OR: PetscCall(Fold(ctx, a, env, GEP_OP_OR, 0.0, n)); break;
  case AST_LOGICAL_XOR: PetscCall(Fold(ctx, a, env, GEP_OP_XOR, 0.0, n)); break;
  case AST_LOGICAL_NOT: PetscCall(Unary(ctx, a, env, GEP_OP_NOT, n)); break;
  case AST_LOGICAL_IMPLIES: PetscCall(Implies(ctx, a, env, n)); break;
  case AST_FUNCTION_MIN: PetscCall(Fold(ctx, a, env, GEP_OP_MIN, NAN, n)); break;
  case AST_FUNCTION_MAX: PetscCall(Fold(ctx, a, env, GEP_OP_MAX, NAN, n)); break;
  case AST_FUNCTION_REM: PetscCall(Binary(ctx, a, env, GEP_OP_REM, n)); break;
  case AST_FUNCTION_QUOTIENT: PetscCall(Binary(ctx, a, env, GEP_OP_QUOTIENT, n)); break;
  case AST_FUNCTION_DELAY:
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_SUP, "model %s: unsupported SBML feature: delay() in %s", CTXFILE, ctx->where);
  case AST_FUNCTION_RATE_OF:
    PetscCheck(!ctx->closed, PETSC_COMM_SELF, PETSC_ERR_USER, "rateOf() has no value in %s", ctx->where);
    PetscCall(RateOf(ctx, a, n));
    break;
  default:
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_SUP, "model %s: unsupported SBML feature: MathML element '%s' (type %d) in %s",
            CTXFILE, ASTNode_getName(a) ? ASTNode_getName(a) : "?", (int)ASTNode_getType(a), ctx->where);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepBuildMath(GepBuild *b, const ASTNode_t *a, PetscInt scope, const char where[], PetscInt *n)
{
  GepMathCtx ctx = {b, scope, where, 0, PETSC_FALSE};

  PetscFunctionBegin;
  PetscCall(Translate(&ctx, a, NULL, n));
  PetscFunctionReturn(0);
}

/* math over named inputs only (the model's function definitions may be called) */
PetscErrorCode GepBuildFormula(GepBuild *b, const ASTNode_t *a, PetscInt nvars, const char *const names[],
                               const PetscInt nodes[], const char where[], PetscInt *n)
{
  GepMathCtx  ctx = {b, -1, where, 0, PETSC_TRUE};
  GepBinding *bind;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(nvars + 1, &bind));
  for (PetscInt i = 0; i < nvars; i++) {
    bind[i].name = names[i];
    bind[i].node = nodes[i];
    bind[i].next = i + 1 < nvars ? &bind[i + 1] : NULL;
  }
  PetscCall(Translate(&ctx, a, nvars ? bind : NULL, n));
  PetscCall(PetscFree(bind));
  PetscFunctionReturn(0);
}
