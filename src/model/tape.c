/* Compile a DAG into a flat batched tape, and evaluate it. */
#include "opeval.h"

typedef struct {
  GepOp    op;
  PetscInt dst, a, b, c;
} GepInstr;

struct _n_GepTape {
  PetscInt   nreg, ninstr, nconst, nslots, noutputs;
  GepInstr  *instr;
  PetscInt  *const_reg;
  PetscReal *const_val;
  PetscInt  *input_reg;  /* per slot, -1 if unused */
  PetscInt  *output_reg; /* per output */
};

PetscErrorCode GepTapeCreate(GepExpr e, PetscInt nslots, PetscInt nout, const PetscInt outputs[], GepTape *tape)
{
  GepTape        t;
  PetscInt       n, *reg;
  PetscBool     *live;
  const GepNode *nd;

  PetscFunctionBegin;
  PetscCall(GepExprGetSize(e, &n));
  PetscCall(PetscNew(&t));
  PetscCall(PetscCalloc1(n, &live));
  PetscCall(PetscMalloc1(n, &reg));
  for (PetscInt k = 0; k < nout; k++) {
    PetscCheck(outputs[k] >= 0 && outputs[k] < n, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Invalid output node");
    live[outputs[k]] = PETSC_TRUE;
  }
  /* children always have smaller ids than their parents: one backward sweep marks all */
  for (PetscInt i = n - 1; i >= 0; i--) {
    if (!live[i]) continue;
    PetscCall(GepExprGetNode(e, i, &nd));
    int arity = GepOpArity(nd->op);
    if (arity >= 1) live[nd->a] = PETSC_TRUE;
    if (arity >= 2) live[nd->b] = PETSC_TRUE;
    if (arity >= 3) live[nd->c] = PETSC_TRUE;
  }
  for (PetscInt i = 0; i < n; i++) {
    if (!live[i]) continue;
    PetscCall(GepExprGetNode(e, i, &nd));
    reg[i] = t->nreg++;
    if (nd->op == GEP_OP_CONST) t->nconst++;
    else if (nd->op != GEP_OP_VAR) t->ninstr++;
  }
  t->nslots   = nslots;
  t->noutputs = nout;
  PetscCall(PetscMalloc1(t->ninstr, &t->instr));
  PetscCall(PetscMalloc2(t->nconst, &t->const_reg, t->nconst, &t->const_val));
  PetscCall(PetscMalloc1(nslots, &t->input_reg));
  PetscCall(PetscMalloc1(nout, &t->output_reg));
  for (PetscInt k = 0; k < nslots; k++) t->input_reg[k] = -1;
  for (PetscInt i = 0, ic = 0, ii = 0; i < n; i++) {
    if (!live[i]) continue;
    PetscCall(GepExprGetNode(e, i, &nd));
    if (nd->op == GEP_OP_CONST) {
      t->const_reg[ic]   = reg[i];
      t->const_val[ic++] = nd->value;
    } else if (nd->op == GEP_OP_VAR) {
      PetscCheck(nd->a >= 0 && nd->a < nslots, PETSC_COMM_SELF, PETSC_ERR_PLIB,
                 "Input slot %" PetscInt_FMT " out of range", nd->a);
      t->input_reg[nd->a] = reg[i];
    } else {
      int       arity = GepOpArity(nd->op);
      GepInstr *in    = &t->instr[ii++];
      in->op          = nd->op;
      in->dst         = reg[i];
      in->a           = reg[nd->a];
      in->b           = arity >= 2 ? reg[nd->b] : in->a;
      in->c           = arity >= 3 ? reg[nd->c] : in->a;
    }
  }
  for (PetscInt k = 0; k < nout; k++) t->output_reg[k] = reg[outputs[k]];
  PetscCall(PetscFree(live));
  PetscCall(PetscFree(reg));
  *tape = t;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTapeDestroy(GepTape *tape)
{
  PetscFunctionBegin;
  if (!*tape) PetscFunctionReturn(0);
  PetscCall(PetscFree((*tape)->instr));
  PetscCall(PetscFree2((*tape)->const_reg, (*tape)->const_val));
  PetscCall(PetscFree((*tape)->input_reg));
  PetscCall(PetscFree((*tape)->output_reg));
  PetscCall(PetscFree(*tape));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTapeGetSizes(GepTape t, PetscInt *nreg, PetscInt *ninstr)
{
  PetscFunctionBegin;
  if (nreg) *nreg = t->nreg;
  if (ninstr) *ninstr = t->ninstr;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTapeGetInputRegisters(GepTape t, const PetscInt **r)
{
  PetscFunctionBegin;
  *r = t->input_reg;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTapeGetOutputRegisters(GepTape t, const PetscInt **r)
{
  PetscFunctionBegin;
  *r = t->output_reg;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTapeInitRegisters(GepTape t, PetscInt B, PetscReal regs[])
{
  PetscFunctionBegin;
  for (PetscInt k = 0; k < t->nconst; k++) {
    PetscReal *r = regs + t->const_reg[k] * B;
    for (PetscInt m = 0; m < B; m++) r[m] = t->const_val[k];
  }
  PetscFunctionReturn(0);
}

/* The common arithmetic gets tight loops the compiler vectorises; the rest
   goes through the scalar semantics. */
PetscErrorCode GepTapeEvaluate(GepTape t, PetscInt B, PetscInt nb, PetscReal regs[])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < t->ninstr; i++) {
    const GepInstr  *in = &t->instr[i];
    PetscReal       *d  = regs + in->dst * B;
    const PetscReal *x = regs + in->a * B, *y = regs + in->b * B, *z = regs + in->c * B;
    switch (in->op) {
    case GEP_OP_ADD:
      for (PetscInt m = 0; m < nb; m++) d[m] = x[m] + y[m];
      break;
    case GEP_OP_SUB:
      for (PetscInt m = 0; m < nb; m++) d[m] = x[m] - y[m];
      break;
    case GEP_OP_MUL:
      for (PetscInt m = 0; m < nb; m++) d[m] = x[m] * y[m];
      break;
    case GEP_OP_DIV:
      for (PetscInt m = 0; m < nb; m++) d[m] = x[m] / y[m];
      break;
    case GEP_OP_NEG:
      for (PetscInt m = 0; m < nb; m++) d[m] = -x[m];
      break;
    default:
      for (PetscInt m = 0; m < nb; m++) d[m] = GepOpEval(in->op, x[m], y[m], z[m]);
    }
  }
  PetscFunctionReturn(0);
}
