/* Scalar semantics of every GepOp, shared by constant folding and the tape. */
#pragma once
#include <math.h>
#include "gepexpr.h"

static inline PetscReal GepOpEval(GepOp op, PetscReal x, PetscReal y, PetscReal z)
{
  switch (op) {
  case GEP_OP_ADD: return x + y;
  case GEP_OP_SUB: return x - y;
  case GEP_OP_MUL: return x * y;
  case GEP_OP_DIV: return x / y;
  case GEP_OP_POW: return pow(x, y);
  case GEP_OP_NEG: return -x;
  case GEP_OP_EXP: return exp(x);
  case GEP_OP_LOG: return log(x);
  case GEP_OP_SIN: return sin(x);
  case GEP_OP_COS: return cos(x);
  case GEP_OP_TAN: return tan(x);
  case GEP_OP_ASIN: return asin(x);
  case GEP_OP_ACOS: return acos(x);
  case GEP_OP_ATAN: return atan(x);
  case GEP_OP_SINH: return sinh(x);
  case GEP_OP_COSH: return cosh(x);
  case GEP_OP_TANH: return tanh(x);
  case GEP_OP_ASINH: return asinh(x);
  case GEP_OP_ACOSH: return acosh(x);
  case GEP_OP_ATANH: return atanh(x);
  case GEP_OP_ABS: return fabs(x);
  case GEP_OP_SIGN: return (PetscReal)((x > 0) - (x < 0));
  case GEP_OP_FLOOR: return floor(x);
  case GEP_OP_CEIL: return ceil(x);
  case GEP_OP_FACTORIAL: return tgamma(x + 1.0);
  case GEP_OP_LT: return x < y ? 1.0 : 0.0;
  case GEP_OP_LE: return x <= y ? 1.0 : 0.0;
  case GEP_OP_GT: return x > y ? 1.0 : 0.0;
  case GEP_OP_GE: return x >= y ? 1.0 : 0.0;
  case GEP_OP_EQ: return x == y ? 1.0 : 0.0;
  case GEP_OP_NE: return x != y ? 1.0 : 0.0;
  case GEP_OP_AND: return (x != 0 && y != 0) ? 1.0 : 0.0;
  case GEP_OP_OR: return (x != 0 || y != 0) ? 1.0 : 0.0;
  case GEP_OP_XOR: return ((x != 0) != (y != 0)) ? 1.0 : 0.0;
  case GEP_OP_NOT: return x == 0 ? 1.0 : 0.0;
  case GEP_OP_SELECT: return x != 0 ? y : z;
  case GEP_OP_MIN: return x < y ? x : (y < x ? y : (isnan(x) ? x : y));
  case GEP_OP_MAX: return x > y ? x : (y > x ? y : (isnan(x) ? x : y));
  case GEP_OP_REM: return fmod(x, y);
  case GEP_OP_QUOTIENT: return trunc(x / y);
  default: return NAN;
  }
}

/* Number of children of an op (0 for CONST and VAR). */
static inline int GepOpArity(GepOp op)
{
  if (op == GEP_OP_CONST || op == GEP_OP_VAR) return 0;
  if (op == GEP_OP_SELECT) return 3;
  if (op >= GEP_OP_ADD && op <= GEP_OP_POW) return 2;
  if (op >= GEP_OP_LT && op <= GEP_OP_XOR) return 2;
  if (op >= GEP_OP_MIN && op <= GEP_OP_QUOTIENT) return 2;
  return 1;
}
