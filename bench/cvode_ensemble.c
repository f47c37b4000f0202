/* Peer for `make bench`: the same ensemble as a gepsim run, integrated one member
   at a time by SUNDIALS CVODE (BDF, dense direct solver, difference-quotient
   Jacobian) with a hand-written C right-hand side. Reads the members' parameter
   sets and gepsim's trajectories from gepsim's HDF5 output, integrates every
   member at the benchmark tolerances (timed) and at tight tolerances (the
   reference), and reports time per member and both codes' maximum errors.

   usage: cvode_ensemble stat5|repressilator RTOL ATOL GEPSIM_OUTPUT.h5 [MORE_OUTPUTS.h5 ...]
   (parameters come from the first file; every file's error is reported) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <hdf5.h>
#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunlinsol/sunlinsol_dense.h>

#define MAXP 64

typedef struct {
  double p[MAXP]; /* model parameters by the index of names[] */
} Params;

/* ---------- STAT5 (Boehm et al. 2014): concentrations, cyt = 1.4, nuc = 0.45 ---------- */
static const char *stat5_names[]  = {"Epo_degradation_BaF3", "k_exp_hetero", "k_exp_homo", "k_imp_hetero",
                                     "k_imp_homo",           "k_phos",       "ratio",      NULL};
static const char *stat5_states[] = {"STAT5A", "STAT5B", "pApB", "pApA", "pBpB", "nucpApA", "nucpApB", "nucpBpB", NULL};

static int Stat5RHS(double t, N_Vector Y, N_Vector F, void *ctx)
{
  const double *p = ((Params *)ctx)->p, *y = N_VGetArrayPointer(Y);
  double       *f   = N_VGetArrayPointer(F);
  const double  cyt = 1.4, nuc = 0.45, epo = 1.25e-7 * exp(-p[0] * t);
  double        A = y[0], B = y[1], pApB = y[2], pApA = y[3], pBpB = y[4], nAA = y[5], nAB = y[6], nBB = y[7];
  double        v1 = cyt * epo * A * A * p[5], v2 = cyt * epo * A * B * p[5], v3 = cyt * epo * B * B * p[5];
  double        v4 = cyt * p[4] * pApA, v5 = cyt * p[3] * pApB, v6 = cyt * p[4] * pBpB;
  double        v7 = nuc * p[2] * nAA, v8 = nuc * p[1] * nAB, v9 = nuc * p[2] * nBB;
  f[0] = (-2 * v1 - v2 + 2 * v7 + v8) / cyt;
  f[1] = (-v2 - 2 * v3 + v8 + 2 * v9) / cyt;
  f[2] = (v2 - v5) / cyt;
  f[3] = (v1 - v4) / cyt;
  f[4] = (v3 - v6) / cyt;
  f[5] = (v4 - v7) / nuc;
  f[6] = (v5 - v8) / nuc;
  f[7] = (v6 - v9) / nuc;
  return 0;
}

static void Stat5Init(const double *p, double *y)
{
  memset(y, 0, 8 * sizeof(double));
  y[0] = 207.6 * p[6];
  y[1] = 207.6 - 207.6 * p[6];
}

/* ---------- Repressilator (Elowitz & Leibler 2000), cell = 1 ---------- */
static const char *rep_names[]  = {"KM",
                                   "eff",
                                   "eff_GFP",
                                   "n_Hill",
                                   "tau_mRNA",
                                   "tau_mRNA_GFP",
                                   "tau_prot",
                                   "tau_prot_GFP",
                                   "tps_active",
                                   "tps_repr",
                                   "init_X_protein",
                                   "init_Y_protein",
                                   "init_Z_protein",
                                   "init_GFP",
                                   "init_X_mRNA",
                                   "init_Y_mRNA",
                                   "init_Z_mRNA",
                                   "init_GFP_mRNA",
                                   NULL};
static const char *rep_states[] = {"X_protein", "Y_protein", "Z_protein", "GFP", "X_mRNA",
                                   "Y_mRNA",    "Z_mRNA",    "GFP_mRNA",  NULL};

static int RepRHS(double t, N_Vector Y, N_Vector F, void *ctx)
{
  const double *p = ((Params *)ctx)->p, *y = N_VGetArrayPointer(Y);
  double       *f  = N_VGetArrayPointer(F);
  const double  KM = p[0], eff = p[1], effG = p[2], n = p[3], tm = p[4], tmG = p[5], tp = p[6], tpG = p[7], ta = p[8],
               tr = p[9];
  double Xp = y[0], Yp = y[1], Zp = y[2], G = y[3], Xm = y[4], Ym = y[5], Zm = y[6], Gm = y[7];
  double l2 = log(2.0), Kn = pow(KM, n), a = 60 * tr, d = 60 * tr - 60 * ta;
  (void)t;
  f[0] = Xm * eff / tm - Xp * l2 / tp;
  f[1] = Ym * eff / tm - Yp * l2 / tp;
  f[2] = Zm * eff / tm - Zp * l2 / tp;
  f[3] = Gm * effG / tmG - G * l2 / tpG + a - Kn * d / (Kn + pow(Xp, n)); /* as in the SBML: v8 and v16 both make GFP */
  f[4] = a - Kn * d / (Kn + pow(Zp, n)) - Xm * l2 / tm;
  f[5] = a - Kn * d / (Kn + pow(Xp, n)) - Ym * l2 / tm;
  f[6] = a - Kn * d / (Kn + pow(Yp, n)) - Zm * l2 / tm;
  f[7] = -Gm * l2 / tmG;
  return 0;
}

static void RepInit(const double *p, double *y)
{
  for (int i = 0; i < 8; i++) y[i] = p[10 + i];
}

static void Die(const char *msg)
{
  fprintf(stderr, "cvode_ensemble: %s\n", msg);
  exit(1);
}

static double *ReadDataset(hid_t f, const char *name, hsize_t dims[3], int *ndims)
{
  hid_t   d = H5Dopen2(f, name, H5P_DEFAULT), s;
  double *buf;
  if (d < 0) Die("missing dataset");
  s      = H5Dget_space(d);
  *ndims = H5Sget_simple_extent_ndims(s);
  H5Sget_simple_extent_dims(s, dims, NULL);
  size_t n = 1;
  for (int i = 0; i < *ndims; i++) n *= dims[i];
  buf = malloc(n * sizeof(double));
  H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  H5Sclose(s);
  H5Dclose(d);
  return buf;
}

/* Column of each named parameter in gepsim's /parameter_names. */
static void MapParameters(hid_t f, const char **names, int *col)
{
  hid_t   d = H5Dopen2(f, "/parameter_names", H5P_DEFAULT), t = H5Dget_type(d), s = H5Dget_space(d);
  hsize_t n;
  size_t  len = H5Tget_size(t);
  H5Sget_simple_extent_dims(s, &n, NULL);
  char *buf = malloc(n * len);
  H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  for (int k = 0; names[k]; k++) {
    col[k] = -1;
    for (hsize_t j = 0; j < n; j++)
      if (!strncmp(buf + j * len, names[k], len)) col[k] = (int)j;
    if (col[k] < 0) Die("parameter not in gepsim output");
  }
  free(buf);
  H5Tclose(t);
  H5Sclose(s);
  H5Dclose(d);
}

/* Integrate one member, writing T x S outputs; returns 0 on success. */
static int Integrate(SUNContext ctx, CVRhsFn rhs, void (*init)(const double *, double *), Params *par,
                     const double *times, int T, int S, double rtol, double atol, double *out)
{
  N_Vector        y   = N_VNew_Serial(S, ctx);
  SUNMatrix       A   = SUNDenseMatrix(S, S, ctx);
  SUNLinearSolver LS  = SUNLinSol_Dense(y, A, ctx);
  void           *mem = CVodeCreate(CV_BDF, ctx);
  double          t   = times[0];
  int             rc  = 0;
  init(par->p, N_VGetArrayPointer(y));
  memcpy(out, N_VGetArrayPointer(y), S * sizeof(double));
  CVodeInit(mem, rhs, times[0], y);
  CVodeSStolerances(mem, rtol, atol);
  CVodeSetUserData(mem, par);
  CVodeSetLinearSolver(mem, LS, A);
  CVodeSetMaxNumSteps(mem, 1000000);
  for (int k = 1; k < T && !rc; k++) {
    rc = CVode(mem, times[k], y, &t, CV_NORMAL) < 0;
    memcpy(out + k * S, N_VGetArrayPointer(y), S * sizeof(double));
  }
  CVodeFree(&mem);
  SUNLinSolFree(LS);
  SUNMatDestroy(A);
  N_VDestroy(y);
  return rc;
}

static double Now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int main(int argc, char **argv)
{
  if (argc < 5) Die("usage: cvode_ensemble stat5|repressilator RTOL ATOL GEPSIM_OUTPUT.h5 [...]");
  int          stat5                     = !strcmp(argv[1], "stat5");
  const char **names                     = stat5 ? stat5_names : rep_names;
  CVRhsFn      rhs                       = stat5 ? Stat5RHS : RepRHS;
  void (*init)(const double *, double *) = stat5 ? Stat5Init : RepInit;
  double  rtol = atof(argv[2]), atol = atof(argv[3]);
  hid_t   f = H5Fopen(argv[4], H5F_ACC_RDONLY, H5P_DEFAULT);
  hsize_t dt[3], dp[3], dy[3];
  int     nd, col[MAXP], np = 0, N, T, S = 8;
  if (f < 0) Die("cannot open gepsim output");
  double *times = ReadDataset(f, "/time", dt, &nd);
  double *P     = ReadDataset(f, "/parameters", dp, &nd);
  double *G     = NULL;
  MapParameters(f, names, col);
  H5Fclose(f);
  while (names[np]) np++;
  N            = (int)dp[0];
  T            = (int)dt[0];
  double    *Y = malloc(sizeof(double) * N * T * S), *R = malloc(sizeof(double) * N * T * S);
  SUNContext ctx;
  SUNContext_Create(NULL, &ctx);
  Params *par = malloc(sizeof(Params) * N);
  for (int m = 0; m < N; m++)
    for (int k = 0; k < np; k++) par[m].p[k] = P[(size_t)m * dp[1] + col[k]];
  double t0 = Now();
  for (int m = 0; m < N; m++)
    if (Integrate(ctx, rhs, init, &par[m], times, T, S, rtol, atol, Y + (size_t)m * T * S)) Die("CVODE failed");
  double elapsed = Now() - t0;
  for (int m = 0; m < N; m++)
    if (Integrate(ctx, rhs, init, &par[m], times, T, S, 1e-12, 1e-14 * 1e-2, R + (size_t)m * T * S))
      Die("CVODE reference failed");
  /* errors relative to the reference, floored at atol scaled like the tolerances */
  double ecv = 0;
  for (size_t i = 0; i < (size_t)N * T * S; i++) ecv = fmax(ecv, fabs(Y[i] - R[i]) / (fabs(R[i]) + atol / rtol));
  printf("cvode_members %d\ncvode_seconds %.6f\ncvode_ms_per_member %.6f\ncvode_max_error %.3e\n", N, elapsed,
         1e3 * elapsed / N, ecv);
  for (int a = 4; a < argc; a++) {
    double egep = 0;
    f           = H5Fopen(argv[a], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) Die("cannot open gepsim output");
    G = ReadDataset(f, "/trajectories", dy, &nd);
    H5Fclose(f);
    if ((int)dy[0] != N || (int)dy[1] != T || (int)dy[2] != S)
      Die("gepsim output must hold the 8 states in the bench order");
    for (size_t i = 0; i < (size_t)N * T * S; i++) egep = fmax(egep, fabs(G[i] - R[i]) / (fabs(R[i]) + atol / rtol));
    printf("gepsim_max_error %s %.3e\n", argv[a], egep);
    free(G);
  }
  printf("states");
  for (const char **st = stat5 ? stat5_states : rep_states; *st; st++) printf(" %s", *st);
  printf("\n");
  SUNContext_Free(&ctx);
  free(times);
  free(P);
  free(Y);
  free(R);
  free(par);
  return 0;
}
