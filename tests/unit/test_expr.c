/* Expression DAG and tape: every differentiable op's symbolic derivative against
   central finite differences (relative error <= 1e-6); every op's batched tape
   value against libm (or plain C for the logic) at many points, ties, zeros and
   integers among them (relative error <= 1e-13); hash-consing and constant
   folding. Prints only on failure, and counts the comparisons it made. */
#include <math.h>
#include "gepexpr.h"

static int      failures        = 0;
static PetscInt values_compared = 0;

#define EXPECT(cond, ...)                                            \
  do {                                                               \
    if (!(cond)) {                                                   \
      failures++;                                                    \
      PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAIL: " __VA_ARGS__)); \
    }                                                                \
  } while (0)

typedef struct {
  GepOp       op;
  int         arity;
  PetscReal   lo, hi; /* sample range of the arguments */
  const char *name;
} OpCase;

static const OpCase cases[] = {
  {GEP_OP_ADD, 2, -2, 2, "add"},       {GEP_OP_SUB, 2, -2, 2, "sub"},         {GEP_OP_MUL, 2, -2, 2, "mul"},
  {GEP_OP_DIV, 2, 0.5, 2, "div"},      {GEP_OP_POW, 2, 0.5, 2, "pow"},        {GEP_OP_NEG, 1, -2, 2, "neg"},
  {GEP_OP_EXP, 1, -2, 2, "exp"},       {GEP_OP_LOG, 1, 0.2, 3, "log"},        {GEP_OP_SIN, 1, -2, 2, "sin"},
  {GEP_OP_COS, 1, -2, 2, "cos"},       {GEP_OP_TAN, 1, -1, 1, "tan"},         {GEP_OP_ASIN, 1, -0.8, 0.8, "asin"},
  {GEP_OP_ACOS, 1, -0.8, 0.8, "acos"}, {GEP_OP_ATAN, 1, -2, 2, "atan"},       {GEP_OP_SINH, 1, -2, 2, "sinh"},
  {GEP_OP_COSH, 1, -2, 2, "cosh"},     {GEP_OP_TANH, 1, -2, 2, "tanh"},       {GEP_OP_ASINH, 1, -2, 2, "asinh"},
  {GEP_OP_ACOSH, 1, 1.2, 3, "acosh"},  {GEP_OP_ATANH, 1, -0.8, 0.8, "atanh"}, {GEP_OP_ABS, 1, 0.2, 2, "abs"},
  {GEP_OP_MIN, 2, -2, 2, "min"},       {GEP_OP_MAX, 2, -2, 2, "max"},         {GEP_OP_REM, 2, 0.3, 3, "rem"},
};

/* The reference value of op(a, b): libm, or plain C for what libm lacks. Written
   apart from the tape's evaluator so that a wrong case there shows here. */
static PetscReal Reference(GepOp op, PetscReal a, PetscReal b, PetscReal c)
{
  switch (op) {
  case GEP_OP_ADD: return a + b;
  case GEP_OP_SUB: return a - b;
  case GEP_OP_MUL: return a * b;
  case GEP_OP_DIV: return a / b;
  case GEP_OP_POW: return pow(a, b);
  case GEP_OP_NEG: return -a;
  case GEP_OP_EXP: return exp(a);
  case GEP_OP_LOG: return log(a);
  case GEP_OP_SIN: return sin(a);
  case GEP_OP_COS: return cos(a);
  case GEP_OP_TAN: return tan(a);
  case GEP_OP_ASIN: return asin(a);
  case GEP_OP_ACOS: return acos(a);
  case GEP_OP_ATAN: return atan(a);
  case GEP_OP_SINH: return sinh(a);
  case GEP_OP_COSH: return cosh(a);
  case GEP_OP_TANH: return tanh(a);
  case GEP_OP_ASINH: return asinh(a);
  case GEP_OP_ACOSH: return acosh(a);
  case GEP_OP_ATANH: return atanh(a);
  case GEP_OP_ABS: return fabs(a);
  case GEP_OP_SIGN: return a > 0 ? 1.0 : (a < 0 ? -1.0 : 0.0);
  case GEP_OP_FLOOR: return floor(a);
  case GEP_OP_CEIL: return ceil(a);
  case GEP_OP_FACTORIAL: { /* arguments are whole numbers here */
    PetscReal f = 1;
    for (int k = 2; k <= (int)a; k++) f *= k;
    return f;
  }
  case GEP_OP_LT: return a < b;
  case GEP_OP_LE: return a <= b;
  case GEP_OP_GT: return a > b;
  case GEP_OP_GE: return a >= b;
  case GEP_OP_EQ: return a == b;
  case GEP_OP_NE: return a != b;
  case GEP_OP_AND: return a != 0 && b != 0;
  case GEP_OP_OR: return a != 0 || b != 0;
  case GEP_OP_XOR: return (a != 0) ^ (b != 0);
  case GEP_OP_NOT: return a == 0;
  case GEP_OP_SELECT: return a != 0 ? b : c;
  case GEP_OP_MIN: return fmin(a, b);
  case GEP_OP_MAX: return fmax(a, b);
  case GEP_OP_REM: return fmod(a, b);
  case GEP_OP_QUOTIENT: return (PetscReal)(long)(a / b); /* SBML's quotient truncates */
  default: return NAN;
  }
}

static void ExpectValue(const char *name, PetscReal got, PetscReal want, PetscReal a, PetscReal b)
{
  values_compared++;
  if (PetscAbsReal(got - want) <= 1e-13 * PetscMax(1.0, PetscAbsReal(want))) return;
  failures++;
  (void)PetscPrintf(PETSC_COMM_SELF, "FAIL: %s(%.17g, %.17g) = %.17g on the tape, %.17g by libm\n", name, (double)a,
                    (double)b, (double)got, (double)want);
}

/* the tape of outputs[] and a register file of batch size B, constants filled in */
static PetscErrorCode TapeWithRegisters(GepExpr e, PetscInt nslots, PetscInt nout, const PetscInt outputs[], PetscInt B,
                                        GepTape *tape, PetscReal **regs, const PetscInt **in, const PetscInt **outr)
{
  PetscInt nreg;

  PetscFunctionBegin;
  PetscCall(GepTapeCreate(e, nslots, nout, outputs, tape));
  PetscCall(GepTapeGetSizes(*tape, &nreg, NULL));
  PetscCall(PetscMalloc1(nreg * B, regs));
  PetscCall(GepTapeInitRegisters(*tape, B, *regs));
  PetscCall(GepTapeGetInputRegisters(*tape, in));
  PetscCall(GepTapeGetOutputRegisters(*tape, outr));
  PetscFunctionReturn(0);
}

typedef struct {
  GepOp       op;
  int         arity;
  const char *name;
} LogicCase;

/* Ops without derivatives (and min, max, select), on the tape directly over every pair
   of a grid with ties, zeros, negatives and whole numbers. */
static PetscErrorCode CheckValuesOnGrid(void)
{
  static const PetscReal grid[] = {-2.5, -1, -0.5, 0, 0.5, 1, 2, 3, 4.5, 6};
  static const LogicCase ops[]  = {
     {GEP_OP_SIGN, 1, "sign"},
     {GEP_OP_FLOOR, 1, "floor"},
     {GEP_OP_CEIL, 1, "ceil"},
     {GEP_OP_FACTORIAL, 1, "factorial"},
     {GEP_OP_NOT, 1, "not"},
     {GEP_OP_LT, 2, "lt"},
     {GEP_OP_LE, 2, "le"},
     {GEP_OP_GT, 2, "gt"},
     {GEP_OP_GE, 2, "ge"},
     {GEP_OP_EQ, 2, "eq"},
     {GEP_OP_NE, 2, "ne"},
     {GEP_OP_AND, 2, "and"},
     {GEP_OP_OR, 2, "or"},
     {GEP_OP_XOR, 2, "xor"},
     {GEP_OP_MIN, 2, "min"},
     {GEP_OP_MAX, 2, "max"},
     {GEP_OP_QUOTIENT, 2, "quotient"},
     {GEP_OP_REM, 2, "rem"},
     {GEP_OP_SELECT, 3, "select"},
  };
  const PetscInt n = (PetscInt)(sizeof(grid) / sizeof(grid[0])), B = n * n;

  PetscFunctionBegin;
  for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
    GepExpr         e;
    GepTape         tape;
    PetscInt        x, y, z, f;
    const PetscInt *in, *outr;
    PetscReal      *regs;

    PetscCall(GepExprCreate(&e));
    PetscCall(GepExprVar(e, 0, &x));
    PetscCall(GepExprVar(e, 1, &y));
    PetscCall(GepExprVar(e, 2, &z));
    if (ops[k].arity == 1) PetscCall(GepExprUnary(e, ops[k].op, x, &f));
    else if (ops[k].arity == 2) PetscCall(GepExprBinary(e, ops[k].op, x, y, &f));
    else PetscCall(GepExprSelect(e, x, y, z, &f));
    PetscCall(TapeWithRegisters(e, 3, 1, &f, B, &tape, &regs, &in, &outr));
    for (PetscInt m = 0; m < B; m++) {
      if (in[0] >= 0) regs[in[0] * B + m] = grid[m / n];
      if (in[1] >= 0) regs[in[1] * B + m] = grid[m % n];
      if (in[2] >= 0) regs[in[2] * B + m] = -7;
    }
    PetscCall(GepTapeEvaluate(tape, B, B, regs));
    for (PetscInt m = 0; m < B; m++) {
      PetscReal a = grid[m / n], b = grid[m % n];
      if (ops[k].op == GEP_OP_FACTORIAL && (a < 0 || a != floor(a))) continue; /* whole numbers only */
      if ((ops[k].op == GEP_OP_QUOTIENT || ops[k].op == GEP_OP_REM) && b == 0) continue;
      ExpectValue(ops[k].name, regs[outr[0] * B + m], Reference(ops[k].op, a, b, -7), a, b);
    }
    PetscCall(PetscFree(regs));
    PetscCall(GepTapeDestroy(&tape));
    PetscCall(GepExprDestroy(&e));
  }
  PetscFunctionReturn(0);
}

/* f(x, y) = op(g(x, y), h(x, y)) with g = x*y + 1 scaled into the op's range, h = x + y^2 likewise,
   so the chain rule through the children is exercised too. */
static PetscErrorCode CheckOp(const OpCase *c, PetscRandom r)
{
  GepExpr        e;
  GepTape        tape;
  PetscInt       x, y, g, h, f, dfx, dfy, t, u, out[3], nreg;
  PetscReal     *regs, xs[64], ys[64];
  const PetscInt B = 64, *in, *outr;

  PetscFunctionBegin;
  PetscCall(GepExprCreate(&e));
  PetscCall(GepExprVar(e, 0, &x));
  PetscCall(GepExprVar(e, 1, &y));
  /* g = lo + (hi-lo) * (0.25 + 0.5 * x*y), with x, y in [0,1] -> g within [lo, hi] */
  PetscCall(GepExprBinary(e, GEP_OP_MUL, x, y, &t));
  PetscCall(GepExprConst(e, 0.5 * (c->hi - c->lo), &u));
  PetscCall(GepExprBinary(e, GEP_OP_MUL, u, t, &t));
  PetscCall(GepExprConst(e, c->lo + 0.25 * (c->hi - c->lo), &u));
  PetscCall(GepExprBinary(e, GEP_OP_ADD, u, t, &g));
  PetscCall(GepExprBinary(e, GEP_OP_MUL, y, y, &t));
  PetscCall(GepExprBinary(e, GEP_OP_ADD, x, t, &t));
  PetscCall(GepExprConst(e, 0.25 * (c->hi - c->lo), &u));
  PetscCall(GepExprBinary(e, GEP_OP_MUL, u, t, &t));
  PetscCall(GepExprConst(e, c->lo + 0.1 * (c->hi - c->lo), &u));
  PetscCall(GepExprBinary(e, GEP_OP_ADD, u, t, &h));
  if (c->arity == 1) PetscCall(GepExprUnary(e, c->op, g, &f));
  else PetscCall(GepExprBinary(e, c->op, g, h, &f));
  PetscCall(GepExprDiff(e, f, 0, &dfx));
  PetscCall(GepExprDiff(e, f, 1, &dfy));
  out[0] = f;
  out[1] = dfx;
  out[2] = dfy;
  PetscCall(TapeWithRegisters(e, 2, 3, out, B, &tape, &regs, &in, &outr));
  PetscCall(GepTapeGetSizes(tape, &nreg, NULL)); /* the one-member files of the finite differences */
  for (PetscInt m = 0; m < B; m++) {
    PetscCall(PetscRandomGetValueReal(r, &xs[m]));
    PetscCall(PetscRandomGetValueReal(r, &ys[m]));
    xs[m]               = 0.1 + 0.8 * xs[m];
    ys[m]               = 0.1 + 0.8 * ys[m];
    regs[in[0] * B + m] = xs[m];
    if (in[1] >= 0) regs[in[1] * B + m] = ys[m];
  }
  PetscCall(GepTapeEvaluate(tape, B, B, regs));
  for (PetscInt m = 0; m < B; m++) { /* the value, from g and h computed here as the DAG defines them */
    PetscReal gv = c->lo + 0.25 * (c->hi - c->lo) + 0.5 * (c->hi - c->lo) * (xs[m] * ys[m]);
    PetscReal hv = c->lo + 0.1 * (c->hi - c->lo) + 0.25 * (c->hi - c->lo) * (xs[m] + ys[m] * ys[m]);
    ExpectValue(c->name, regs[outr[0] * B + m], Reference(c->op, gv, hv, 0), gv, hv);
  }
  for (PetscInt m = 0; m < B; m++) {
    for (int v = 0; v < 2; v++) {
      /* central difference of the tape's own f with step 1e-5 */
      PetscReal  hstep = 1e-5, fp, fm, fd, an = regs[outr[1 + v] * B + m];
      PetscReal *regs1;
      PetscCall(PetscMalloc1(nreg, &regs1));
      PetscCall(GepTapeInitRegisters(tape, 1, regs1));
      regs1[in[0]] = xs[m] + (v == 0 ? hstep : 0);
      if (in[1] >= 0) regs1[in[1]] = ys[m] + (v == 1 ? hstep : 0);
      PetscCall(GepTapeEvaluate(tape, 1, 1, regs1));
      fp           = regs1[outr[0]];
      regs1[in[0]] = xs[m] - (v == 0 ? hstep : 0);
      if (in[1] >= 0) regs1[in[1]] = ys[m] - (v == 1 ? hstep : 0);
      PetscCall(GepTapeEvaluate(tape, 1, 1, regs1));
      fm = regs1[outr[0]];
      fd = (fp - fm) / (2 * hstep);
      PetscCall(PetscFree(regs1));
      EXPECT(PetscAbsReal(fd - an) <= 1e-6 * PetscMax(1.0, PetscAbsReal(fd)),
             "%s: d/d%s = %.12g, finite difference %.12g\n", c->name, v ? "y" : "x", (double)an, (double)fd);
    }
  }
  PetscCall(PetscFree(regs));
  PetscCall(GepTapeDestroy(&tape));
  PetscCall(GepExprDestroy(&e));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckStructure(void)
{
  GepExpr   e;
  PetscInt  x, a, b, c2, c3, s, n0, n1;
  PetscBool flg;

  PetscFunctionBegin;
  PetscCall(GepExprCreate(&e));
  PetscCall(GepExprVar(e, 0, &x));
  PetscCall(GepExprConst(e, 2.0, &c2));
  PetscCall(GepExprConst(e, 3.0, &c3));
  PetscCall(GepExprBinary(e, GEP_OP_ADD, c2, c3, &s));
  PetscCall(GepExprIsConst(e, s, 5.0, &flg));
  EXPECT(flg, "2 + 3 does not fold to the constant 5\n");
  PetscCall(GepExprBinary(e, GEP_OP_MUL, x, c2, &a));
  PetscCall(GepExprGetSize(e, &n0));
  PetscCall(GepExprBinary(e, GEP_OP_MUL, c2, x, &b));
  PetscCall(GepExprGetSize(e, &n1));
  EXPECT(a == b && n0 == n1, "x*2 and 2*x are not one node\n");
  PetscCall(GepExprDiff(e, a, 1, &b));
  PetscCall(GepExprIsConst(e, b, 0.0, &flg));
  EXPECT(flg, "d(2x)/dy is not the constant 0\n");
  PetscCall(GepExprDiff(e, a, 0, &b));
  PetscCall(GepExprIsConst(e, b, 2.0, &flg));
  EXPECT(flg, "d(2x)/dx is not the constant 2\n");
  PetscCall(GepExprDestroy(&e));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscRandom r;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(PetscRandomCreate(PETSC_COMM_SELF, &r));
  PetscCall(PetscRandomSetSeed(r, 7));
  PetscCall(PetscRandomSeed(r));
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) PetscCall(CheckOp(&cases[i], r));
  PetscCall(CheckValuesOnGrid());
  PetscCall(CheckStructure());
  PetscCall(PetscRandomDestroy(&r));
  /* 24 differentiable ops at 64 points, 19 others over the 10 x 10 grid less the skipped pairs */
  EXPECT(values_compared == 24 * 64 + 19 * 100 - 50 - 20, "%" PetscInt_FMT " values compared with libm, expected %d\n",
         values_compared, 24 * 64 + 19 * 100 - 50 - 20);
  PetscCall(PetscFinalize());
  return failures ? 1 : 0;
}
