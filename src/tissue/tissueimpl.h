/* GepTissue internals. */
#pragma once
#include <petsc/private/petscimpl.h>
#include "geptissue.h"
#include "gepensemble.h"
#include "gepsys.h"

PETSC_INTERN PetscLogEvent GEP_TissueSetUp, GEP_TissueDiffusion, GEP_TissueReaction;

/* one extracellular field: its name, coefficients and a condition per face */
typedef struct {
  char                 *name;
  PetscReal             D, decay, initial;
  GepTissueBoundaryType bc[6];
  PetscReal             bcvalue[6];
} GepField;

/* a cell on the lattice: its state vector (the model's states) is in the tissue's cstate */
typedef struct {
  PetscInt64 id;    /* global and unique: never reused, the same on any number of ranks */
  PetscInt   voxel; /* its voxel's index in the rank's box */
  PetscInt   type, genotype;
  PetscReal  age; /* min */
} GepCell;

struct _p_GepTissue {
  PETSCHEADER(int);
  MPI_Comm                 comm;
  GepModel                 model;
  PetscInt                 dim, n[3];
  PetscReal                h, origin[3];
  PetscInt                 nfield;
  GepField                *field;
  PetscReal                t, dt, tfinal;
  GepTissueDiffusionScheme scheme;
  PetscBool                setup;
  PetscInt                 seed;
  char                    *vessels;      /* none, random:DENSITY, file:CSV */
  PetscReal               *vessel_value; /* per field; NaN: vessels are ordinary voxels for it */
  PetscInt                 nvessel;      /* on this rank */
  PetscInt                *vessel;       /* local voxel indices in the rank's box */

  /* cells (tissue_cells.c) and their reactions (tissue_reactions.c) */
  char      *initial;         /* none, disc:R, ball:R, random:FRACTION, file:CSV */
  char      *ext_compartment; /* the model's extracellular compartment: its species are the fields */
  PetscReal  volume_unit;     /* the model's volume of 1 um^3 (1e-15: litres) */
  PetscInt   chunk;           /* cells per TS in the reaction step */
  PetscInt   ns, np;          /* the model's states and parameters */
  PetscInt  *field_state;     /* per field: the model state of its species */
  PetscInt   ext_param;       /* the extracellular compartment's size: the voxel's volume */
  PetscReal *p0, *x0;         /* the model's nominal parameters and initial states */
  PetscInt   ncell, cellcap;
  GepCell   *cell;
  PetscReal *cstate;   /* ncell x ns */
  PetscInt  *occupant; /* per voxel of the rank's box: the cell there, or -1 */

  DM           da;    /* dof = nfield */
  Vec          u;     /* the fields */
  Mat          A;     /* the diffusion-decay operator: du/dt = A u + b */
  Mat          J;     /* shift I - A */
  PetscReal    shift; /* J's shift */
  Vec          b;     /* Dirichlet faces' and vessels' contribution: bfaces + W .* (vessel values) */
  Vec          bfaces;
  Vec          W;  /* per field: the sum of A's entries to vessel voxels of the row (0 on vessels) */
  TS           ts; /* diffusion-decay */
  PetscOptions solver_options;
  PetscInt     nlevels; /* multigrid levels */
};

/* voxel (i, j, k)'s index in the rank's box [xs, xs + xm) (x fastest: the DMDA's global order), or -1
   if another rank owns it */
static inline PetscInt GepTissueLocalIndex(const PetscInt xs[3], const PetscInt xm[3], PetscInt i, PetscInt j,
                                           PetscInt k)
{
  if (i < xs[0] || i >= xs[0] + xm[0] || j < xs[1] || j >= xs[1] + xm[1] || k < xs[2] || k >= xs[2] + xm[2]) return -1;
  return ((k - xs[2]) * xm[1] + (j - xs[1])) * xm[0] + (i - xs[0]);
}
/* the comma-separated numbers that open a line of a CSV (at most max); *rest is what follows them;
 *n = -1 for a blank line or a # comment */
PETSC_INTERN PetscErrorCode GepTissueParseCSVNumbers(const char line[], PetscInt max, PetscReal v[], PetscInt *n,
                                                     const char **rest);
/* the tissue's face per axis and side (the DMDA boundary types follow from periodic faces) */
PETSC_INTERN PetscErrorCode GepTissueSetUpDiffusion(GepTissue);
PETSC_INTERN PetscErrorCode GepTissueDestroyDiffusion(GepTissue);
/* the vessel voxels (from the spec) and their Dirichlet rows and columns taken out of A into W */
PETSC_INTERN PetscErrorCode GepTissueSetUpVessels(GepTissue);
PETSC_INTERN PetscErrorCode GepTissueUpdateVesselTerms(GepTissue);
/* the cells: the model's link to the fields, the initial tissue, and one reaction step */
PETSC_INTERN PetscErrorCode GepTissueSetUpCells(GepTissue);
PETSC_INTERN PetscErrorCode GepTissueDestroyCells(GepTissue);
PETSC_INTERN PetscErrorCode GepTissueReact(GepTissue, PetscReal t0, PetscReal t1);
/* purposes of counter-based draws (GepCounterUniform's fourth word) */
enum { GEP_DRAW_VESSEL = 1, GEP_DRAW_PLACE = 2 };
/* parsers of the options' specs, errors naming the option */
PETSC_INTERN PetscErrorCode GepTissueParseFieldValues(GepTissue, const char option[], const char spec[],
                                                      PetscErrorCode (*set)(GepTissue, PetscInt, PetscReal));
PETSC_INTERN PetscErrorCode GepTissueParseBoundaries(GepTissue, const char option[], const char spec[]);
