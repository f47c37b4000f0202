/* GepModelBatch: register files for B members and the gathers/scatters
   between member-major arrays (PETSc vectors) and register-major tapes. */
#include "modelimpl.h"

struct _n_GepModelBatch {
  GepModel   model;
  PetscInt   B, nb;
  PetscReal *init_regs, *rhs_regs, *jac_regs, *out_regs, *ev_regs;
};

PetscErrorCode GepModelBatchCreate(GepModel m, PetscInt B, GepModelBatch *batch)
{
  GepModelBatch b;
  PetscInt      n;

  PetscFunctionBegin;
  PetscCheck(m->setup, m->comm, PETSC_ERR_ORDER, "Call GepModelSetUp() first");
  PetscCheck(B > 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "Batch size must be positive");
  PetscCall(PetscNew(&b));
  b->model = m;
  b->B     = B;
#define ALLOC_REGS(tape, regs)                \
  PetscCall(GepTapeGetSizes(tape, &n, NULL)); \
  PetscCall(PetscCalloc1(n *B + 1, &regs));   \
  PetscCall(GepTapeInitRegisters(tape, B, regs))
  ALLOC_REGS(m->init_tape, b->init_regs);
  ALLOC_REGS(m->rhs_tape, b->rhs_regs);
  ALLOC_REGS(m->jac_tape, b->jac_regs);
  ALLOC_REGS(m->out_tape, b->out_regs);
  ALLOC_REGS(m->ev_tape, b->ev_regs);
#undef ALLOC_REGS
  *batch = b;
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelBatchDestroy(GepModelBatch *batch)
{
  PetscFunctionBegin;
  if (!*batch) PetscFunctionReturn(0);
  PetscCall(PetscFree((*batch)->init_regs));
  PetscCall(PetscFree((*batch)->rhs_regs));
  PetscCall(PetscFree((*batch)->jac_regs));
  PetscCall(PetscFree((*batch)->out_regs));
  PetscCall(PetscFree((*batch)->ev_regs));
  PetscCall(PetscFree(*batch));
  PetscFunctionReturn(0);
}

/* Copy member-major src (stride per member) into input slots [slot0, slot0+n) of a tape's registers. */
static PetscErrorCode Gather(GepTape tape, PetscInt B, PetscInt nb, PetscReal regs[], PetscInt slot0, PetscInt n,
                             PetscInt stride, const PetscReal src[])
{
  const PetscInt *in;

  PetscFunctionBegin;
  PetscCall(GepTapeGetInputRegisters(tape, &in));
  for (PetscInt i = 0; i < n; i++) {
    PetscInt r = in[slot0 + i];
    if (r < 0) continue;
    for (PetscInt m = 0; m < nb; m++) regs[r * B + m] = src[m * stride + i];
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode SetTime(GepTape tape, PetscInt B, PetscInt nb, PetscReal regs[], PetscReal t)
{
  const PetscInt *in;

  PetscFunctionBegin;
  PetscCall(GepTapeGetInputRegisters(tape, &in));
  if (in[GEP_SLOT_TIME] >= 0)
    for (PetscInt m = 0; m < nb; m++) regs[in[GEP_SLOT_TIME] * B + m] = t;
  PetscFunctionReturn(0);
}

/* Copy outputs [o0, o0+n) of a tape to member-major dst with the given stride and offset. */
static PetscErrorCode Scatter(GepTape tape, PetscInt B, PetscInt nb, const PetscReal regs[], PetscInt o0, PetscInt n,
                              PetscInt stride, PetscInt offset, PetscReal dst[])
{
  const PetscInt *out;

  PetscFunctionBegin;
  PetscCall(GepTapeGetOutputRegisters(tape, &out));
  for (PetscInt i = 0; i < n; i++) {
    const PetscReal *r = regs + out[o0 + i] * B;
    for (PetscInt m = 0; m < nb; m++) dst[m * stride + offset + i] = r[m];
  }
  PetscFunctionReturn(0);
}

/* Evaluate initial values for nb members from their parameters p (nb x nparams),
   returning initial states y0 (nb x nstates) and loading the fixed values into
   the run-time tapes. */
PetscErrorCode GepModelBatchSetParameters(GepModelBatch b, PetscInt nb, PetscReal t0, const PetscReal p[],
                                          PetscReal y0[])
{
  GepModel   m = b->model;
  PetscReal *c;
  GepTape    run[4]  = {m->rhs_tape, m->jac_tape, m->out_tape, m->ev_tape};
  PetscReal *regs[4] = {b->rhs_regs, b->jac_regs, b->out_regs, b->ev_regs};

  PetscFunctionBegin;
  PetscCheck(nb >= 0 && nb <= b->B, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "Batch holds at most %" PetscInt_FMT " members", b->B);
  PetscCall(PetscLogEventBegin(GEP_ModelInit, 0, 0, 0, 0));
  b->nb = nb;
  PetscCall(SetTime(m->init_tape, b->B, nb, b->init_regs, t0));
  PetscCall(Gather(m->init_tape, b->B, nb, b->init_regs, GepInitSlotParam(0), m->nsym, m->nsym, p));
  PetscCall(GepTapeEvaluate(m->init_tape, b->B, nb, b->init_regs));
  PetscCall(Scatter(m->init_tape, b->B, nb, b->init_regs, 0, m->nstate, m->nstate, 0, y0));
  PetscCall(PetscMalloc1(nb * m->nfixed + 1, &c));
  PetscCall(Scatter(m->init_tape, b->B, nb, b->init_regs, m->nstate, m->nfixed, m->nfixed, 0, c));
  for (int k = 0; k < 4; k++)
    PetscCall(Gather(run[k], b->B, nb, regs[k], GepRunSlotFixed(m, 0), m->nfixed, m->nfixed, c));
  PetscCall(PetscFree(c));
  PetscCall(PetscLogEventEnd(GEP_ModelInit, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* Evaluate a run-time tape at (t, y) for the batch's members; copy its nout
   outputs to member-major out (unless out is NULL). */
static PetscErrorCode RunTape(GepModelBatch b, GepTape tape, PetscReal regs[], PetscReal t, const PetscReal y[],
                              PetscInt nout, PetscReal out[])
{
  GepModel m = b->model;

  PetscFunctionBegin;
  PetscCall(SetTime(tape, b->B, b->nb, regs, t));
  PetscCall(Gather(tape, b->B, b->nb, regs, GepRunSlotState(0), m->nstate, m->nstate, y));
  PetscCall(GepTapeEvaluate(tape, b->B, b->nb, regs));
  if (out) PetscCall(Scatter(tape, b->B, b->nb, regs, 0, nout, nout, 0, out));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelBatchRHS(GepModelBatch b, PetscReal t, const PetscReal y[], PetscReal f[])
{
  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_ModelRHS, 0, 0, 0, 0));
  PetscCall(RunTape(b, b->model->rhs_tape, b->rhs_regs, t, y, b->model->nstate, f));
  PetscCall(PetscLogEventEnd(GEP_ModelRHS, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelBatchJacobian(GepModelBatch b, PetscReal t, const PetscReal y[], PetscReal J[])
{
  GepModel        m  = b->model;
  PetscInt        ns = m->nstate;
  const PetscInt *out;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_ModelJacobian, 0, 0, 0, 0));
  PetscCall(RunTape(b, m->jac_tape, b->jac_regs, t, y, 0, NULL));
  PetscCall(PetscArrayzero(J, b->nb * ns * ns));
  PetscCall(GepTapeGetOutputRegisters(m->jac_tape, &out));
  for (PetscInt k = 0; k < m->njac; k++) {
    const PetscReal *r   = b->jac_regs + out[k] * b->B;
    PetscInt         off = m->jac_row[k] * ns + m->jac_col[k];
    for (PetscInt i = 0; i < b->nb; i++) J[i * ns * ns + off] = r[i];
  }
  PetscCall(PetscLogEventEnd(GEP_ModelJacobian, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelBatchJacobianValues(GepModelBatch b, PetscReal t, const PetscReal y[], PetscReal vals[])
{
  GepModel        m = b->model;
  const PetscInt *out;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_ModelJacobian, 0, 0, 0, 0));
  PetscCall(RunTape(b, m->jac_tape, b->jac_regs, t, y, 0, NULL));
  PetscCall(GepTapeGetOutputRegisters(m->jac_tape, &out));
  for (PetscInt k = 0; k < m->njac; k++) {
    const PetscReal *r = b->jac_regs + out[k] * b->B;
    for (PetscInt i = 0; i < b->nb; i++) vals[i * m->njac + k] = r[i];
  }
  PetscCall(PetscLogEventEnd(GEP_ModelJacobian, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelBatchOutputs(GepModelBatch b, PetscReal t, const PetscReal y[], PetscReal out[])
{
  PetscFunctionBegin;
  PetscCall(RunTape(b, b->model->out_tape, b->out_regs, t, y, b->model->nout, out));
  PetscFunctionReturn(0);
}

PetscErrorCode GepModelBatchEvents(GepModelBatch b, PetscReal t, const PetscReal y[], PetscReal out[])
{
  PetscFunctionBegin;
  PetscCall(RunTape(b, b->model->ev_tape, b->ev_regs, t, y, b->model->nevout, out));
  PetscFunctionReturn(0);
}
