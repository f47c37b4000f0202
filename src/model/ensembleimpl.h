/* GepEnsemble internals. */
#pragma once
#include <petsc/private/petscimpl.h>
#include "gepensemble.h"
#include "gepsys.h"

/* the ensemble's solvers' options are under its own prefix and then this one:
   -ensemble_ts_rtol, -ensemble_snes_..., -ensemble_pc_... */
#define GEP_ENSEMBLE_SOLVER_PREFIX "ensemble_"

PETSC_INTERN PetscLogEvent GEP_EnsembleSolve;

/* how this rank's members are integrated: chunk by chunk, or one TS over all (synchronized, or a chunk) */
typedef struct _GepEnsembleOps *GepEnsembleOps;
struct _GepEnsembleOps {
  PetscErrorCode (*solvelocal)(GepEnsemble);
};

/* An event waiting for its execution time (delayed, or due now). */
typedef struct {
  PetscReal  time;
  PetscInt   member, event, seq;
  PetscReal *values; /* assignments frozen at trigger time, or NULL */
} GepPendingEvent;

struct _p_GepEnsemble {
  PETSCHEADER(struct _GepEnsembleOps);
  MPI_Comm             comm;         /* the object's */
  MPI_Comm             scomm;        /* the solver's: PETSC_COMM_SELF unless synchronized */
  PetscBool            synchronized; /* one step sequence over all ranks */
  PetscInt             chunk;        /* members per independent TS, in global blocks */
  PetscInt             nchunks;      /* local chunks (children) */
  GepEnsemble         *chunks;       /* children on PETSC_COMM_SELF */
  PetscBool            child;        /* a chunk: borrows its parameters and results */
  GepModel             model;
  PetscInt             N, nloc, first, B, nbatch;
  PetscReal            t0, tfinal, rtol, atol;
  PetscInt             steps, seed;
  PetscReal           *tgiven;                /* steps + 1 output times given, or NULL (uniform) */
  PetscReal           *pgiven;                /* N x np parameters given, or NULL (drawn) */
  PetscInt             ngiven;                /* members of pgiven */
  PetscReal           *xgiven;                /* N x ns initial states given, or NULL (the model's) */
  PetscInt             nxgiven;               /* members of xgiven */
  PetscReal           *x0;                    /* nloc x ns: the local members' given initial states, or NULL */
  PetscReal           *xfinal;                /* nloc x ns: their states at the end (when states were given) */
  GepDose             *doses;                 /* every local member's doses (a chunk borrows its parent's) */
  PetscInt            *dose_first;            /* nloc + 1 offsets into doses (borrowed by a chunk) */
  PetscInt            *dose_next;             /* nloc: the next dose not given yet */
  PetscInt            *dgiven_first, ndgiven; /* as given: N + 1 offsets */
  GepDose             *dgiven;
  GepEnsembleMonitorFn monitor;
  void                *monitor_ctx;
  PetscBool            errorif_lone; /* a lone member's failure is the run's error */
  PetscBool            conservative; /* BDF of order <= 2, a Jacobian every Newton iteration */
  char               **reason;       /* nloc: why a member failed, or NULL */
  char               **vary_spec;
  PetscInt             nvary_spec;
  GepVariation        *vary;
  PetscInt             nvary;
  PetscInt            *varied; /* parameter index of each variation */
  char                *params_file;
  PetscBool            setup, progress;
  PetscLogDouble       started;

  PetscInt       ns, np, nout;
  PetscReal     *p;            /* nloc x np */
  PetscReal     *times;        /* steps + 1 */
  PetscReal     *results;      /* nloc x (steps+1) x nout */
  PetscInt      *status;       /* nloc: 0 integrated, 1 failed (results NaN) */
  char           failure[512]; /* this rank's first failed member and why */
  PetscReal     *jblock;       /* B x ns x ns scratch */
  GepModelBatch *batch;
  TS             ts;
  PetscOptions   solver_options; /* the TS's private database (a chunk borrows its parent's) */
  Vec            X;
  Mat            J;
  /* the Jacobian (ensemble_jacobian.c): dense blocks or one block's sparse pattern */
  GepEnsembleJacobianType jtype;
  PetscBool               sparse;
  PetscInt               *jrow, *jcol, *jk, *jgcol;
  PetscReal              *jvals, *jrowvals;

  /* events */
  PetscInt         nev, nevout, npend, cappend, seq;
  PetscBool       *trig;    /* nloc x nev: trigger value after the last check */
  PetscBool       *rootpos; /* nloc x nroot: root function > 0 after the last check */
  PetscInt         nroot, out_root;
  PetscReal       *evbuf; /* nloc x nevout: event values at the last evaluation */
  GepPendingEvent *pend;
  Vec              Xi;
  PetscBool        locate; /* the TS type interpolates: locate trigger changes inside steps */
  PetscRandom      tierng; /* tie-breaking among simultaneous events of equal priority */
  PetscInt        *ndraw;  /* per member: tie draws so far */
};

PETSC_INTERN PetscErrorCode GepEnsembleDrawParameters(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleInitialStatesSetUp(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleSolverOptionsCreate(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleConfigureTS(GepEnsemble, TS);
PETSC_INTERN PetscErrorCode GepEnsembleReadSolverOptions(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleSolveLocal(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleJacobianCreate(GepEnsemble, PC);
PETSC_INTERN PetscErrorCode GepEnsembleJacobianFill(GepEnsemble, PetscReal t, const PetscScalar *u, Mat);
PETSC_INTERN PetscErrorCode GepEnsembleJacobianDestroy(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleIntegrationFailure(GepEnsemble, PetscReal t, TSConvergedReason);
PETSC_INTERN PetscErrorCode GepEnsembleChunksDistribute(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleChunksSetUp(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleChunksSolve(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleChunksDestroy(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleEventsSetUp(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleEventsProcess(GepEnsemble, PetscReal t, PetscScalar x[], PetscBool *executed);
PETSC_INTERN PetscErrorCode GepEnsembleEventsNextTime(GepEnsemble, PetscReal *);
PETSC_INTERN PetscErrorCode GepEnsembleEventsDestroy(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleDosesSetUp(GepEnsemble);
PETSC_INTERN PetscErrorCode GepEnsembleDosesNextTime(GepEnsemble, PetscReal *);
PETSC_INTERN PetscErrorCode GepEnsembleDosesGive(GepEnsemble, PetscReal t, PetscScalar x[], PetscBool *given);
PETSC_INTERN PetscErrorCode GepEnsembleDosesDestroy(GepEnsemble);
