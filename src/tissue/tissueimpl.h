/* GepTissue internals. */
#pragma once
#include <petsc/private/petscimpl.h>
#include "geptissue.h"
#include "gepsys.h"

PETSC_INTERN PetscLogEvent GEP_TissueSetUp, GEP_TissueDiffusion;

/* one extracellular field: its name, coefficients and a condition per face */
typedef struct {
  char                 *name;
  PetscReal             D, decay, initial;
  GepTissueBoundaryType bc[6];
  PetscReal             bcvalue[6];
} GepField;

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

/* the tissue's face per axis and side (the DMDA boundary types follow from periodic faces) */
PETSC_INTERN PetscErrorCode GepTissueSetUpDiffusion(GepTissue);
PETSC_INTERN PetscErrorCode GepTissueDestroyDiffusion(GepTissue);
/* the vessel voxels (from the spec) and their Dirichlet rows and columns taken out of A into W */
PETSC_INTERN PetscErrorCode GepTissueSetUpVessels(GepTissue);
PETSC_INTERN PetscErrorCode GepTissueUpdateVesselTerms(GepTissue);
/* purposes of counter-based draws (GepCounterUniform's fourth word) */
enum { GEP_DRAW_VESSEL = 1 };
/* parsers of the options' specs, errors naming the option */
PETSC_INTERN PetscErrorCode GepTissueParseFieldValues(GepTissue, const char option[], const char spec[],
                                                      PetscErrorCode (*set)(GepTissue, PetscInt, PetscReal));
PETSC_INTERN PetscErrorCode GepTissueParseBoundaries(GepTissue, const char option[], const char spec[]);
