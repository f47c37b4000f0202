/* gepsim: GepModel — a pathway model read from SBML, compiled to batched tapes.
 *
 * Life cycle: GepModelCreate, GepModelSetFile (or -model_file), GepModelSetFromOptions,
 * GepModelSetUp (read, validate, compile), then evaluation through a GepModelBatch:
 * a register file for B members (cells, ensemble members) evaluated together. */
#pragma once
#include <petscsys.h>
#include <petscviewer.h>

typedef struct _p_GepModel      *GepModel;
typedef struct _n_GepModelBatch *GepModelBatch;

/* How an output variable is reported: the symbol's own value, or a species as amount / concentration. */
typedef enum { GEP_QUANTITY_VALUE, GEP_QUANTITY_AMOUNT, GEP_QUANTITY_CONCENTRATION } GepQuantity;

/* A PETSc object (class GEPMODEL_CLASSID): reference counted, options prefix, -model_view. */
PETSC_EXTERN PetscClassId   GEPMODEL_CLASSID;
PETSC_EXTERN PetscErrorCode GepModelInitializePackage(void);
PETSC_EXTERN PetscErrorCode GepModelCreate(MPI_Comm, GepModel *);
PETSC_EXTERN PetscErrorCode GepModelSetOptionsPrefix(GepModel, const char[]);
PETSC_EXTERN PetscErrorCode GepModelViewFromOptions(GepModel, PetscObject, const char[]);
PETSC_EXTERN PetscErrorCode GepModelSetFile(GepModel, const char[]);
PETSC_EXTERN PetscErrorCode GepModelGetFile(GepModel, const char **);
PETSC_EXTERN PetscErrorCode GepModelSetFromOptions(GepModel);
/* read the file (symbols and reactions known, nothing compiled): names may be checked
   before the outputs are chosen; GepModelSetUp loads if needed, then compiles */
PETSC_EXTERN PetscErrorCode GepModelLoad(GepModel);
PETSC_EXTERN PetscErrorCode GepModelSetUp(GepModel);
PETSC_EXTERN PetscErrorCode GepModelView(GepModel, PetscViewer);
PETSC_EXTERN PetscErrorCode GepModelDestroy(GepModel *);

/* Sizes: states integrated in time, parameters (every numeric attribute: compartment
   sizes, parameter values, species initial values, stoichiometries, local parameters). */
PETSC_EXTERN PetscErrorCode GepModelGetNumStates(GepModel, PetscInt *);
PETSC_EXTERN PetscErrorCode GepModelGetNumParameters(GepModel, PetscInt *);
PETSC_EXTERN PetscErrorCode GepModelGetParameterName(GepModel, PetscInt, const char **);
PETSC_EXTERN PetscErrorCode GepModelGetParameterIndex(GepModel, const char[], PetscInt *);
/* the same without an error: -1 for a name that is no parameter (after GepModelLoad) */
PETSC_EXTERN PetscErrorCode GepModelFindParameter(GepModel, const char[], PetscInt *);
PETSC_EXTERN PetscErrorCode GepModelGetParameterValues(GepModel, PetscReal[]);
/* whether editing parameter k changes the model (not when an assignment rule or an initial
   assignment computes it: why says which) */
PETSC_EXTERN PetscErrorCode GepModelGetParameterEditable(GepModel, PetscInt k, PetscBool *editable, const char **why);
/* the state that holds parameter k's symbol while integrating (a species' amount), or -1 */
PETSC_EXTERN PetscErrorCode GepModelGetParameterState(GepModel, PetscInt k, PetscInt *state);
PETSC_EXTERN PetscErrorCode GepModelGetNumReactions(GepModel, PetscInt *);
PETSC_EXTERN PetscErrorCode GepModelGetReactionName(GepModel, PetscInt, const char **);
PETSC_EXTERN PetscErrorCode GepModelGetStateName(GepModel, PetscInt, const char **);
/* the compartment of a state that is a species (its amount), or NULL for other states */
PETSC_EXTERN PetscErrorCode GepModelGetStateCompartment(GepModel, PetscInt, const char **);
PETSC_EXTERN PetscErrorCode GepModelGetJacobianNonzeros(GepModel, PetscInt *, const PetscInt **rows,
                                                        const PetscInt **cols);

/* Outputs: variables recorded at output times (before SetUp). With none set, all species are recorded. */
PETSC_EXTERN PetscErrorCode GepModelSetOutputs(GepModel, PetscInt n, const char *const names[], const GepQuantity[]);
PETSC_EXTERN PetscErrorCode GepModelGetNumOutputs(GepModel, PetscInt *);
PETSC_EXTERN PetscErrorCode GepModelGetOutputName(GepModel, PetscInt, const char **);

/* Events (SBML semantics: trigger edges, delays, priorities, persistence, initial
   values). The event tape computes, per member, for each event: the trigger (0/1),
   its delay, its priority and the new state value of each assignment. */
typedef struct {
  PetscBool       initial_value, persistent, use_trigger_values, has_delay;
  PetscInt        nassign;
  const PetscInt *state;                                            /* state index of each assignment's target */
  PetscInt        out_trigger, out_delay, out_priority, out_assign; /* offsets in the event outputs */
} GepEventInfo;
PETSC_EXTERN PetscErrorCode GepModelGetNumEvents(GepModel, PetscInt *nevents, PetscInt *noutputs);
PETSC_EXTERN PetscErrorCode GepModelGetEventInfo(GepModel, PetscInt, const GepEventInfo **);
/* Root functions (a - b for every relation a < b, a == b, ... inside a trigger), at
   offsets [offset, offset + n) of the event outputs: a sign change means a
   trigger may have switched and back within one step. */
PETSC_EXTERN PetscErrorCode GepModelGetEventRoots(GepModel, PetscInt *n, PetscInt *offset);

/* Batched evaluation. Arrays are member-major: y[m*nstates + i], p[m*nparams + k]. */
PETSC_EXTERN PetscErrorCode GepModelBatchCreate(GepModel, PetscInt B, GepModelBatch *);
PETSC_EXTERN PetscErrorCode GepModelBatchDestroy(GepModelBatch *);
PETSC_EXTERN PetscErrorCode GepModelBatchSetParameters(GepModelBatch, PetscInt nb, PetscReal t0, const PetscReal p[],
                                                       PetscReal y0[]);
PETSC_EXTERN PetscErrorCode GepModelBatchRHS(GepModelBatch, PetscReal t, const PetscReal y[], PetscReal f[]);
/* Dense nstates x nstates row-major block per member. */
PETSC_EXTERN PetscErrorCode GepModelBatchJacobian(GepModelBatch, PetscReal t, const PetscReal y[], PetscReal J[]);
/* the Jacobian's nonzeros only (GepModelGetJacobianNonzeros' order), member by member: vals[i * njac + k] */
PETSC_EXTERN PetscErrorCode GepModelBatchJacobianValues(GepModelBatch, PetscReal t, const PetscReal y[],
                                                        PetscReal vals[]);
PETSC_EXTERN PetscErrorCode GepModelBatchOutputs(GepModelBatch, PetscReal t, const PetscReal y[], PetscReal out[]);
/* Event values (nb x noutputs of GepModelGetNumEvents). */
PETSC_EXTERN PetscErrorCode GepModelBatchEvents(GepModelBatch, PetscReal t, const PetscReal y[], PetscReal out[]);

/* A formula in SBML's infix syntax (libSBML's L3 parser) over named inputs, such as a
   screen's readouts; the model's function definitions may be called. */
typedef struct _n_GepFormula *GepFormula;
PETSC_EXTERN PetscErrorCode   GepFormulaCreate(GepModel, const char text[], PetscInt nvars, const char *const names[],
                                               GepFormula *);
PETSC_EXTERN PetscErrorCode   GepFormulaEvaluate(GepFormula, const PetscReal vars[], PetscReal *value);
PETSC_EXTERN PetscErrorCode   GepFormulaDestroy(GepFormula *);
