/* gepsim: parallel HDF5 output helpers (collective MPI-IO). Every call is
   collective over the file's communicator. */
#pragma once
#include <petscsys.h>

typedef struct _n_GepH5 *GepH5;

/* Create path under a temporary name (path.part); GepH5Commit renames it. */
PETSC_EXTERN PetscErrorCode GepH5Create(MPI_Comm, const char path[], GepH5 *);
PETSC_EXTERN PetscErrorCode GepH5Commit(GepH5 *);
/* A real dataset of rank ndims whose first dimension is split over ranks:
   this rank writes rows [first, first + nlocal); dims[0] is the global size. */
PETSC_EXTERN PetscErrorCode GepH5WriteReal(GepH5, const char name[], PetscInt ndims, const PetscInt dims[],
                                           PetscInt first, PetscInt nlocal, const PetscReal data[]);
/* A small array identical on every rank (rank 0 writes it). */
PETSC_EXTERN PetscErrorCode GepH5WriteRealReplicated(GepH5, const char name[], PetscInt ndims, const PetscInt dims[],
                                                     const PetscReal data[]);
/* An integer vector of n entries; this rank writes [first, first + nlocal). */
PETSC_EXTERN PetscErrorCode GepH5WriteInt(GepH5, const char name[], PetscInt n, PetscInt first, PetscInt nlocal,
                                          const PetscInt data[]);
/* A dataset of n strings, identical on every rank. */
PETSC_EXTERN PetscErrorCode GepH5WriteStrings(GepH5, const char name[], PetscInt n, const char *const strs[]);
/* Attributes of an object ("/" for the file), identical on every rank. */
PETSC_EXTERN PetscErrorCode GepH5WriteAttrString(GepH5, const char obj[], const char name[], const char value[]);
PETSC_EXTERN PetscErrorCode GepH5WriteAttrReal(GepH5, const char obj[], const char name[], PetscReal value);
PETSC_EXTERN PetscErrorCode GepH5WriteAttrInt(GepH5, const char obj[], const char name[], PetscInt value);
PETSC_EXTERN PetscErrorCode GepH5CreateGroup(GepH5, const char name[]);
/* Hyperslab of a 2-D dataset: this rank writes the block at start (rows, columns)
   of size count (row-major). Other ranks may write other blocks or nothing. */
PETSC_EXTERN PetscErrorCode GepH5WriteRealBlock(GepH5, const char name[], const PetscInt dims[2],
                                                const PetscInt start[2], const PetscInt count[2],
                                                const PetscReal data[]);

/* Reading (collective over the communicator given to GepH5Open). */
typedef struct _n_GepH5File *GepH5File;
PETSC_EXTERN PetscErrorCode  GepH5Open(MPI_Comm, const char path[], GepH5File *);
PETSC_EXTERN PetscErrorCode  GepH5Close(GepH5File *);
PETSC_EXTERN PetscErrorCode  GepH5GetPath(GepH5File, const char **);
PETSC_EXTERN PetscErrorCode  GepH5Exists(GepH5File, const char name[], PetscBool *);
PETSC_EXTERN PetscErrorCode  GepH5GetDims(GepH5File, const char name[], PetscInt *ndims, PetscInt dims[]);
/* Rows [first, first + n) of a numeric dataset of 1 to 4 dimensions, as doubles. */
PETSC_EXTERN PetscErrorCode GepH5ReadRealRows(GepH5File, const char name[], PetscInt first, PetscInt n,
                                              PetscReal data[]);
PETSC_EXTERN PetscErrorCode GepH5ReadStrings(GepH5File, const char name[], PetscInt *n, char ***strs);
PETSC_EXTERN PetscErrorCode GepH5ListGroup(GepH5File, const char name[], PetscInt *n, char ***names);
