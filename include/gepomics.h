/* gepsim: GepOmics — a multi-omics dataset: views (omics layers) x groups
 * (batches, cohorts) x samples x features, with missing values (NaN) and
 * samples missing whole views (rows of NaN). Samples are distributed over the
 * ranks in contiguous blocks of the global order (group by group); every rank
 * holds all features of its samples, for every view, and all names.
 *
 * Reads MOFA's layout (/data/<view>/<group>, samples x features, with
 * /views/views, /groups/groups, /samples/<group>, /features/<view>), which is
 * also gepsim's own (docs/formats.md); or delimited text: tables with names, headerless tables (MOGONET's
 * layout), or a long table. Every reader's missing value is NaN; an infinite value is an error. */
#pragma once
#include <petscsys.h>

typedef struct _p_GepOmics *GepOmics;

/* A PETSc object (class GEPOMICS_CLASSID): reference counted, options prefix, -omics_view. */
PETSC_EXTERN PetscClassId   GEPOMICS_CLASSID;
PETSC_EXTERN PetscErrorCode GepOmicsInitializePackage(void);
PETSC_EXTERN PetscErrorCode GepOmicsViewFromOptions(GepOmics, PetscObject, const char[]);

PETSC_EXTERN PetscErrorCode GepOmicsCreate(MPI_Comm, GepOmics *);
PETSC_EXTERN PetscErrorCode GepOmicsSetFile(GepOmics, const char path[]);
/* delimited text instead: one table per view, named views, headerless tables' feature-name files (one per line),
   samples in rows (else features in rows), headerless (MOGONET's layout: samples x features, no names) */
PETSC_EXTERN PetscErrorCode GepOmicsSetTables(GepOmics, PetscInt n, const char *const paths[]);
PETSC_EXTERN PetscErrorCode GepOmicsSetViewNames(GepOmics, PetscInt n, const char *const names[]);
PETSC_EXTERN PetscErrorCode GepOmicsSetFeatureNameFiles(GepOmics, PetscInt n, const char *const paths[]);
PETSC_EXTERN PetscErrorCode GepOmicsSetSamplesInRows(GepOmics, PetscBool);
PETSC_EXTERN PetscErrorCode GepOmicsSetHeaderless(GepOmics, PetscBool);
/* or a long-format table: columns sample, feature, view, [group,] value */
PETSC_EXTERN PetscErrorCode GepOmicsSetLongFile(GepOmics, const char path[]);
PETSC_EXTERN PetscErrorCode GepOmicsSetFromOptions(GepOmics);
PETSC_EXTERN PetscErrorCode GepOmicsLoad(GepOmics);
PETSC_EXTERN PetscErrorCode GepOmicsView(GepOmics, PetscViewer);
/* an error naming the file, view, sample and feature of the first missing value (NaN): for a CONSUMER that
   needs complete data; collective */
PETSC_EXTERN PetscErrorCode GepOmicsCheckComplete(GepOmics, const char consumer[]);
/* gepsim's HDF5 layout (MOFA+'s input layout); collective */
PETSC_EXTERN PetscErrorCode GepOmicsWrite(GepOmics, const char path[]);
PETSC_EXTERN PetscErrorCode GepOmicsDestroy(GepOmics *);

PETSC_EXTERN PetscErrorCode GepOmicsGetFile(GepOmics, const char **);
/* the file view m came from (its table, or the HDF5 file) */
PETSC_EXTERN PetscErrorCode GepOmicsGetViewFile(GepOmics, PetscInt m, const char **);
/* numbers of views and groups; global samples, local samples, first local sample */
PETSC_EXTERN PetscErrorCode GepOmicsGetSizes(GepOmics, PetscInt *M, PetscInt *G, PetscInt *N, PetscInt *nlocal,
                                             PetscInt *first);
/* local block of view m: nlocal x D, row-major, NaN where missing */
PETSC_EXTERN PetscErrorCode GepOmicsGetView(GepOmics, PetscInt m, PetscInt *D, PetscReal **data);
PETSC_EXTERN PetscErrorCode GepOmicsGetViewName(GepOmics, PetscInt m, const char **);
PETSC_EXTERN PetscErrorCode GepOmicsGetGroupName(GepOmics, PetscInt g, const char **);
/* global sample range [start, end) of group g */
PETSC_EXTERN PetscErrorCode GepOmicsGetGroupRange(GepOmics, PetscInt g, PetscInt *start, PetscInt *end);
/* group of each local sample */
PETSC_EXTERN PetscErrorCode GepOmicsGetSampleGroups(GepOmics, const PetscInt **);
PETSC_EXTERN PetscErrorCode GepOmicsGetSampleNames(GepOmics, const char *const **);
PETSC_EXTERN PetscErrorCode GepOmicsGetFeatureNames(GepOmics, PetscInt m, const char *const **);
/* One column of a sample metadata table (CSV/TSV, a header, sample ids in the
   first column) for all N samples in the global order; "NA" where absent. */
PETSC_EXTERN PetscErrorCode GepOmicsReadMetadataColumn(GepOmics, const char file[], const char column[],
                                                       char ***values);
