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
