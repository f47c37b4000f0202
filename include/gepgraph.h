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
PETSC_EXTERN PetscErrorCode GepGraphSampleSimilarity(MPI_Comm, PetscInt N, PetscInt D, PetscInt nlocal,
                                                     const PetscReal X[], PetscInt k, Mat *A, PetscReal *t);

/* MOGONET's graph at prediction time over N samples, the first ntrain of them
   training samples and the rest new (X as above): edges only between a training
   and a new sample, where their distance is at most t (the training graph's
   threshold), weighted 1 - distance; the identity added; unit L1 rows. */
PETSC_EXTERN PetscErrorCode GepGraphSampleSimilarityNew(MPI_Comm, PetscInt N, PetscInt D, PetscInt nlocal,
                                                        const PetscReal X[], PetscInt ntrain, PetscReal t, Mat *A);

/* The same two graphs from the cosine distances of the local rows to all N
   samples (nlocal x N, row-major), e.g. after changing a feature. */
PETSC_EXTERN PetscErrorCode GepGraphSampleSimilarityFromDistances(MPI_Comm, PetscInt N, PetscInt nlocal,
                                                                  const PetscReal dist[], PetscInt k, Mat *A,
                                                                  PetscReal *t);
PETSC_EXTERN PetscErrorCode GepGraphSampleSimilarityNewFromDistances(MPI_Comm, PetscInt N, PetscInt nlocal,
                                                                     const PetscReal dist[], PetscInt ntrain,
                                                                     PetscReal t, Mat *A);
/* only the training graph's threshold t (the (k N)-th smallest distance), from the distances as above */
PETSC_EXTERN PetscErrorCode GepGraphSampleSimilarityThreshold(MPI_Comm, PetscInt N, PetscInt nlocal,
                                                              const PetscReal dist[], PetscInt k, PetscReal *t);
/* The dot products of the local rows with all N samples (G, nlocal x N) and the
   squared norms of all samples (nsq, N), from X as above; the distances
   1 - G_ij / max(|x_i| |x_j|, 1e-8) of the local rows (first global row rstart). */
PETSC_EXTERN PetscErrorCode GepGraphCosineGram(MPI_Comm, PetscInt N, PetscInt D, PetscInt nlocal, const PetscReal X[],
                                               PetscReal **G, PetscReal **nsq);
PETSC_EXTERN PetscErrorCode GepGraphCosineDistances(PetscInt N, PetscInt nlocal, PetscInt rstart, const PetscReal G[],
                                                    const PetscReal nsq[], PetscReal dist[]);

/* Knowledge graphs over the D features of a view from an edge list (src/gnn/graph_edges.c). */
typedef struct {
  PetscBool strict;         /* an edge naming a feature the view lacks is an error (else counted) */
  PetscBool undirected;     /* each edge both ways */
  PetscBool sign;           /* "Repression" weighs -1 */
  PetscBool self_loops;     /* add the identity */
  PetscBool normalize;      /* D^-1/2 A D^-1/2, D the row sums of |A| */
  PetscBool add_neighbours; /* a name the view lacks that shares an edge with a feature becomes a node (no data) */
} GepGraphEdgeOptions;
typedef struct {
  PetscInt edges;   /* edges read */
  PetscInt mapped;  /* both ends among the features */
  PetscInt unknown; /* an end not among them */
  PetscInt self;    /* self-loops in the file (dropped) */
  PetscInt nodes;   /* D, plus the added neighbours */
  char   **added;   /* names of the added nodes D..nodes-1 (sorted; NULL-terminated; free with PetscStrArrayDestroy) */
} GepGraphEdgeStats;
/* a nodes x nodes MATMPIAIJ (nodes = D without add_neighbours), rows in contiguous blocks over the ranks; collective */
PETSC_EXTERN PetscErrorCode GepGraphFromEdgeList(MPI_Comm, const char path[], PetscInt D, const char *const names[],
                                                 const GepGraphEdgeOptions *, Mat *A, GepGraphEdgeStats *);
