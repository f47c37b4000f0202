/* Diffusion-decay of the tissue's fields against closed forms, with the observed order of
   convergence in space and in time (each from three successive halvings: the order of each pair
   must lie in [1.9, 2.1]).
   -case strip: BioFVM's convergence problem 1, a 1-D strip on [-500, 500] um (no-flux ends),
     D = 1e5 um^2/min, u = 1 + cos(pi x / 500) exp(-D pi^2 t / 500^2), to t = 0.1 min.
   -case box: a 3-D box of 1000 um, periodic in x, no-flux in y and z, D = 2e4, decay 0.5 /min:
     u = e^{-k t} (2 + sin(2 pi x / L) cos(pi y / L) cos(pi z / L) e^{-D (4 + 1 + 1) pi^2 t / L^2}),
     to t = 0.2 min.
   -case dirichlet: the strip's steady state with u(-500) = 1, u(500) = 3 and decay k: the
     closed form is a combination of cosh and sinh of x sqrt(k / D), reached from the line
     2 + x / 500; space order only.
   -case vessel: the strip with decay 0.4 whose first voxel is a vessel held at 1
     (tests/data/tissue/vessel-strip.csv): the steady state cosh(a (L - x)) / cosh(a (L - x0)), x0 that
     voxel's centre; space order only; bdf2 and sdirk2 (L-stable) only.
   -scheme cn|bdf2|sdirk2 (the box's space order with cn only). Errors are maxima over voxels of |u - exact| at the
   voxel centres. */
#include <math.h>
#include "gepsim.h"

typedef enum { STRIP, BOX, DIRICHLET, VESSEL } Case;

static const PetscReal L = 500, Lbox = 1000;

/* the decay rate of the mode of wavenumber kappa under diffusion D: D kappa^2, or, given the voxel
   size h, that of the cell-centred grid's Laplacian, (4 D / h^2) sin^2(kappa h / 2), of which the mode
   sampled at voxel centres is an eigenvector: the exact solution of the semi-discrete problem */
static PetscReal Rate(PetscReal D, PetscReal kappa, PetscReal h)
{
  return h > 0 ? 4 * D / (h * h) * pow(sin(kappa * h / 2), 2) : D * kappa * kappa;
}

/* the exact solution; with h > 0, that of the semi-discrete problem (time orders) */
static PetscReal Exact(Case c, const PetscReal x[], PetscReal t, PetscReal h, PetscReal hgrid)
{
  if (c == STRIP) return 1 + cos(PETSC_PI * x[0] / L) * exp(-Rate(1e5, PETSC_PI / L, h) * t);
  if (c == BOX) {
    PetscReal D = 2e4, k = 0.5, K = PETSC_PI / Lbox;
    return exp(-k * t) *
           (2 + sin(2 * K * x[0]) * cos(K * x[1]) * cos(K * x[2]) * exp(-(Rate(D, 2 * K, h) + 2 * Rate(D, K, h)) * t));
  }
  if (c == VESSEL) { /* held at 1 at the first voxel's centre, x0 = -L + h/2; no flux at L */
    PetscReal a = sqrt(0.4 / 1e5), x0 = -L + hgrid / 2;
    return cosh(a * (L - x[0])) / cosh(a * (L - x0));
  }
  {
    PetscReal a = sqrt(0.4 / 1e5), s = (3 - 1) / (2 * sinh(a * L)), m = (3 + 1) / (2 * cosh(a * L));
    return m * cosh(a * x[0]) + s * sinh(a * x[0]);
  }
}

/* the largest error at time tfinal on a grid of n voxels per long axis stepped with dt */
static PetscErrorCode Error(Case c, const char scheme[], PetscInt n, PetscReal dt, PetscReal tfinal, PetscBool semi,
                            PetscReal *err)
{
  GepTissue    t;
  DM           da;
  Vec          u;
  PetscInt     xs, ys, zs, xm, ym, zm;
  PetscReal    emax = 0;
  PetscScalar *a;
  PetscReal    h = (c == BOX ? Lbox : 2 * L) / (PetscReal)n;

  PetscFunctionBegin;
  PetscCall(GepTissueCreate(PETSC_COMM_WORLD, &t));
  if (c == BOX) {
    const PetscInt  N[3] = {n, n, n};
    const PetscReal o[3] = {0, 0, 0};
    const char     *f[]  = {"S"};
    PetscCall(GepTissueSetGrid(t, 3, N, h));
    PetscCall(GepTissueSetOrigin(t, o));
    PetscCall(GepTissueSetFields(t, 1, f));
    PetscCall(GepTissueSetFieldDiffusion(t, 0, 2e4));
    PetscCall(GepTissueSetFieldDecay(t, 0, 0.5));
    PetscCall(GepTissueSetFieldBoundary(t, 0, GEP_FACE_XMIN, GEP_BOUNDARY_PERIODIC, 0));
    PetscCall(GepTissueSetFieldBoundary(t, 0, GEP_FACE_XMAX, GEP_BOUNDARY_PERIODIC, 0));
  } else {
    const PetscInt  N[2] = {n, 1};
    const PetscReal o[2] = {-L, -h / 2};
    const char     *f[]  = {"S"};
    PetscCall(GepTissueSetGrid(t, 2, N, h));
    PetscCall(GepTissueSetOrigin(t, o));
    PetscCall(GepTissueSetFields(t, 1, f));
    PetscCall(GepTissueSetFieldDiffusion(t, 0, 1e5));
    if (c == VESSEL) {
      PetscCall(GepTissueSetFieldDecay(t, 0, 0.4));
      PetscCall(GepTissueSetVessels(t, "file:tests/data/tissue/vessel-strip.csv"));
      PetscCall(GepTissueSetVesselValue(t, 0, 1));
    }
    if (c == DIRICHLET) {
      PetscCall(GepTissueSetFieldDecay(t, 0, 0.4));
      PetscCall(GepTissueSetFieldBoundary(t, 0, GEP_FACE_XMIN, GEP_BOUNDARY_DIRICHLET, 1));
      PetscCall(GepTissueSetFieldBoundary(t, 0, GEP_FACE_XMAX, GEP_BOUNDARY_DIRICHLET, 3));
    }
  }
  PetscCall(GepTissueSetTimes(t, dt, tfinal));
  PetscCall(PetscOptionsSetValue(NULL, "-tissue_diffusion_scheme", scheme));
  PetscCall(GepTissueSetFromOptions(t));
  PetscCall(GepTissueSetUp(t));
  PetscCall(GepTissueGetDM(t, &da));
  PetscCall(GepTissueGetFields(t, &u));
  PetscCall(DMDAGetCorners(da, &xs, &ys, &zs, &xm, &ym, &zm));
  for (PetscInt pass = 0; pass < 2; pass++) {
    PetscCall(VecGetArray(u, &a));
    for (PetscInt k = zs; k < zs + zm; k++)
      for (PetscInt j = ys; j < ys + ym; j++)
        for (PetscInt i = xs; i < xs + xm; i++) {
          PetscReal x[3] = {0, 0, 0};
          PetscInt  l    = ((k - zs) * ym + (j - ys)) * xm + (i - xs);
          PetscCall(GepTissueGetVoxelCenter(t, i, j, k, x));
          if (pass == 0) {
            if (c != VESSEL) a[l] = c == DIRICHLET ? 2 + x[0] / L : Exact(c, x, 0, 0, h); /* VESSEL: as set up */
          } else emax = PetscMax(emax, PetscAbsReal(a[l] - Exact(c, x, tfinal, semi ? h : 0, h)));
        }
    PetscCall(VecRestoreArray(u, &a));
    if (pass == 0) PetscCall(GepTissueSolve(t));
  }
  PetscCall(MPIU_Allreduce(&emax, err, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscCall(GepTissueDestroy(&t));
  PetscFunctionReturn(0);
}

static PetscErrorCode Orders(const char what[], const PetscReal e[], PetscInt n, PetscInt *failures)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i + 1 < n; i++) {
    PetscReal p = log2(e[i] / e[i + 1]);
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "%s: error %.3e -> %.3e, order %.3f\n", what, (double)e[i],
                          (double)e[i + 1], (double)p));
    if (!(p >= 1.9 && p <= 2.1)) {
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "FAIL: %s order %.3f outside [1.9, 2.1]\n", what, (double)p));
      (*failures)++;
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(PetscInt *failures_out)
{
  char      cs[16] = "strip", scheme[16] = "cn";
  Case      c;
  PetscReal e[3];
  PetscInt  failures = 0;
  PetscReal ttime = 0.8, tdt = 0.02;

  PetscFunctionBegin;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-case", cs, sizeof(cs), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-scheme", scheme, sizeof(scheme), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-ttime", &ttime, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-tdt", &tdt, NULL));
  c = cs[0] == 's' ? STRIP : (cs[0] == 'b' ? BOX : (cs[0] == 'd' ? DIRICHLET : VESSEL));
  /* space: against the PDE's solution, with steps small enough that the time error is negligible;
     time: against the semi-discrete problem's exact solution, which has no spatial error */
  if (c == STRIP) {
    for (PetscInt l = 0; l < 3; l++) PetscCall(Error(c, scheme, 25 << l, 5e-4, 0.1, PETSC_FALSE, &e[l]));
    PetscCall(Orders("strip, space", e, 3, &failures));
    for (PetscInt l = 0; l < 3; l++) PetscCall(Error(c, scheme, 100, tdt / (1 << l), ttime, PETSC_TRUE, &e[l]));
    PetscCall(Orders("strip, time", e, 3, &failures));
  } else if (c == BOX) {
    /* the spatial operator is the scheme's too: its order is measured once, with Crank-Nicolson, whose
       time error at these steps is 1e-2 of the spatial one (BDF2's would be 1e-1) */
    if (scheme[0] == 'c') {
      for (PetscInt l = 0; l < 3; l++) PetscCall(Error(c, scheme, 16 << l, 5e-3, 0.2, PETSC_FALSE, &e[l]));
      PetscCall(Orders("box, space", e, 3, &failures));
    }
    for (PetscInt l = 0; l < 3; l++) PetscCall(Error(c, scheme, 16, 0.05 / (1 << l), 1.0, PETSC_TRUE, &e[l]));
    PetscCall(Orders("box, time", e, 3, &failures));
  } else if (c == DIRICHLET) {
    /* from the line through the face values (smooth: no sharp modes for Crank-Nicolson, which is not
       L-stable, to damp) to the steady state: 40 min, the slowest mode decaying as e^{-0.4 t} */
    for (PetscInt l = 0; l < 3; l++)
      PetscCall(Error(c, scheme, 25 << l, scheme[0] == 'c' ? 0.1 : 1, 40, PETSC_FALSE, &e[l]));
    PetscCall(Orders("dirichlet steady state, space", e, 3, &failures));
  } else {
    /* from 0 everywhere but the vessel, in steps of 1 min (D dt / h^2 up to 1e3): only L-stable schemes
       damp the start's sharp modes (Crank-Nicolson keeps them as (-1)^n) */
    PetscCheck(scheme[0] != 'c', PETSC_COMM_WORLD, PETSC_ERR_SUP, "-case vessel: with bdf2 or sdirk2 (L-stable)");
    for (PetscInt l = 0; l < 3; l++) PetscCall(Error(c, scheme, 25 << l, 1, 40, PETSC_FALSE, &e[l]));
    PetscCall(Orders("vessel steady state, space", e, 3, &failures));
  }
  *failures_out = failures;
  PetscFunctionReturn(0);
}

/* errors end the run with one line and a non-zero status, as gepsim's commands do */
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
