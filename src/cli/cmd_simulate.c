/* gepsim simulate DECK: integrate a model or an ensemble of it, write one
   HDF5 file (layout in docs/formats.md) and an SVG of the trajectories. */
#include <string.h>
#include "gepcli.h"

typedef struct {
  char     out[PETSC_MAX_PATH_LEN], svg[PETSC_MAX_PATH_LEN];
  char    *plot[64];
  PetscInt nplot, plot_members;
} GepSimulateOptions;

static PetscErrorCode ReadOptions(MPI_Comm comm, GepSimulateOptions *o)
{
  PetscBool set;

  PetscFunctionBegin;
  PetscCall(PetscStrncpy(o->out, "gepsim-simulate.h5", sizeof(o->out)));
  o->nplot = 64;
  PetscOptionsBegin(comm, NULL, "gepsim simulate", "gepsim");
  PetscCall(PetscOptionsString("-o", "Output HDF5 file", "gepsim simulate", o->out, o->out, sizeof(o->out), NULL));
  PetscCall(PetscOptionsString("-simulate_svg", "SVG figure of the trajectories (default: output name with .svg)",
                               "gepsim simulate", "", o->svg, sizeof(o->svg), &set));
  if (!set) PetscCall(GepSiblingPath(o->out, ".svg", o->svg, sizeof(o->svg)));
  PetscCall(PetscOptionsStringArray("-simulate_plot", "Outputs to plot (default: the first 8)", "gepsim simulate",
                                    o->plot, &o->nplot, &set));
  if (!set) o->nplot = 0;
  o->plot_members = 10000;
  PetscCall(PetscOptionsInt("-simulate_plot_members",
                            "Members whose quantiles make the figure's bands: every k-th member, at most this many",
                            "gepsim simulate", o->plot_members, &o->plot_members, NULL));
  PetscCheck(o->plot_members >= 1, comm, PETSC_ERR_USER,
             "-simulate_plot_members must be at least 1, got %" PetscInt_FMT, o->plot_members);
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

static int CompareReal(const void *a, const void *b)
{
  PetscReal x = *(const PetscReal *)a, y = *(const PetscReal *)b;
  return (x > y) - (x < y);
}

/* Median and 5-95 % band of each plotted output over all members, on rank 0. */
/* the outputs plotted: -simulate_plot's, or the first 8 */
static PetscErrorCode PlottedOutputs(MPI_Comm comm, GepModel model, GepSimulateOptions *o, PetscInt *np,
                                     PetscInt **which)
{
  PetscInt nout;

  PetscFunctionBegin;
  PetscCall(GepModelGetNumOutputs(model, &nout));
  *np = o->nplot ? o->nplot : PetscMin(nout, 8);
  PetscCall(PetscMalloc1(*np + 1, which));
  for (PetscInt j = 0; j < *np; j++) {
    (*which)[j] = o->nplot ? -1 : j;
    for (PetscInt k = 0; k < nout && o->nplot; k++) {
      const char *name;
      PetscBool   eq;
      PetscCall(GepModelGetOutputName(model, k, &name));
      PetscCall(PetscStrcmp(name, o->plot[j], &eq));
      if (eq) (*which)[j] = k;
    }
    PetscCheck((*which)[j] >= 0, comm, PETSC_ERR_USER, "-simulate_plot: '%s' is not an output (see -model_outputs)",
               o->plot[j]);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Plot(MPI_Comm comm, GepModel model, GepEnsemble ens, GepSimulateOptions *o)
{
  PetscInt         N, nloc, first, T, nout, *which = NULL, np = 0, stride, Ns, mfirst, nsub;
  const PetscReal *t, *y;
  PetscReal       *mine, *all = NULL, *stats, *col;
  PetscMPIInt      rank, size, *counts = NULL, *displs = NULL, n;
  GepSVGSeries    *series;
  char             title[PETSC_MAX_PATH_LEN + 64];
  const char      *file;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(GepEnsembleGetSizes(ens, &N, &nloc, NULL));
  PetscCall(GepEnsembleGetTimes(ens, &T, &t));
  PetscCall(GepEnsembleGetOutputs(ens, &y));
  PetscCall(GepModelGetNumOutputs(model, &nout));
  PetscCall(PlottedOutputs(comm, model, o, &np, &which));
  /* The bands come from a fixed subsample: every stride-th member by global index (at
     most -simulate_plot_members), the same on any number of ranks. Only those are
     gathered, so the figure's memory does not grow with the ensemble. */
  PetscCall(GepEnsembleGetSizes(ens, NULL, NULL, &first));
  stride = (N + o->plot_members - 1) / o->plot_members;
  Ns     = (N + stride - 1) / stride;
  mfirst = (first + stride - 1) / stride; /* first subsampled member held here */
  nsub   = nloc > 0 ? PetscMax(0, (first + nloc - 1) / stride - mfirst + 1) : 0;
  PetscCall(PetscMalloc1(nsub * T * np + 1, &mine));
  for (PetscInt s = 0; s < nsub; s++) {
    PetscInt m = (mfirst + s) * stride - first;
    for (PetscInt k = 0; k < T; k++)
      for (PetscInt j = 0; j < np; j++) mine[(s * T + k) * np + j] = y[(m * T + k) * nout + which[j]];
  }
  if (rank == 0) PetscCall(PetscMalloc3(Ns * T * np, &all, size, &counts, size, &displs));
  PetscCall(PetscMPIIntCast(nsub * T * np, &n));
  PetscCallMPI(MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, comm));
  if (rank == 0)
    for (PetscMPIInt r = 0; r < size; r++) displs[r] = r ? displs[r - 1] + counts[r - 1] : 0;
  PetscCallMPI(MPI_Gatherv(mine, n, MPIU_REAL, all, counts, displs, MPIU_REAL, 0, comm));
  if (rank == 0) {
    PetscCall(PetscMalloc3(3 * np * T, &stats, Ns, &col, np, &series));
    for (PetscInt j = 0; j < np; j++) {
      for (PetscInt k = 0; k < T; k++) {
        PetscInt nv = 0; /* failed members (NaN) are left out */
        for (PetscInt m = 0; m < Ns; m++)
          if (!PetscIsNanReal(all[(m * T + k) * np + j])) col[nv++] = all[(m * T + k) * np + j];
        qsort(col, (size_t)nv, sizeof(PetscReal), CompareReal);
        stats[(3 * j + 0) * T + k] = nv ? col[(nv - 1) / 2] : (PetscReal)NAN;
        stats[(3 * j + 1) * T + k] = nv ? col[(PetscInt)(0.05 * (nv - 1))] : (PetscReal)NAN;
        stats[(3 * j + 2) * T + k] = nv ? col[(PetscInt)(0.95 * (nv - 1))] : (PetscReal)NAN;
      }
      PetscCall(GepModelGetOutputName(model, which[j], &series[j].label));
      series[j].y     = stats + (3 * j + 0) * T;
      series[j].lo    = N > 1 ? stats + (3 * j + 1) * T : NULL;
      series[j].hi    = N > 1 ? stats + (3 * j + 2) * T : NULL;
      series[j].marks = NULL;
    }
    PetscCall(GepModelGetFile(model, &file));
    if (stride == 1)
      PetscCall(PetscSNPrintf(title, sizeof(title), "%s: %" PetscInt_FMT " member%s%s", file, N, N > 1 ? "s" : "",
                              N > 1 ? " (median, 5-95 %)" : ""));
    else
      PetscCall(PetscSNPrintf(title, sizeof(title),
                              "%s: %" PetscInt_FMT " members (median, 5-95 %% of every %" PetscInt_FMT
                              "th: %" PetscInt_FMT ")",
                              file, N, stride, Ns));
    PetscCall(GepSVGLinePlot(o->svg, title, "time", "value", T, t, np, series));
    PetscCall(PetscFree3(stats, col, series));
    PetscCall(PetscFree3(all, counts, displs));
  }
  PetscCall(PetscFree(mine));
  PetscCall(PetscFree(which));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteNames(GepH5 h5, const char name[], PetscInt n,
                                 PetscErrorCode (*get)(GepModel, PetscInt, const char **), GepModel model)
{
  const char **names;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n + 1, &names));
  for (PetscInt k = 0; k < n; k++) PetscCall(get(model, k, &names[k]));
  PetscCall(GepH5WriteStrings(h5, name, n, names));
  PetscCall(PetscFree(names));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteHDF5(MPI_Comm comm, GepModel model, GepEnsemble ens, const char path[],
                                PetscLogDouble t_start)
{
  GepH5            h5;
  PetscInt         N, nloc, first, T, nout, np, nvary, dims[3];
  const PetscReal *t, *y, *p;
  const PetscInt  *varied;
  const char      *deck, *text, *file;
  char            *options;
  PetscMPIInt      size;
  PetscLogDouble   now;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_Output, 0, 0, 0, 0));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(GepEnsembleGetSizes(ens, &N, &nloc, &first));
  PetscCall(GepEnsembleGetTimes(ens, &T, &t));
  PetscCall(GepEnsembleGetOutputs(ens, &y));
  PetscCall(GepEnsembleGetParameters(ens, &p));
  PetscCall(GepEnsembleGetVaried(ens, &nvary, &varied));
  PetscCall(GepModelGetNumOutputs(model, &nout));
  PetscCall(GepModelGetNumParameters(model, &np));
  PetscCall(GepH5Create(comm, path, &h5));
  PetscCall(GepH5WriteReal(h5, "/time", 1, &T, 0, T, t));
  dims[0] = N;
  dims[1] = T;
  dims[2] = nout;
  PetscCall(GepH5WriteReal(h5, "/trajectories", 3, dims, first, nloc, y));
  PetscCall(WriteNames(h5, "/output_names", nout, GepModelGetOutputName, model));
  {
    const PetscInt *status;
    PetscInt        nfailed;
    PetscCall(GepEnsembleGetStatus(ens, &status, &nfailed, NULL));
    PetscCall(GepH5WriteInt(h5, "/status", N, first, nloc, status)); /* 0 integrated, 1 failed (NaN) */
    PetscCall(GepH5WriteAttrInt(h5, "/", "failed_members", nfailed));
  }
  dims[1] = np;
  PetscCall(GepH5WriteReal(h5, "/parameters", 2, dims, first, nloc, p));
  PetscCall(WriteNames(h5, "/parameter_names", np, GepModelGetParameterName, model));
  {
    const char **vn;
    PetscCall(PetscMalloc1(nvary + 1, &vn));
    for (PetscInt j = 0; j < nvary; j++) PetscCall(GepModelGetParameterName(model, varied[j], &vn[j]));
    PetscCall(GepH5WriteStrings(h5, "/varied_parameters", nvary, vn));
    PetscCall(PetscFree(vn));
  }
  PetscCall(GepDeckGetText(&deck, &text));
  PetscCall(GepModelGetFile(model, &file));
  PetscCall(PetscOptionsGetAll(NULL, &options));
  PetscCall(GepH5WriteAttrString(h5, "/", "gepsim_version", GEPSIM_VERSION));
  PetscCall(GepH5WriteAttrString(h5, "/", "command", "simulate"));
  PetscCall(GepH5WriteAttrString(h5, "/", "model_file", file));
  PetscCall(GepH5WriteAttrString(h5, "/", "deck_file", deck));
  PetscCall(GepH5WriteAttrString(h5, "/", "deck_text", text));
  PetscCall(GepH5WriteAttrString(h5, "/", "options", options));
  PetscCall(GepH5WriteAttrInt(h5, "/", "ranks", size));
  PetscCall(GepH5WriteAttrInt(h5, "/", "ensemble_size", N));
  PetscCall(PetscFree(options));
  PetscCall(PetscTime(&now));
  PetscCall(GepH5WriteAttrReal(h5, "/", "wall_time_seconds", now - t_start));
  PetscCall(GepH5Commit(&h5));
  PetscCall(PetscLogEventEnd(GEP_Output, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepCommandSimulate(MPI_Comm comm, const char *const args[], PetscBool run)
{
  GepModel           model;
  GepEnsemble        ens;
  GepSimulateOptions o;
  PetscLogDouble     t0, t1, t2;
  PetscInt           N;
  PetscMPIInt        size;

  PetscFunctionBegin;
  (void)args; /* the deck, loaded by main */
  PetscCall(PetscTime(&t0));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMemzero(&o, sizeof(o)));
  PetscCall(ReadOptions(comm, &o));
  PetscCall(GepModelCreate(comm, &model));
  PetscCall(GepModelSetFromOptions(model));
  PetscCall(GepEnsembleCreate(comm, &ens));
  PetscCall(GepEnsembleSetModel(ens, model));
  PetscCall(GepEnsembleSetProgress(ens, PETSC_TRUE));
  PetscCall(GepEnsembleSetFromOptions(ens));
  if (!run) {
    for (PetscInt j = 0; j < o.nplot; j++) PetscCall(PetscFree(o.plot[j]));
    PetscCall(GepEnsembleDestroy(&ens));
    PetscCall(GepModelDestroy(&model));
    PetscFunctionReturn(0);
  }
  PetscCall(GepDeckCheckUnused(comm, "simulate", GEP_DECK_BEFORE_SETUP));
  PetscCall(GepOutputCheckWritable(comm, o.out));
  PetscCall(GepEnsembleSetUp(ens));
  PetscCall(GepModelViewFromOptions(model, NULL, "-model_view"));
  PetscCall(GepEnsembleViewFromOptions(ens, NULL, "-ensemble_view"));
  PetscCall(GepDeckCheckUnused(comm, "simulate", GEP_DECK_AFTER_SETUP));
  PetscCall(GepEnsembleGetSizes(ens, &N, NULL, NULL));
  PetscCall(PetscPrintf(comm, "gepsim simulate: %" PetscInt_FMT " member(s) on %d rank(s)\n", N, size));
  PetscCall(PetscTime(&t1));
  PetscCall(GepEnsembleSolve(ens));
  PetscCall(PetscTime(&t2));
  PetscCall(PetscPrintf(comm, "gepsim simulate: integrated in %.3f s (%.4f ms per member)\n", t2 - t1,
                        1e3 * (t2 - t1) / (double)N));
  {
    PetscInt    nfailed;
    const char *why;
    PetscCall(GepEnsembleGetStatus(ens, NULL, &nfailed, &why));
    if (nfailed)
      PetscCall(PetscPrintf(comm,
                            "gepsim simulate: %" PetscInt_FMT " of %" PetscInt_FMT
                            " members failed (status 1 and NaN in the output); the first, %s\n",
                            nfailed, N, why));
  }
  PetscCall(GepDeckCheckUnused(comm, "simulate", GEP_DECK_AFTER_SOLVE));
  PetscCall(WriteHDF5(comm, model, ens, o.out, t0));
  PetscCall(Plot(comm, model, ens, &o));
  PetscCall(PetscPrintf(comm, "gepsim simulate: wrote %s and %s\n", o.out, o.svg));
  for (PetscInt j = 0; j < o.nplot; j++) PetscCall(PetscFree(o.plot[j]));
  PetscCall(GepEnsembleDestroy(&ens));
  PetscCall(GepModelDestroy(&model));
  PetscFunctionReturn(0);
}
