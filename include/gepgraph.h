/* gepsim: graphs for the graph neural networks (GepGNN), stored as
 * row-distributed PETSc MATMPIAIJ matrices (a rank owns the rows of its samples
 * or nodes, in rank order). */
#pragma once
#include <petscmat.h>

/* MOGONET's sample-similarity graph over the N samples whose rows X (nlocal x D,
   row-major, this rank's consecutive block) are given: cosine distance between
   samples; threshold t = the (k N)-th smallest of the N^2 distances (0-based,
   the zero self-distances included), so about k edges per node; an edge i-j
   (i != j) where the distance is at most t, weighted by the similarity
   1 - distance; the identity added; every row scaled to unit L1 norm. The
   threshold is returned in t (may be NULL). Collective. */
PETSC_EXTERN PetscErrorCode GepGraphSampleSimilarity(MPI_Comm, PetscInt N, PetscInt D, PetscInt nlocal, const PetscReal X[], PetscInt k, Mat *A, PetscReal *t);

/* MOGONET's graph at prediction time over N samples, the first ntrain of them
   training samples and the rest new (X as above): edges only between a training
   and a new sample, where their distance is at most t (the training graph's
   threshold), weighted 1 - distance; the identity added; unit L1 rows. */
PETSC_EXTERN PetscErrorCode GepGraphSampleSimilarityNew(MPI_Comm, PetscInt N, PetscInt D, PetscInt nlocal, const PetscReal X[], PetscInt ntrain, PetscReal t, Mat *A);
