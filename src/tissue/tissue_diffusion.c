/* Diffusion-decay of the fields: du/dt = A u + b on the cell-centred DMDA, A the 7- (5-) point
   finite-volume Laplacian times D minus the decay rate, per field; b carries the Dirichlet faces
   (ghost value 2V - u at the face). Integrated by a PETSc TS (TSCN, or TSBDF of order 2) as a
   linear problem; its solves are CG with geometric multigrid: piecewise-constant transfer between
   cell-centred grids halved along every axis that divides evenly on each rank, and Galerkin
   coarse operators. */
#include "tissueimpl.h"

#define GEP_TISSUE_SOLVER_PREFIX "tissue_diffusion_"

/* DMDA boundary type of axis d: periodic when every field says so on both faces */
static PetscErrorCode AxisBoundary(GepTissue t, PetscInt d, DMBoundaryType *bt)
{
  PetscInt nper = 0;

  PetscFunctionBegin;
  for (PetscInt f = 0; f < t->nfield; f++)
    for (PetscInt s = 0; s < 2; s++) nper += t->field[f].bc[2 * d + s] == GEP_BOUNDARY_PERIODIC;
  PetscCheck(nper == 0 || nper == 2 * t->nfield, t->comm, PETSC_ERR_USER,
             "-tissue_boundary: periodic must hold on both faces %s and %s, for every field", GepTissueFaces[2 * d],
             GepTissueFaces[2 * d + 1]);
  *bt = nper ? DM_BOUNDARY_PERIODIC : DM_BOUNDARY_NONE;
  PetscFunctionReturn(0);
}

/* ownership along an axis of n voxels over p ranks in blocks of 2^m voxels, m as large as gives every
   rank a block: each level of multigrid halves every rank's part */
static PetscErrorCode AxisOwnership(PetscInt n, PetscInt p, PetscInt l[], PetscInt *m)
{
  PetscInt q = 1, blocks;

  PetscFunctionBegin;
  for (*m = 0; n % (2 * q) == 0 && n / (2 * q) >= p; (*m)++) q *= 2;
  blocks = n / q;
  for (PetscInt r = 0; r < p; r++) l[r] = q * (blocks / p + (r < blocks % p));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateGrid(GepTissue t, PetscInt m[3])
{
  DMBoundaryType bt[3];
  PetscInt       p[3], *l[3];
  DM             trial;

  PetscFunctionBegin;
  for (PetscInt d = 0; d < 3; d++) PetscCall(AxisBoundary(t, d, &bt[d]));
  /* the rank grid PETSc would choose, then block-aligned ownership along each axis */
  if (t->dim == 2)
    PetscCall(DMDACreate2d(t->comm, bt[0], bt[1], DMDA_STENCIL_STAR, t->n[0], t->n[1], PETSC_DECIDE, PETSC_DECIDE,
                           t->nfield, 1, NULL, NULL, &trial));
  else
    PetscCall(DMDACreate3d(t->comm, bt[0], bt[1], bt[2], DMDA_STENCIL_STAR, t->n[0], t->n[1], t->n[2], PETSC_DECIDE,
                           PETSC_DECIDE, PETSC_DECIDE, t->nfield, 1, NULL, NULL, NULL, &trial));
  PetscCall(DMSetUp(trial));
  PetscCall(DMDAGetInfo(trial, NULL, NULL, NULL, NULL, &p[0], &p[1], &p[2], NULL, NULL, NULL, NULL, NULL, NULL));
  PetscCall(DMDestroy(&trial));
  for (PetscInt d = 0; d < 3; d++) {
    PetscCall(PetscMalloc1(p[d], &l[d]));
    PetscCall(AxisOwnership(t->n[d], p[d], l[d], &m[d]));
  }
  if (t->dim == 2)
    PetscCall(DMDACreate2d(t->comm, bt[0], bt[1], DMDA_STENCIL_STAR, t->n[0], t->n[1], p[0], p[1], t->nfield, 1, l[0],
                           l[1], &t->da));
  else
    PetscCall(DMDACreate3d(t->comm, bt[0], bt[1], bt[2], DMDA_STENCIL_STAR, t->n[0], t->n[1], t->n[2], p[0], p[1], p[2],
                           t->nfield, 1, l[0], l[1], l[2], &t->da));
  PetscCall(DMSetUp(t->da));
  for (PetscInt f = 0; f < t->nfield; f++) PetscCall(DMDASetFieldName(t->da, f, t->field[f].name));
  for (PetscInt d = 0; d < 3; d++) PetscCall(PetscFree(l[d]));
  PetscFunctionReturn(0);
}

/* the operator A and the Dirichlet faces' vector bfaces */
static PetscErrorCode AssembleOperator(GepTissue t)
{
  PetscInt               xs[3], xm[3], gs[3], gm[3], nf = t->nfield, nloc;
  ISLocalToGlobalMapping ltog;
  PetscReal              ih2 = 1 / (t->h * t->h);
  PetscScalar           *b;

  PetscFunctionBegin;
  /* fields do not couple: 2 dim + 1 entries a row (DMDASetBlockFills would do, but its periodic path
     refuses sizes not divisible by 3) */
  PetscCall(DMDAGetGhostCorners(t->da, &gs[0], &gs[1], &gs[2], &gm[0], &gm[1], &gm[2]));
  PetscCall(DMGetLocalToGlobalMapping(t->da, &ltog));
  PetscCall(DMDAGetCorners(t->da, NULL, NULL, NULL, &xm[0], &xm[1], &xm[2]));
  nloc = xm[0] * xm[1] * xm[2] * nf;
  PetscCall(
    MatCreateAIJ(t->comm, nloc, nloc, PETSC_DETERMINE, PETSC_DETERMINE, 2 * t->dim + 1, NULL, 2 * t->dim, NULL, &t->A));
  PetscCall(MatSetLocalToGlobalMapping(t->A, ltog, ltog));
  PetscCall(MatSetStencil(t->A, t->dim, gm, gs, nf));
  PetscCall(DMCreateGlobalVector(t->da, &t->bfaces));
  PetscCall(DMDAGetCorners(t->da, &xs[0], &xs[1], &xs[2], &xm[0], &xm[1], &xm[2]));
  PetscCall(VecGetArray(t->bfaces, &b));
  for (PetscInt k = xs[2]; k < xs[2] + xm[2]; k++)
    for (PetscInt j = xs[1]; j < xs[1] + xm[1]; j++)
      for (PetscInt i = xs[0]; i < xs[0] + xm[0]; i++)
        for (PetscInt f = 0; f < nf; f++) {
          const GepField *F      = &t->field[f];
          const PetscInt  idx[3] = {i, j, k};
          MatStencil      row    = {.k = k, .j = j, .i = i, .c = f}, col[7];
          PetscScalar     v[7], *bv = &b[GepTissueLocalIndex(xs, xm, i, j, k) * nf + f]; /* fields innermost */
          PetscInt        nc = 1;

          col[0] = row;
          v[0]   = -F->decay;
          *bv    = 0;
          for (PetscInt d = 0; d < t->dim && F->D > 0; d++)
            for (PetscInt s = 0; s < 2; s++) {
              PetscInt nb = idx[d] + (s ? 1 : -1);

              if (nb < 0 || nb >= t->n[d]) {
                GepTissueBoundaryType bc = F->bc[2 * d + s];
                if (bc == GEP_BOUNDARY_NOFLUX) continue;
                if (bc == GEP_BOUNDARY_DIRICHLET) { /* the ghost voxel holds 2V - u */
                  v[0] -= 2 * F->D * ih2;
                  *bv += 2 * F->D * ih2 * F->bcvalue[2 * d + s];
                  continue;
                }
                if (t->n[d] == 1) continue; /* periodic onto itself: no flux */
              }
              col[nc] = row;
              if (d == 0) col[nc].i = nb;
              else if (d == 1) col[nc].j = nb;
              else col[nc].k = nb;
              v[nc++] = F->D * ih2;
              v[0] -= F->D * ih2;
            }
          PetscCall(MatSetValuesStencil(t->A, 1, &row, nc, col, v, ADD_VALUES));
        }
  PetscCall(VecRestoreArray(t->bfaces, &b));
  PetscCall(MatAssemblyBegin(t->A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(t->A, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

/* piecewise-constant interpolation from a grid halved along the axes with half[d] (each rank's box
   halves: the parent of a fine voxel is on the same rank, so P is block-diagonal by rank) */
static PetscErrorCode Interpolation(GepTissue t, const PetscInt fm[3], const PetscInt half[3], Mat *P)
{
  PetscInt cm[3], nf = t->nfield, nfine = fm[0] * fm[1] * fm[2] * nf, ncoarse, rstart, cstart;

  PetscFunctionBegin;
  for (PetscInt d = 0; d < 3; d++) cm[d] = half[d] ? fm[d] / 2 : fm[d];
  ncoarse = cm[0] * cm[1] * cm[2] * nf;
  PetscCall(MatCreateAIJ(t->comm, nfine, ncoarse, PETSC_DETERMINE, PETSC_DETERMINE, 1, NULL, 0, NULL, P));
  PetscCall(MatGetOwnershipRange(*P, &rstart, NULL));
  PetscCall(MatGetOwnershipRangeColumn(*P, &cstart, NULL));
  for (PetscInt k = 0; k < fm[2]; k++)
    for (PetscInt j = 0; j < fm[1]; j++)
      for (PetscInt i = 0; i < fm[0]; i++)
        for (PetscInt f = 0; f < nf; f++) {
          PetscInt ci = half[0] ? i / 2 : i, cj = half[1] ? j / 2 : j, ck = half[2] ? k / 2 : k;
          PetscInt row = rstart + ((k * fm[1] + j) * fm[0] + i) * nf + f;
          PetscInt col = cstart + ((ck * cm[1] + cj) * cm[0] + ci) * nf + f;
          PetscCall(MatSetValue(*P, row, col, 1.0, INSERT_VALUES));
        }
  PetscCall(MatAssemblyBegin(*P, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*P, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

/* the multigrid hierarchy: a level is added while some axis halves on every rank (m[d] halvings
   along axis d), the coarse grid keeps more than 64 unknowns per field, and diffusion over a step is
   still stiff at the spacing H (D dt / H^2 >= 4; below that CG with Jacobi needs fewer than about 40
   iterations at 1e-12, cheaper than multigrid's few V-cycles, measured); without two levels, Jacobi */
static PetscErrorCode ConfigureMultigrid(GepTissue t, const PetscInt m[3], PC pc)
{
  PetscInt  xm[3], nlev = 1, halvings[3] = {m[0], m[1], m[2]}, total = t->n[0] * t->n[1] * t->n[2];
  Mat       P[16];
  PetscInt  fm[3];
  PetscReal Dmax = 0, H = t->h, dt = t->model ? t->dt / 2 : t->dt; /* Strang: half steps */

  PetscFunctionBegin;
  for (PetscInt f = 0; f < t->nfield; f++) Dmax = PetscMax(Dmax, t->field[f].D);
  PetscCall(DMDAGetCorners(t->da, NULL, NULL, NULL, &xm[0], &xm[1], &xm[2]));
  for (PetscInt d = 0; d < 3; d++) fm[d] = xm[d];
  while (nlev < 16) {
    PetscInt half[3], nh = 0, ctotal = total;
    for (PetscInt d = 0; d < 3; d++) {
      half[d] = halvings[d] > 0;
      nh += half[d];
      if (half[d]) ctotal /= 2;
    }
    if (!nh || ctotal < 64 || Dmax * dt / (H * H) < 4) break;
    H *= 2;
    PetscCall(Interpolation(t, fm, half, &P[nlev - 1]));
    for (PetscInt d = 0; d < 3; d++)
      if (half[d]) {
        fm[d] /= 2;
        halvings[d]--;
      }
    total = ctotal;
    nlev++;
  }
  t->nlevels = nlev;
  if (nlev == 1) {
    PetscCall(PCSetType(pc, PCJACOBI));
    PetscFunctionReturn(0);
  }
  PetscCall(PCSetType(pc, PCMG));
  PetscCall(PCMGSetLevels(pc, nlev, NULL));
  PetscCall(PCMGSetGalerkin(pc, PC_MG_GALERKIN_BOTH));
  /* P[0] interpolates from the first coarsening to the fine grid: level nlev - 1 */
  for (PetscInt l = 0; l < nlev - 1; l++) {
    PetscCall(PCMGSetInterpolation(pc, nlev - 1 - l, P[l]));
    PetscCall(MatDestroy(&P[l]));
  }
  PetscFunctionReturn(0);
}

/* F(t, u, u') = u' - A u - b */
static PetscErrorCode IFunction(TS ts, PetscReal time, Vec u, Vec udot, Vec F, void *ctx)
{
  GepTissue t = (GepTissue)ctx;

  PetscFunctionBegin;
  (void)ts;
  (void)time;
  PetscCall(MatMult(t->A, u, F));
  PetscCall(VecAYPX(F, -1.0, udot));
  PetscCall(VecAXPY(F, -1.0, t->b));
  PetscFunctionReturn(0);
}

/* J = shift I - A, rebuilt only when the shift changes (so the preconditioner is kept) */
static PetscErrorCode IJacobian(TS ts, PetscReal time, Vec u, Vec udot, PetscReal shift, Mat J, Mat Jpre, void *ctx)
{
  GepTissue t = (GepTissue)ctx;

  PetscFunctionBegin;
  (void)ts;
  (void)time;
  (void)u;
  (void)udot;
  (void)Jpre;
  if (shift == t->shift) PetscFunctionReturn(0);
  PetscCall(MatCopy(t->A, J, SAME_NONZERO_PATTERN));
  PetscCall(MatScale(J, -1.0));
  PetscCall(MatShift(J, shift));
  t->shift = shift;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetUpDiffusion(GepTissue t)
{
  PetscInt m[3];
  char     prefix[256], defaults[512];
  SNES     snes;
  KSP      ksp;
  PC       pc;
  TSAdapt  adapt;

  PetscFunctionBegin;
  PetscCall(CreateGrid(t, m));
  PetscCall(AssembleOperator(t));
  PetscCall(DMCreateGlobalVector(t->da, &t->u));
  for (PetscInt f = 0; f < t->nfield; f++) PetscCall(VecStrideSet(t->u, f, t->field[f].initial));
  PetscCall(GepTissueSetUpVessels(t));
  PetscCall(MatDuplicate(t->A, MAT_DO_NOT_COPY_VALUES, &t->J));
  t->shift = 0;
  /* solves to 1e-12 of the right-hand side: the amount a solve may lose stays far below what the
     mass balance is checked to */
  PetscCall(PetscSNPrintf(prefix, sizeof(prefix), "%s%s", ((PetscObject)t)->prefix ? ((PetscObject)t)->prefix : "",
                          GEP_TISSUE_SOLVER_PREFIX));
  PetscCall(PetscSNPrintf(defaults, sizeof(defaults),
                          "-%sksp_rtol 1e-12 -%sksp_atol 1e-300 -%sksp_norm_type unpreconditioned", prefix, prefix,
                          prefix));
  PetscCall(GepSolverOptionsCreate(prefix, defaults, &t->solver_options));
  PetscCall(TSCreate(t->comm, &t->ts));
  PetscCall(TSSetOptionsPrefix(t->ts, prefix));
  PetscCall(PetscObjectSetOptions((PetscObject)t->ts, t->solver_options));
  PetscCall(TSSetDM(t->ts, t->da));
  PetscCall(TSSetProblemType(t->ts, TS_LINEAR));
  if (t->scheme == GEP_DIFFUSION_CN) PetscCall(TSSetType(t->ts, TSCN));
  else if (t->scheme == GEP_DIFFUSION_BDF2) {
    PetscCall(TSSetType(t->ts, TSBDF));
    PetscCall(TSBDFSetOrder(t->ts, 2));
  } else { /* ARKIMEX L2's implicit part alone: SDIRK, gamma = 1 - 1/sqrt(2), both stages one matrix */
    PetscCall(TSSetType(t->ts, TSARKIMEX));
    PetscCall(TSARKIMEXSetType(t->ts, TSARKIMEXL2));
    PetscCall(TSARKIMEXSetFullyImplicit(t->ts, PETSC_TRUE));
  }
  PetscCall(TSSetIFunction(t->ts, NULL, IFunction, t));
  PetscCall(TSSetIJacobian(t->ts, t->J, t->J, IJacobian, t));
  PetscCall(TSGetAdapt(t->ts, &adapt));
  PetscCall(TSAdaptSetType(adapt, TSADAPTNONE));
  PetscCall(TSSetExactFinalTime(t->ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSGetSNES(t->ts, &snes));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPCG));
  PetscCall(KSPGetPC(ksp, &pc));
  /* the private options database, on each solver object (TSGetSNES does not pass it on) */
  PetscCall(PetscObjectSetOptions((PetscObject)snes, t->solver_options));
  PetscCall(PetscObjectSetOptions((PetscObject)ksp, t->solver_options));
  PetscCall(PetscObjectSetOptions((PetscObject)pc, t->solver_options));
  PetscCall(ConfigureMultigrid(t, m, pc));
  PetscCall(TSSetFromOptions(t->ts));
  PetscCall(GepSolverOptionsMarkUsed(t->solver_options));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueDestroyDiffusion(GepTissue t)
{
  PetscFunctionBegin;
  PetscCall(TSDestroy(&t->ts));
  PetscCall(MatDestroy(&t->A));
  PetscCall(MatDestroy(&t->J));
  PetscCall(VecDestroy(&t->b));
  PetscCall(VecDestroy(&t->bfaces));
  PetscCall(VecDestroy(&t->W));
  PetscCall(VecDestroy(&t->u));
  PetscCall(DMDestroy(&t->da));
  PetscCall(PetscOptionsDestroy(&t->solver_options));
  PetscFunctionReturn(0);
}

/* the fields from t to t + span in steps of at most dt (the last ones evened out, so that no sliver
   of a step is left) */
PetscErrorCode GepTissueDiffuse(GepTissue t, PetscReal span)
{
  PetscInt          nsteps = (PetscInt)PetscCeilReal(span / t->dt * (1 - 1e-12));
  TSConvergedReason reason;

  PetscFunctionBegin;
  PetscCheck(t->setup, t->comm, PETSC_ERR_ORDER, "Call GepTissueSetUp() first");
  if (span <= 0) PetscFunctionReturn(0);
  PetscCall(PetscLogEventBegin(GEP_TissueDiffusion, t, 0, 0, 0));
  nsteps = PetscMax(nsteps, 1);
  PetscCall(TSSetTime(t->ts, t->t));
  PetscCall(TSSetStepNumber(t->ts, 0));
  PetscCall(TSSetTimeStep(t->ts, span / (PetscReal)nsteps));
  PetscCall(TSSetMaxTime(t->ts, t->t + span));
  PetscCall(TSSetMaxSteps(t->ts, PETSC_MAX_INT));
  PetscCall(TSSolve(t->ts, t->u));
  PetscCall(TSGetConvergedReason(t->ts, &reason));
  PetscCheck(reason > 0, t->comm, PETSC_ERR_NOT_CONVERGED, "tissue diffusion: the time step failed at t = %g (%s)",
             (double)t->t, TSConvergedReasons[reason]);
  t->t += span;
  PetscCall(PetscLogEventEnd(GEP_TissueDiffusion, t, 0, 0, 0));
  PetscFunctionReturn(0);
}
