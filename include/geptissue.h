/* gepsim: GepTissue — extracellular fields on a PETSc DMDA (2-D or 3-D, cell-centred voxels of
 * edge H µm) that diffuse and decay, each with its own coefficient and boundary conditions, split
 * over the ranks. Time in minutes, lengths in µm.
 *
 * Diffusion–decay is integrated by a PETSc TS (Crank–Nicolson by default, BDF2, or the L-stable
 * two-stage SDIRK of order 2) whose linear
 * solves are CG preconditioned by geometric multigrid on the DMDA (piecewise-constant transfer
 * between cell-centred grids, Galerkin coarse operators); see docs/tissue.md.
 *
 * Options (prefix -tissue_): grid, voxel_size, origin, fields, diffusion, decay, boundary,
 * field_initial, vessels, vessel_value, seed, initial, extracellular_compartment, volume_unit,
 * chunk_size, dt, tfinal, diffusion_scheme; the diffusion solver's own options are
 * -tissue_diffusion_ts_..., -tissue_diffusion_ksp_..., -tissue_diffusion_pc_... */
#pragma once
#include <petscdmda.h>
#include <petscts.h>
#include "gepmodel.h"

typedef struct _p_GepTissue *GepTissue;

typedef enum { GEP_FACE_XMIN, GEP_FACE_XMAX, GEP_FACE_YMIN, GEP_FACE_YMAX, GEP_FACE_ZMIN, GEP_FACE_ZMAX } GepTissueFace;
PETSC_EXTERN const char *const GepTissueFaces[];
typedef enum { GEP_BOUNDARY_NOFLUX, GEP_BOUNDARY_DIRICHLET, GEP_BOUNDARY_PERIODIC } GepTissueBoundaryType;
typedef enum { GEP_DIFFUSION_CN, GEP_DIFFUSION_BDF2, GEP_DIFFUSION_SDIRK2 } GepTissueDiffusionScheme;
PETSC_EXTERN const char *const GepTissueDiffusionSchemes[];

PETSC_EXTERN PetscClassId   GEPTISSUE_CLASSID;
PETSC_EXTERN PetscErrorCode GepTissueInitializePackage(void);
PETSC_EXTERN PetscErrorCode GepTissueCreate(MPI_Comm, GepTissue *);
/* NX, NY[, NZ] voxels (nz = 1 for a 2-D grid) of edge h µm, the lower corner at origin */
PETSC_EXTERN PetscErrorCode GepTissueSetGrid(GepTissue, PetscInt dim, const PetscInt n[], PetscReal h);
PETSC_EXTERN PetscErrorCode GepTissueSetOrigin(GepTissue, const PetscReal origin[]);
/* the extracellular fields, by name; every field starts with D = 0, no decay, no-flux faces */
PETSC_EXTERN PetscErrorCode GepTissueSetFields(GepTissue, PetscInt n, const char *const names[]);
PETSC_EXTERN PetscErrorCode GepTissueSetFieldDiffusion(GepTissue, PetscInt field, PetscReal D);
PETSC_EXTERN PetscErrorCode GepTissueSetFieldDecay(GepTissue, PetscInt field, PetscReal k);
PETSC_EXTERN PetscErrorCode GepTissueSetFieldBoundary(GepTissue, PetscInt field, GepTissueFace, GepTissueBoundaryType,
                                                      PetscReal value);
PETSC_EXTERN PetscErrorCode GepTissueSetFieldInitial(GepTissue, PetscInt field, PetscReal value);
/* the pathway model every cell runs (its extracellular compartment's species are the fields) */
PETSC_EXTERN PetscErrorCode GepTissueSetModel(GepTissue, GepModel);
PETSC_EXTERN PetscErrorCode GepTissueSetExtracellularCompartment(GepTissue, const char id[]);
/* the initial cells: "none", "disc:R" (2-D), "ball:R" (3-D) about the grid's centre (um), "random:FRACTION"
   (voxel by voxel from the seed) or "file:CSV" (x,y[,z][,type] a line, um) */
PETSC_EXTERN PetscErrorCode GepTissueSetInitial(GepTissue, const char spec[]);
/* vessel voxels, which hold fields at fixed values: "none", "random:DENSITY" (drawn voxel by voxel
   from the seed, the same on any number of ranks) or "file:CSV" (i,j[,k] a line, 0-based) */
PETSC_EXTERN PetscErrorCode GepTissueSetVessels(GepTissue, const char spec[]);
/* the value vessels hold field at (before set-up: which fields they hold; after: a new value, at once) */
PETSC_EXTERN PetscErrorCode GepTissueSetVesselValue(GepTissue, PetscInt field, PetscReal value);
/* the seed of the tissue's counter-based draws (seed, id, step, purpose) */
PETSC_EXTERN PetscErrorCode GepTissueSetSeed(GepTissue, PetscInt);
/* the coupling step and the end time (min) */
PETSC_EXTERN PetscErrorCode GepTissueSetTimes(GepTissue, PetscReal dt, PetscReal tfinal);
PETSC_EXTERN PetscErrorCode GepTissueSetDiffusionScheme(GepTissue, GepTissueDiffusionScheme);
PETSC_EXTERN PetscErrorCode GepTissueSetFromOptions(GepTissue);
PETSC_EXTERN PetscErrorCode GepTissueSetUp(GepTissue);
/* integrates from the current time to tfinal */
PETSC_EXTERN PetscErrorCode GepTissueSolve(GepTissue);
PETSC_EXTERN PetscErrorCode GepTissueView(GepTissue, PetscViewer);
PETSC_EXTERN PetscErrorCode GepTissueDestroy(GepTissue *);

/* after set-up: the grid (dof = the number of fields) and the fields' global vector (owned by the
   tissue; it may be edited between solves, e.g. to set an initial condition) */
PETSC_EXTERN PetscErrorCode GepTissueGetDM(GepTissue, DM *);
PETSC_EXTERN PetscErrorCode GepTissueGetFields(GepTissue, Vec *);
PETSC_EXTERN PetscErrorCode GepTissueGetNumFields(GepTissue, PetscInt *);
PETSC_EXTERN PetscErrorCode GepTissueFindField(GepTissue, const char name[], PetscInt *field);
PETSC_EXTERN PetscErrorCode GepTissueGetTime(GepTissue, PetscReal *);
PETSC_EXTERN PetscErrorCode GepTissueSetTime(GepTissue, PetscReal);
/* the centre of voxel (i, j, k), µm */
PETSC_EXTERN PetscErrorCode GepTissueGetVoxelCenter(GepTissue, PetscInt i, PetscInt j, PetscInt k, PetscReal x[]);
/* this rank's cells and their model states (n x nstates, cell-major; the extracellular species are
   those of the cell's voxel at the last reaction step) */
PETSC_EXTERN PetscErrorCode GepTissueGetCells(GepTissue, PetscInt *n, PetscInt *nstates, const PetscReal **states);
/* the amount of each field over the grid (concentration × voxel volume, µm³; nz = 1 in 2-D counts one
   voxel depth): totals[f], on every rank */
PETSC_EXTERN PetscErrorCode GepTissueGetFieldTotals(GepTissue, PetscReal totals[]);
/* one diffusion-decay solve of the fields from t to t + dt (no cells): the split step's building block */
PETSC_EXTERN PetscErrorCode GepTissueDiffuse(GepTissue, PetscReal dt);
