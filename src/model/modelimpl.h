/* GepModel internals, shared by the files of src/model/. */
#pragma once
#include <petsc/private/petscimpl.h>
#include <sbml/SBMLTypes.h>
#include "gepmodel.h"
#include "gepexpr.h"
#include "gepsys.h"

typedef enum {
  GEP_SYM_COMPARTMENT,
  GEP_SYM_SPECIES,
  GEP_SYM_PARAMETER,
  GEP_SYM_SPECIESREF,
  GEP_SYM_REACTION,
  GEP_SYM_LOCAL
} GepSymbolKind;
typedef enum { GEP_CLASS_FIXED, GEP_CLASS_STATE, GEP_CLASS_ASSIGNED } GepSymbolClass;

typedef struct {
  char            *id;
  GepSymbolKind    kind;
  PetscReal        value; /* attribute: size, value, initial amount/concentration, stoichiometry */
  PetscBool        has_value;
  PetscBool        constant;
  PetscInt         compartment;   /* species: symbol of its compartment */
  PetscBool        hosu;          /* species: hasOnlySubstanceUnits */
  PetscBool        boundary;      /* species: boundaryCondition */
  PetscBool        given_as_conc; /* species: initialConcentration (not initialAmount) given */
  PetscInt         conversion;    /* species: symbol of its conversion factor, -1 if none */
  PetscReal        dims;          /* compartment: spatial dimensions */
  PetscInt         scope;         /* local parameter: its reaction; -1 for global symbols */
  PetscInt         reaction;      /* reaction symbol: index in reactions[] */
  const ASTNode_t *init_math;     /* initial assignment */
  const ASTNode_t *rule_math;     /* assignment or rate rule */
  PetscBool        rate_rule;
  PetscBool        in_reaction;  /* species: changed by some reaction */
  PetscBool        event_target; /* changed by an event assignment: held as a state */
  GepSymbolClass   cls;
  PetscInt         slot; /* state index (STATE) or fixed index (FIXED) */
} GepSymbol;

typedef struct {
  PetscInt         species;
  PetscReal        sign;        /* -1 reactant, +1 product */
  PetscInt         symbol;      /* species reference with an id: its symbol, else -1 */
  PetscReal        stoich;      /* constant stoichiometry when symbol < 0 and no math */
  const ASTNode_t *stoich_math; /* L2 stoichiometryMath */
} GepSpeciesRef;

typedef struct {
  char            *id;
  PetscInt         symbol; /* the reaction's own symbol (its rate) */
  const ASTNode_t *law;
  GepSpeciesRef   *refs;
  PetscInt         nrefs;
  PetscInt         scale_slot; /* fixed slot of its rate multiplier (the reaction symbol's parameter, 1), or -1 */
} GepReaction;

typedef struct {
  PetscInt    symbol;
  GepQuantity quantity;
  char       *name;
} GepOutput;

typedef struct {
  char             *id;
  const ASTNode_t  *trigger, *delay, *priority;
  PetscInt          nassign;
  PetscInt         *target; /* symbol of each assignment */
  const ASTNode_t **assign;
  GepEventInfo      info; /* public part: flags, state indices, tape output offsets */
} GepEvent;

/* what reads a model's file into symbols and reactions (SBML, by libSBML) */
typedef struct _GepModelOps *GepModelOps;
struct _GepModelOps {
  PetscErrorCode (*load)(GepModel);
};

PETSC_INTERN PetscLogEvent GEP_ModelLoad, GEP_ModelCompile, GEP_ModelRHS, GEP_ModelJacobian, GEP_ModelInit;

struct _p_GepModel {
  PETSCHEADER(struct _GepModelOps);
  MPI_Comm        comm; /* the object's, for messages */
  char           *file;
  SBMLDocument_t *doc;
  Model_t        *sbml;
  PetscBool       loaded, setup;

  GepSymbol   *sym;
  PetscInt     nsym, capsym;
  GepReaction *rxn;
  PetscInt     nrxn;
  PetscInt     model_conversion; /* model-wide conversion factor symbol, -1 if none */

  PetscInt  nstate, nfixed;
  PetscInt *state_sym, *fixed_sym; /* symbol of each state / fixed value */

  GepOutput *out;
  PetscInt   nout;

  GepEvent *ev;
  PetscInt  nev, nevout, nroot, out_root; /* roots: a - b of every relation in a trigger */
  GepTape   ev_tape;

  /* tapes: inputs of init are [t0, p]; of run-time tapes [t, y, c] */
  GepTape   init_tape, rhs_tape, jac_tape, out_tape;
  PetscInt  njac;
  PetscInt *jac_row, *jac_col;
};

/* Slot layout of the run-time tapes */
#define GEP_SLOT_TIME 0
static inline PetscInt GepRunSlotState(PetscInt i)
{
  return 1 + i;
}
static inline PetscInt GepRunSlotFixed(GepModel m, PetscInt k)
{
  return 1 + m->nstate + k;
}
static inline PetscInt GepInitSlotParam(PetscInt k)
{
  return 1 + k;
}

/* A species symbol's value in math is a concentration unless it has only substance units or lives in a 0-D compartment.
 */
static inline PetscBool GepSymbolIsConcentration(GepModel m, const GepSymbol *s)
{
  return (PetscBool)(s->kind == GEP_SYM_SPECIES && !s->hosu && m->sym[s->compartment].dims != 0);
}

PETSC_INTERN PetscErrorCode GepModelLoadSBML(GepModel);
PETSC_INTERN PetscErrorCode GepModelFindSymbol(GepModel, const char[], PetscInt scope, PetscInt *);
PETSC_INTERN PetscErrorCode GepModelCompile(GepModel);
PETSC_INTERN PetscErrorCode GepModelLoadEvents(GepModel);
PETSC_INTERN PetscErrorCode GepModelDestroyEvents(GepModel);

/* Translation of SBML math into a DAG: one context per tape family. */
typedef enum { GEP_BUILD_INIT, GEP_BUILD_RUN } GepBuildMode;
typedef struct {
  GepModel     model;
  GepExpr      e;
  GepBuildMode mode;
  PetscInt    *memo; /* symbol -> node, -1 unknown */
  PetscBool   *busy; /* cycle detection */
  PetscInt    *rate; /* state -> node of its time derivative, -1 unknown */
  PetscBool   *rbusy;
} GepBuild;

PETSC_INTERN PetscErrorCode GepBuildSymbol(GepBuild *, PetscInt sym, PetscInt *node);
PETSC_INTERN PetscErrorCode GepBuildRateOf(GepBuild *, PetscInt sym, const char where[], PetscInt *node);
PETSC_INTERN PetscErrorCode GepBuildFormula(GepBuild *, const ASTNode_t *, PetscInt nvars, const char *const names[],
                                            const PetscInt nodes[], const char where[], PetscInt *);
PETSC_INTERN PetscErrorCode GepBuildMath(GepBuild *, const ASTNode_t *, PetscInt scope, const char where[],
                                         PetscInt *node);
PETSC_INTERN PetscErrorCode GepModelCompileEvents(GepModel, GepBuild *);
PETSC_INTERN PetscErrorCode GepToAmount(GepBuild *, const GepSymbol *, PetscInt value, PetscInt *);
