/* GepScreen internals. */
#pragma once
#include <petsc/private/petscimpl.h>
#include <hdf5.h>
#include "gepscreen.h"
#include "gepsys.h"
#include "gepsvg.h"

PETSC_INTERN PetscLogEvent GEP_ScreenSetUp, GEP_ScreenSchedule, GEP_ScreenUnit, GEP_ScreenCommit;

/* a swept parameter: a list of values, or a dimension of the Latin hypercube */
typedef struct {
  char      *name;
  PetscInt   param;
  PetscBool  lhs;
  PetscReal  lo, hi;
  PetscInt   n;
  PetscReal *values;
} GepSweep;

/* a readout's building block, computed from one output's trajectory */
typedef enum { GEP_PRIM_AT, GEP_PRIM_MAX, GEP_PRIM_MIN, GEP_PRIM_AUC, GEP_PRIM_TTHRESH, GEP_PRIM_SS } GepPrimKind;
typedef struct {
  GepPrimKind kind;
  PetscInt    output; /* model output index */
  PetscReal   arg;    /* the time of X@t, the level of tthresh */
  PetscInt    k;      /* X@t: its output time index */
} GepPrimitive;

typedef struct {
  char      *text;         /* as given: the column's name */
  char      *formula_text; /* the blocks replaced by __r0, __r1, ... */
  GepFormula formula;
  PetscInt   nprim;
  PetscInt  *prim; /* its primitives, the formula's inputs __r0, __r1, ... */
} GepReadout;

typedef struct _GepScreenOps *GepScreenOps;
struct _GepScreenOps {
  PetscErrorCode (*rununit)(GepScreen, PetscInt unit); /* integrate a unit of conditions and make its readouts */
};

struct _p_GepScreen {
  PETSCHEADER(struct _GepScreenOps);
  MPI_Comm        comm;
  GepModel        model;
  GepPerturbation pert;
  char           *out, *csv;
  PetscBool       setup;

  /* options */
  char     *sel_genotypes, *sel_environments, *knockouts, *sweep_text, *readout_text;
  char     *summary_readout, *dose, *drugs; /* summaries: -screen_summary_readout, -screen_dose, -screen_drugs */
  char    **vary_spec;
  PetscInt  nvary_spec;
  PetscBool pairs, progress, resume;
  PetscBool abandoned;   /* this rank stopped its unit early (SIGTERM) */
  PetscBool interrupted; /* the screen stopped before its end (SIGTERM) */
  PetscInt  nrep, lhs_samples, seed, chunk, ranks_per, steps;
  PetscInt  slice, nslice; /* -screen_slice i/n: this run's share of the units */
  PetscReal t0, tfinal, ss_rtol, ss_atol, ss_tmax, commit_interval;

  /* conditions: c = ((g nenv + e) npoint + s) nrep + r */
  PetscInt      ngeno, *geno, nenv, *env;
  PetscInt     *ko_bg, *ko_a, *ko_b; /* per screened genotype: its background's position, knocked-out targets or -1 */
  char        **ko_target;           /* the knockout targets */
  PetscInt      nko;
  GepSweep     *sweep;
  PetscInt      nsweep, npoint;
  PetscReal    *point; /* npoint x nsweep */
  GepVariation *vary;
  PetscInt      nvary;
  PetscReal    *repfactor; /* nrep x nvary: replicate r's factors (the same in every condition) */
  PetscInt      N, np;
  PetscReal    *nominal;

  /* readouts */
  GepPrimitive *prim;
  PetscInt      nprim;
  GepReadout   *read;
  PetscInt      nread;
  char        **outname; /* the model outputs the primitives read */
  PetscInt      nout;
  PetscReal    *times;
  PetscInt      T, kfinal; /* output times; tfinal's index (later ones only for ss()) */
  PetscBool     has_ss;
  PetscReal    *blockbuf; /* nprim: a readout's inputs */

  /* execution */
  MPI_Comm   gcomm;       /* this rank's group (-screen_ranks_per_condition) */
  PetscInt   unit, nunit; /* conditions per unit, units */
  PetscReal *ubuf;        /* a unit's results on its group's leader: unit x (nread + 3) */
  char      *ureason;     /* a unit's failure reasons: "i<TAB>reason<NL>" lines */
  size_t     ureason_len, ureason_cap;

  /* results, on rank 0 */
  PetscReal *table; /* N x nread */
  PetscReal *wall;  /* N */
  PetscInt  *status, *ss_reached;
  char     **reason;
  PetscBool *unit_done;
  PetscInt   nunit_done;
  void      *writer; /* the results file while the screen runs (screen_output.c) */
};

/* columns of a unit's result rows: the readouts, then status, ss_reached, wall time */
#define GEP_SCREEN_NEXTRA 3

PETSC_INTERN PetscErrorCode GepScreenParseSweeps(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenParseReadouts(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenCompileReadouts(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenSelectConditions(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenConditionParameters(GepScreen, PetscInt c, PetscReal p[]);
PETSC_INTERN PetscErrorCode GepScreenConditionIndices(GepScreen, PetscInt c, PetscInt *g, PetscInt *e, PetscInt *s,
                                                      PetscInt *r);
PETSC_INTERN PetscErrorCode GepScreenOutputTimes(GepScreen);
/* one condition's readouts from its trajectory y (T x nout) and the output index at which each
   ss() block settled (-1: it did not): row[nread], and whether every ss() settled */
PETSC_INTERN PetscErrorCode GepScreenReadoutsOf(GepScreen, const PetscReal y[], const PetscInt kss[], PetscReal row[],
                                                PetscBool *settled);
typedef struct {
  GepScreen s;
  PetscInt *kss; /* a unit's members x nprim: where each ss() block settled, or -1 */
} GepSteadyCtx;
PETSC_INTERN PetscErrorCode GepScreenSteadyMonitor(GepEnsemble, PetscInt k, PetscBool *stop, void *ctx);
PETSC_INTERN PetscErrorCode GepScreenRunUnit_Ensemble(GepScreen, PetscInt unit);
PETSC_INTERN PetscErrorCode GepScreenRun(GepScreen);
/* whether unit u is in this run's slice */
static inline PetscBool GepScreenUnitInSlice(GepScreen s, PetscInt u)
{
  return (PetscBool)(u >= s->slice * s->nunit / s->nslice && u < (s->slice + 1) * s->nunit / s->nslice);
}
/* the results file while the screen runs (rank 0) */
#define GEP_REASON_LEN 128

typedef struct {
  hid_t      file, readouts, status, reason, wall, ss;
  FILE      *journal;
  PetscBool *pending;
  char       part[PETSC_MAX_PATH_LEN], journal_path[PETSC_MAX_PATH_LEN];
} GepWriter;
PETSC_INTERN PetscErrorCode GepScreenStringType(size_t, hid_t *);
PETSC_INTERN PetscErrorCode GepScreenReopen(GepScreen, GepWriter *, const char fingerprint[]);
PETSC_INTERN PetscErrorCode GepScreenWriterOpen(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenWriterStore(GepScreen, PetscInt unit, const PetscReal rows[],
                                                 const char reasons[]);
PETSC_INTERN PetscErrorCode GepScreenWriterCommit(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenWriterClose(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenWriterDestroy(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenWriterForget(GepScreen);
PETSC_INTERN PetscBool      GepScreenStopRequested(void);
PETSC_INTERN PetscErrorCode GepScreenCheckSolverOptions(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenWriteCSV(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenFingerprint(GepScreen, char **);
PETSC_INTERN PetscErrorCode GepScreenSummaries(GepScreen);
PETSC_INTERN PetscErrorCode GepScreenCheckSummaries(GepScreen, PetscInt *readout);
PETSC_INTERN PetscErrorCode GepScreenDrugs(GepScreen, PetscInt *ja, PetscInt *jb);
/* the summaries' shared pieces (screen_summary.c) and the dose ones (screen_dose.c) */
typedef struct {
  GepScreen s;
  PetscInt  r; /* the readout summarised */
} GepSummary;
PETSC_INTERN PetscReal      GepSummaryValue(GepSummary *, PetscInt g, PetscInt e, PetscInt pt, PetscInt rep);
PETSC_INTERN PetscErrorCode GepSummaryOpen(GepScreen, const char suffix[], FILE **, char path[], size_t len);
PETSC_INTERN const char    *GepSummaryGenotype(GepScreen, PetscInt g);
PETSC_INTERN const char    *GepSummaryEnvironment(GepScreen, PetscInt e);
PETSC_INTERN void           GepSummaryOtherSweeps(FILE *, GepScreen, PetscInt pt, PetscInt skip1, PetscInt skip2);
PETSC_INTERN void           GepSummaryOtherSweepNames(FILE *, GepScreen, PetscInt skip1, PetscInt skip2);
PETSC_INTERN PetscErrorCode GepSummaryDoseResponse(GepSummary *);
PETSC_INTERN PetscErrorCode GepSummarySynergy(GepSummary *);
PETSC_INTERN PetscErrorCode GepScreenSweepFind(GepScreen, const char option[], const char name[], PetscInt *j);
PETSC_INTERN PetscErrorCode GepScreenSweepStride(GepScreen, PetscInt j, PetscInt *stride);
PETSC_INTERN PetscErrorCode GepScreenCheckFingerprint(const char what[], const char path[], const char stored[],
                                                      const char now[]);
PETSC_INTERN PetscErrorCode GepScreenOpenResults(GepScreen, const char path[], unsigned flags, const char what[],
                                                 const char fingerprint[], hid_t *file);
PETSC_INTERN PetscErrorCode GepScreenReadRows(GepScreen, hid_t file, PetscInt status[], PetscInt ss[],
                                              PetscReal table[], PetscReal wall[], char ***reason);
