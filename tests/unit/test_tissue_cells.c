/* Cells on the tissue's lattice, coupled to a field through the model's own reactions.
   -case balance: tests/data/tissue/exchange.xml (uptake of S at 0.5 /min, secretion of Sin at
     0.2 /min) in a disc of cells (R = 100 um) on a 2-D grid of 20 x 20 voxels of 20 um with no-flux
     faces, S = 1 at first, D = 1e3 um^2/min: over 1,000 coupling steps of 0.1 min the amount of S
     in the fields plus Sin in the cells stays at its start to 1e-10 relative (checked every 100).
   -case bessel: tests/data/tissue/uptake.xml (linear uptake, lambda = 1 /min) in a disc of cells of
     radius a = 100 um inside vessels that hold S = 1 at r >= R = 200 um, D = 1e4: the steady state is
     u = A I0(kappa r) for r < a and 1 - C ln(R / r) beyond, kappa = sqrt(lambda / D),
     C = A kappa a I1(kappa a), A = 1 / (I0(kappa a) + kappa a I1(kappa a) ln(R / a)). The largest
     error over voxel centres with r < R decreases with h = 20, 10, 5 um, in coupling steps of
     dt = 2 h^2 / D (the disc and the ring are staircases: order about 1, at least 0.8 each halving). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "gepsim.h"

/* modified Bessel functions of the first kind, orders 0 and 1, by their power series (x <= 4 here) */
static PetscReal BesselI(PetscInt order, PetscReal x)
{
  PetscReal term = order ? x / 2 : 1, sum = term;
  for (PetscInt k = 1; k < 60; k++) {
    term *= (x / 2) * (x / 2) / ((PetscReal)k * (PetscReal)(k + order));
    sum += term;
  }
  return sum;
}

static PetscErrorCode CreateTissue(const char model_file[], PetscInt n, PetscReal h, PetscReal origin, GepModel *model,
                                   GepTissue *t)
{
  const PetscInt  N[2] = {n, n};
  const PetscReal o[2] = {origin, origin};
  const char     *f[]  = {"S"};

  PetscFunctionBegin;
  PetscCall(GepModelCreate(PETSC_COMM_WORLD, model));
  PetscCall(GepModelSetFile(*model, model_file));
  PetscCall(GepTissueCreate(PETSC_COMM_WORLD, t));
  PetscCall(GepTissueSetModel(*t, *model));
  PetscCall(GepTissueSetExtracellularCompartment(*t, "ext"));
  PetscCall(GepTissueSetGrid(*t, 2, N, h));
  PetscCall(GepTissueSetOrigin(*t, o));
  PetscCall(GepTissueSetFields(*t, 1, f));
  PetscCall(GepTissueSetFieldInitial(*t, 0, 1));
  PetscFunctionReturn(0);
}

/* S in the fields (mol: concentration x h^3 x 1e-15 L/um^3) plus Sin in the cells */
static PetscErrorCode Total(GepTissue t, PetscInt iSin, PetscReal *total)
{
  PetscReal        fields, cells = 0;
  PetscInt         n, ns;
  const PetscReal *x;

  PetscFunctionBegin;
  PetscCall(GepTissueGetFieldTotals(t, &fields));
  PetscCall(GepTissueGetCells(t, &n, &ns, &x));
  for (PetscInt c = 0; c < n; c++) cells += x[c * ns + iSin];
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &cells, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));
  *total = fields * 1e-15 + cells;
  PetscFunctionReturn(0);
}

static PetscErrorCode Balance(PetscInt *failures)
{
  GepModel  model;
  GepTissue t;
  PetscInt  iSin = -1, ns, ncell, all;
  PetscReal start, now, worst = 0;

  PetscFunctionBegin;
  PetscCall(CreateTissue("tests/data/tissue/exchange.xml", 20, 20, 0, &model, &t));
  PetscCall(GepTissueSetFieldDiffusion(t, 0, 1e3));
  PetscCall(GepTissueSetInitial(t, "disc:100"));
  PetscCall(GepTissueSetFromOptions(t));
  PetscCall(GepTissueSetUp(t));
  PetscCall(GepModelGetNumStates(model, &ns));
  for (PetscInt i = 0; i < ns; i++) {
    const char *name;
    PetscCall(GepModelGetStateName(model, i, &name));
    if (!strcmp(name, "Sin")) iSin = i;
  }
  PetscCall(GepTissueGetCells(t, &ncell, NULL, NULL));
  PetscCallMPI(MPI_Allreduce(&ncell, &all, 1, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(Total(t, iSin, &start));
  for (PetscInt k = 1; k <= 10; k++) {
    PetscCall(GepTissueSetTimes(t, 0.1, 10.0 * (PetscReal)k));
    PetscCall(GepTissueSolve(t));
    PetscCall(Total(t, iSin, &now));
    worst = PetscMax(worst, PetscAbsReal(now - start) / start);
  }
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "balance: %" PetscInt_FMT
                        " cells, 1000 steps, amount %.15g -> %.15g, largest relative change %.3e\n",
                        all, (double)start, (double)now, (double)worst));
  /* the cells must have taken some up: the test would pass without any exchange otherwise */
  {
    PetscReal fields;
    PetscCall(GepTissueGetFieldTotals(t, &fields));
    if (!(fields * 1e-15 < 0.9 * start) || all != 80) {
      PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                            "FAIL: no exchange (fields hold %.6g of %.6g) or %" PetscInt_FMT " cells, not 80\n",
                            (double)(fields * 1e-15), (double)start, all));
      (*failures)++;
    }
  }
  if (!(worst <= 1e-10)) {
    PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "FAIL: amount changed by %.3e relative (tolerance 1e-10)\n", (double)worst));
    (*failures)++;
  }
  PetscCall(GepTissueDestroy(&t));
  PetscCall(GepModelDestroy(&model));
  PetscFunctionReturn(0);
}

static PetscErrorCode BesselError(PetscReal h, PetscReal *err)
{
  GepModel     model;
  GepTissue    t;
  DM           da;
  Vec          u;
  PetscInt     n = (PetscInt)(440 / h + 0.5), xs, ys, xm, ym;
  PetscReal    a = 100, R = 200, D = 1e4, kappa = sqrt(1 / D), A, C, emax = 0;
  char         path[PETSC_MAX_PATH_LEN], spec[PETSC_MAX_PATH_LEN + 8];
  PetscMPIInt  rank;
  PetscScalar *v;

  PetscFunctionBegin;
  A = 1 / (BesselI(0, kappa * a) + kappa * a * BesselI(1, kappa * a) * log(R / a));
  C = A * kappa * a * BesselI(1, kappa * a);
  /* the vessels: every voxel whose centre is at r >= R */
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(PetscSNPrintf(path, sizeof(path), "/tmp/gepsim-bessel-%d-%d.csv", (int)getppid(), (int)n));
  if (!rank) {
    FILE *fp = fopen(path, "w");
    PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", path);
    for (PetscInt j = 0; j < n; j++)
      for (PetscInt i = 0; i < n; i++) {
        PetscReal x = -220 + ((PetscReal)i + 0.5) * h, y = -220 + ((PetscReal)j + 0.5) * h;
        if (x * x + y * y >= R * R) fprintf(fp, "%d,%d\n", (int)i, (int)j);
      }
    fclose(fp);
  }
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(CreateTissue("tests/data/tissue/uptake.xml", n, h, -220, &model, &t));
  PetscCall(GepTissueSetFieldDiffusion(t, 0, D));
  PetscCall(PetscSNPrintf(spec, sizeof(spec), "file:%s", path));
  PetscCall(GepTissueSetVessels(t, spec));
  PetscCall(GepTissueSetVesselValue(t, 0, 1));
  PetscCall(GepTissueSetInitial(t, "disc:100"));
  /* Strang splitting's error at the steady state grows as dt^2 D lambda / h^2 where the uptake jumps
     (the disc's edge): steps of D dt / h^2 = 2 keep it below the spatial error; 6 min is steady
     (the slowest mode decays as e^{-1.4 t}: 2e-4 left) */
  PetscCall(GepTissueSetTimes(t, 2 * h * h / D, 6));
  PetscCall(GepTissueSetFromOptions(t));
  PetscCall(GepTissueSetUp(t));
  PetscCall(GepTissueSolve(t));
  PetscCall(GepTissueGetDM(t, &da));
  PetscCall(GepTissueGetFields(t, &u));
  PetscCall(DMDAGetCorners(da, &xs, &ys, NULL, &xm, &ym, NULL));
  PetscCall(VecGetArray(u, &v));
  for (PetscInt j = ys; j < ys + ym; j++)
    for (PetscInt i = xs; i < xs + xm; i++) {
      PetscReal x[2], r, exact;
      PetscCall(GepTissueGetVoxelCenter(t, i, j, 0, x));
      r = PetscSqrtReal(x[0] * x[0] + x[1] * x[1]);
      if (r >= R) continue;
      exact = r < a ? A * BesselI(0, kappa * r) : 1 - C * log(R / r);
      emax  = PetscMax(emax, PetscAbsReal(v[(j - ys) * xm + (i - xs)] - exact));
    }
  PetscCall(VecRestoreArray(u, &v));
  PetscCall(MPIU_Allreduce(&emax, err, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bessel: h = %g um, largest error %.4e (u(0) exact %.6f)\n", (double)h,
                        (double)*err, (double)A));
  PetscCall(GepTissueDestroy(&t));
  PetscCall(GepModelDestroy(&model));
  PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
  if (!rank) (void)remove(path);
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(PetscInt *failures)
{
  char case_[16] = "balance";

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-case", case_, sizeof(case_), NULL));
  if (case_[0] == 'b' && case_[1] == 'a') PetscCall(Balance(failures));
  else {
    PetscReal e[3];
    for (PetscInt l = 0; l < 3; l++) PetscCall(BesselError(20.0 / (PetscReal)(1 << l), &e[l]));
    for (PetscInt l = 0; l + 1 < 3; l++) {
      PetscReal p = log2(e[l] / e[l + 1]);
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "bessel: order %.3f\n", (double)p));
      if (!(p >= 0.8)) {
        PetscCall(PetscPrintf(PETSC_COMM_WORLD, "FAIL: bessel order %.3f below 0.8\n", (double)p));
        (*failures)++;
      }
    }
  }
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscErrorCode ierr;
  PetscInt       failures = 0;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  ierr = GepPushErrorHandler();
  if (!ierr) ierr = Run(&failures);
  (void)PetscFinalize();
  return ierr || failures ? 1 : 0;
}
