/* gepsim: expression DAGs and evaluation tapes (implementers' header).
 *
 * Model math (kinetic laws, rules) is translated into one hash-consed DAG per
 * build context: equal subexpressions share one node, constants fold, and the
 * DAG is differentiated symbolically for the analytic Jacobian. A GepTape is the
 * compiled, allocation-free form: a flat list of three-address instructions over
 * a register file, evaluated for a batch of B members at once (register-major
 * layout regs[r*B + m], so every instruction is an inner loop over members). */
#pragma once
#include <petscsys.h>

typedef enum {
  GEP_OP_CONST,
  GEP_OP_VAR,
  GEP_OP_ADD,
  GEP_OP_SUB,
  GEP_OP_MUL,
  GEP_OP_DIV,
  GEP_OP_POW,
  GEP_OP_NEG,
  GEP_OP_EXP,
  GEP_OP_LOG,
  GEP_OP_SIN,
  GEP_OP_COS,
  GEP_OP_TAN,
  GEP_OP_ASIN,
  GEP_OP_ACOS,
  GEP_OP_ATAN,
  GEP_OP_SINH,
  GEP_OP_COSH,
  GEP_OP_TANH,
  GEP_OP_ASINH,
  GEP_OP_ACOSH,
  GEP_OP_ATANH,
  GEP_OP_ABS,
  GEP_OP_SIGN,
  GEP_OP_FLOOR,
  GEP_OP_CEIL,
  GEP_OP_FACTORIAL,
  GEP_OP_LT,
  GEP_OP_LE,
  GEP_OP_GT,
  GEP_OP_GE,
  GEP_OP_EQ,
  GEP_OP_NE,
  GEP_OP_AND,
  GEP_OP_OR,
  GEP_OP_XOR,
  GEP_OP_NOT,
  GEP_OP_SELECT, /* a != 0 ? b : c */
  GEP_OP_MIN,
  GEP_OP_MAX,
  GEP_OP_REM,
  GEP_OP_QUOTIENT,
  GEP_OP_COUNT
} GepOp;

typedef struct {
  GepOp     op;
  PetscInt  a, b, c; /* children (node ids), or the input slot for GEP_OP_VAR in a */
  PetscReal value;   /* GEP_OP_CONST */
} GepNode;

typedef struct _n_GepExpr *GepExpr;

PETSC_EXTERN PetscErrorCode GepExprCreate(GepExpr *);
PETSC_EXTERN PetscErrorCode GepExprDestroy(GepExpr *);
PETSC_EXTERN PetscErrorCode GepExprConst(GepExpr, PetscReal, PetscInt *);
PETSC_EXTERN PetscErrorCode GepExprVar(GepExpr, PetscInt slot, PetscInt *);
PETSC_EXTERN PetscErrorCode GepExprUnary(GepExpr, GepOp, PetscInt, PetscInt *);
PETSC_EXTERN PetscErrorCode GepExprBinary(GepExpr, GepOp, PetscInt, PetscInt, PetscInt *);
PETSC_EXTERN PetscErrorCode GepExprSelect(GepExpr, PetscInt cond, PetscInt iftrue, PetscInt iffalse, PetscInt *);
PETSC_EXTERN PetscErrorCode GepExprDiff(GepExpr, PetscInt node, PetscInt slot, PetscInt *);
PETSC_EXTERN PetscErrorCode GepExprIsConst(GepExpr, PetscInt node, PetscReal value, PetscBool *);
PETSC_EXTERN PetscErrorCode GepExprGetNode(GepExpr, PetscInt node, const GepNode **);
PETSC_EXTERN PetscErrorCode GepExprGetSize(GepExpr, PetscInt *);

typedef struct _n_GepTape *GepTape;

/* Compile the nodes reachable from outputs[] into a tape with nslots inputs. */
PETSC_EXTERN PetscErrorCode GepTapeCreate(GepExpr, PetscInt nslots, PetscInt noutputs, const PetscInt outputs[],
                                          GepTape *);
PETSC_EXTERN PetscErrorCode GepTapeDestroy(GepTape *);
PETSC_EXTERN PetscErrorCode GepTapeGetSizes(GepTape, PetscInt *nregisters, PetscInt *ninstructions);
/* Register of input slot k (-1 if the tape does not read it) and of output k. */
PETSC_EXTERN PetscErrorCode GepTapeGetInputRegisters(GepTape, const PetscInt **);
PETSC_EXTERN PetscErrorCode GepTapeGetOutputRegisters(GepTape, const PetscInt **);
/* Fill the constant registers of a register file of batch size B (once). */
PETSC_EXTERN PetscErrorCode GepTapeInitRegisters(GepTape, PetscInt B, PetscReal regs[]);
/* Run the tape on members [0, nb) of a register file of batch size B. */
PETSC_EXTERN PetscErrorCode GepTapeEvaluate(GepTape, PetscInt B, PetscInt nb, PetscReal regs[]);
