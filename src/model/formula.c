/* GepFormula: a formula over named inputs, parsed by libSBML's L3 infix parser and
   compiled to a tape like the model's own math (the same functions, the same
   semantics). Inputs take slots 1.. of the tape (slot 0 is time in the model's tapes). */
#include "modelimpl.h"

struct _n_GepFormula {
  GepTape    tape;
  PetscInt   nvars;
  PetscReal *regs;
};

PetscErrorCode GepFormulaCreate(GepModel m, const char text[], PetscInt nvars, const char *const names[],
                                GepFormula *formula)
{
  ASTNode_t     *ast;
  GepExpr        e;
  GepBuild       b;
  GepFormula     f;
  PetscInt      *nodes, out, nr;
  char           where[512];
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCheck(m->setup, m->comm, PETSC_ERR_ORDER, "Call GepModelSetUp() first");
  ast = SBML_parseL3Formula(text);
  if (!ast) {
    char *msg = SBML_getLastParseL3Error();
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER, "'%s' is not a formula: %s", text, msg ? msg : "libSBML cannot parse it");
  }
  PetscCall(PetscSNPrintf(where, sizeof(where), "'%s'", text));
  PetscCall(GepExprCreate(&e));
  PetscCall(PetscMemzero(&b, sizeof(b)));
  b.model = m;
  b.e     = e;
  b.mode  = GEP_BUILD_RUN;
  PetscCall(PetscMalloc1(nvars + 1, &nodes));
  for (PetscInt i = 0; i < nvars; i++) PetscCall(GepExprVar(e, 1 + i, &nodes[i]));
  ierr = GepBuildFormula(&b, ast, nvars, names, nodes, where, &out);
  ASTNode_free(ast);
  PetscCall(PetscFree(nodes));
  if (ierr) PetscCall(GepExprDestroy(&e));
  PetscCall(ierr);
  PetscCall(PetscNew(&f));
  f->nvars = nvars;
  PetscCall(GepTapeCreate(e, 1 + nvars, 1, &out, &f->tape));
  PetscCall(GepExprDestroy(&e));
  PetscCall(GepTapeGetSizes(f->tape, &nr, NULL));
  PetscCall(PetscCalloc1(nr + 1, &f->regs));
  PetscCall(GepTapeInitRegisters(f->tape, 1, f->regs));
  *formula = f;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFormulaEvaluate(GepFormula f, const PetscReal vars[], PetscReal *value)
{
  const PetscInt *in, *out;

  PetscFunctionBegin;
  PetscCall(GepTapeGetInputRegisters(f->tape, &in));
  PetscCall(GepTapeGetOutputRegisters(f->tape, &out));
  for (PetscInt i = 0; i < f->nvars; i++)
    if (in[1 + i] >= 0) f->regs[in[1 + i]] = vars[i];
  PetscCall(GepTapeEvaluate(f->tape, 1, 1, f->regs));
  *value = f->regs[out[0]];
  PetscFunctionReturn(0);
}

PetscErrorCode GepFormulaDestroy(GepFormula *formula)
{
  PetscFunctionBegin;
  if (!*formula) PetscFunctionReturn(0);
  PetscCall(GepTapeDestroy(&(*formula)->tape));
  PetscCall(PetscFree((*formula)->regs));
  PetscCall(PetscFree(*formula));
  PetscFunctionReturn(0);
}
