/* GepOmics internals. */
#pragma once
#include <stdio.h>
#include <petsc/private/petscimpl.h>
#include "gepomics.h"
#include "gepsys.h"

PETSC_INTERN PetscLogEvent GEP_OmicsLoad;

/* the reader of the input given: an HDF5 file in MOFA's layout, CSV/TSV tables, or a long-format table */
typedef struct _GepOmicsOps *GepOmicsOps;
struct _GepOmicsOps {
  PetscErrorCode (*read)(GepOmics);
};

struct _p_GepOmics {
  PETSCHEADER(struct _GepOmicsOps);
  MPI_Comm    comm; /* the object's */
  char       *file;
  PetscBool   loaded;
  PetscInt    M, G, N, nloc, first;
  char      **views, **groups;
  PetscInt   *D;        /* features per view */
  char     ***features; /* per view */
  char      **samples;  /* all N, group by group */
  PetscInt   *gstart;   /* G + 1 global offsets of the groups */
  PetscInt   *sgroup;   /* group of each local sample */
  PetscReal **data;     /* per view: nloc x D[m] */
  /* delimited-text input: one file per view */
  char    **csv, **viewnames, **featnames, *longfile;
  PetscInt  ncsv, nviewnames, nfeatnames;
  PetscBool samples_in_rows, headerless;
};

PETSC_INTERN PetscErrorCode GepOmicsReadMOFA(GepOmics);
PETSC_INTERN PetscErrorCode GepOmicsReadCSV(GepOmics);
PETSC_INTERN PetscErrorCode GepOmicsReadMatrix(GepOmics);
PETSC_INTERN PetscErrorCode GepOmicsReadLong(GepOmics);
/* an error naming view, sample and feature of the first infinite value (for readers that do not parse text) */
PETSC_INTERN PetscErrorCode GepOmicsCheckFinite(GepOmics);
