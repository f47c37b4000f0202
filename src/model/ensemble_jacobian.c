/* The ensemble's Jacobian: block diagonal, one block per member. Small models
   keep dense blocks (BAIJ, solved exactly by point-block Jacobi: ns^3 a member).
   Large sparse models keep only the nonzeros the tape knows (AIJ with the
   pattern of every member, plus the diagonal that TS shifts) and factor them
   with a sparse direct solver, KLU on one rank and MUMPS across ranks: the cost
   grows with the nonzeros, not with ns^3. -ensemble_jacobian chooses. */
#include "ensembleimpl.h"

const char *const GepEnsembleJacobianTypes[] = {
  "auto", "dense", "sparse", "GepEnsembleJacobianType", "GEP_ENSEMBLE_JACOBIAN_", NULL};

PetscErrorCode GepEnsembleSetJacobianType(GepEnsemble e, GepEnsembleJacobianType type)
{
  PetscFunctionBegin;
  PetscCheck(!e->setup, e->comm, PETSC_ERR_ORDER, "Call GepEnsembleSetJacobianType() before GepEnsembleSetUp()");
  e->jtype = type;
  PetscFunctionReturn(0);
}

/* auto: sparse from 50 states on when at most a quarter of a block is nonzero */
static PetscBool UseSparse(GepEnsemble e, PetscInt njac)
{
  if (e->jtype != GEP_ENSEMBLE_JACOBIAN_AUTO) return (PetscBool)(e->jtype == GEP_ENSEMBLE_JACOBIAN_SPARSE);
  return (PetscBool)(e->ns >= 50 && 4 * (njac + e->ns) <= e->ns * e->ns);
}

/* one block's pattern by rows, the diagonal always in: row r holds jcol[jrow[r]..jrow[r+1]),
   whose values are the tape's nonzero jk[] (-1: a diagonal the model leaves zero) */
static PetscErrorCode BuildPattern(GepEnsemble e, PetscInt njac, const PetscInt rows[], const PetscInt cols[])
{
  PetscInt ns = e->ns, *count, *pos;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(ns + 1, &e->jrow));
  PetscCall(PetscCalloc2(ns, &count, ns, &pos));
  for (PetscInt k = 0; k < njac; k++) count[rows[k]] += rows[k] != cols[k];
  for (PetscInt r = 0; r < ns; r++) e->jrow[r + 1] = e->jrow[r] + count[r] + 1;
  PetscCall(PetscMalloc2(e->jrow[ns], &e->jcol, e->jrow[ns], &e->jk));
  for (PetscInt r = 0; r < ns; r++) { /* the diagonal first, then the others in tape order */
    e->jcol[e->jrow[r]] = r;
    e->jk[e->jrow[r]]   = -1;
    pos[r]              = e->jrow[r] + 1;
  }
  for (PetscInt k = 0; k < njac; k++) {
    if (rows[k] == cols[k]) e->jk[e->jrow[rows[k]]] = k;
    else {
      e->jcol[pos[rows[k]]] = cols[k];
      e->jk[pos[rows[k]]++] = k;
    }
  }
  PetscCall(PetscFree2(count, pos));
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleJacobianCreate(GepEnsemble e, PC pc)
{
  PetscInt        njac, n = e->nloc * e->ns;
  const PetscInt *rows, *cols;
  PetscMPIInt     size;

  PetscFunctionBegin;
  PetscCall(GepModelGetJacobianNonzeros(e->model, &njac, &rows, &cols));
  e->sparse = UseSparse(e, njac);
  if (!e->sparse) {
    PetscCall(MatCreateBAIJ(e->scomm, e->ns, n, n, PETSC_DETERMINE, PETSC_DETERMINE, 1, NULL, 0, NULL, &e->J));
    PetscCall(PetscMalloc1(e->B * e->ns * e->ns + 1, &e->jblock));
    PetscCall(PCSetType(pc, PCPBJACOBI));
  } else {
    PetscInt *nnz;
    PetscCall(BuildPattern(e, njac, rows, cols));
    PetscCall(PetscMalloc1(n + 1, &nnz));
    for (PetscInt i = 0; i < n; i++) nnz[i] = e->jrow[i % e->ns + 1] - e->jrow[i % e->ns];
    PetscCall(MatCreate(e->scomm, &e->J));
    PetscCall(MatSetSizes(e->J, n, n, PETSC_DETERMINE, PETSC_DETERMINE));
    PetscCall(MatSetType(e->J, MATAIJ));
    PetscCall(MatSeqAIJSetPreallocation(e->J, 0, nnz));
    PetscCall(MatMPIAIJSetPreallocation(e->J, 0, nnz, 0, NULL)); /* members are rank-local */
    PetscCall(PetscFree(nnz));
    PetscCall(PetscMalloc3(e->B * njac + 1, &e->jvals, e->ns, &e->jgcol, e->ns, &e->jrowvals));
    PetscCallMPI(MPI_Comm_size(e->scomm, &size));
    PetscCall(PCSetType(pc, PCLU));
    PetscCall(PCFactorSetMatSolverType(pc, size == 1 ? MATSOLVERKLU : MATSOLVERMUMPS));
  }
  PetscCall(MatSetOption(e->J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
  PetscCall(MatSetOption(e->J, MAT_NO_OFF_PROC_ENTRIES, PETSC_TRUE)); /* members are rank-local: no assembly messages */
  PetscFunctionReturn(0);
}

static PetscErrorCode FillSparse(GepEnsemble e, PetscInt b, PetscInt nb, PetscInt rstart, PetscReal t,
                                 const PetscScalar *u, Mat P)
{
  PetscInt njac, ns = e->ns;

  PetscFunctionBegin;
  PetscCall(GepModelGetJacobianNonzeros(e->model, &njac, NULL, NULL));
  PetscCall(GepModelBatchJacobianValues(e->batch[b], t, u + b * e->B * ns, e->jvals));
  for (PetscInt m = 0; m < nb; m++) {
    PetscInt base = (rstart + b * e->B + m) * ns;
    for (PetscInt r = 0; r < ns; r++) {
      PetscInt row = base + r, len = e->jrow[r + 1] - e->jrow[r];
      for (PetscInt j = 0; j < len; j++) {
        PetscInt k     = e->jk[e->jrow[r] + j];
        e->jgcol[j]    = base + e->jcol[e->jrow[r] + j];
        e->jrowvals[j] = k < 0 ? 0.0 : e->jvals[m * njac + k];
      }
      PetscCall(MatSetValues(P, 1, &row, len, e->jgcol, e->jrowvals, INSERT_VALUES));
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleJacobianFill(GepEnsemble e, PetscReal t, const PetscScalar *u, Mat P)
{
  PetscInt rstart;

  PetscFunctionBegin;
  PetscCall(MatGetOwnershipRange(P, &rstart, NULL));
  rstart /= e->ns;
  for (PetscInt b = 0; b < e->nbatch; b++) {
    PetscInt nb = PetscMin(e->B, e->nloc - b * e->B);
    if (e->sparse) {
      PetscCall(FillSparse(e, b, nb, rstart, t, u, P));
      continue;
    }
    PetscCall(GepModelBatchJacobian(e->batch[b], t, u + b * e->B * e->ns, e->jblock));
    for (PetscInt m = 0; m < nb; m++) {
      PetscInt row = rstart + b * e->B + m;
      PetscCall(MatSetValuesBlocked(P, 1, &row, 1, &row, e->jblock + m * e->ns * e->ns, INSERT_VALUES));
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepEnsembleJacobianDestroy(GepEnsemble e)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(e->jrow));
  PetscCall(PetscFree2(e->jcol, e->jk));
  PetscCall(PetscFree3(e->jvals, e->jgcol, e->jrowvals));
  PetscCall(MatDestroy(&e->J));
  PetscFunctionReturn(0);
}
