/* MOGONET's sample-similarity graphs (training; training with new samples) as row-distributed MATMPIAIJ.
   Each rank computes its rows' distances to all samples as the blocks of samples
   pass round the ranks (no rank holds all N x D). The threshold is the (k N)-th smallest of all N^2
   distances: found without gathering them, by bisection on the value with
   global counts, then the exact value as the smallest distance above the
   final lower bound. */
#include <petscmat.h>
#include "gepgraph.h"
#include "gepsys.h"

/* number of entries of the sorted array a[0..n) that are <= t */
static PetscInt CountAtMost(PetscInt n, const PetscReal *a, PetscReal t)
{
  PetscInt lo = 0, hi = n;
  while (lo < hi) {
    PetscInt mid = lo + (hi - lo) / 2;
    if (a[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* the value at 0-based position idx of the global sorted order of the local sorted arrays */
static PetscErrorCode SelectGlobal(MPI_Comm comm, PetscInt n, const PetscReal *a, PetscInt idx, PetscReal *value)
{
  PetscReal lo, hi, mn = n ? a[0] : PETSC_MAX_REAL, mx = n ? a[n - 1] : PETSC_MIN_REAL, above = PETSC_MAX_REAL;
  PetscInt  cnt;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Allreduce(&mn, &lo, 1, MPIU_REAL, MPI_MIN, comm));
  PetscCallMPI(MPI_Allreduce(&mx, &hi, 1, MPIU_REAL, MPI_MAX, comm));
  cnt = CountAtMost(n, a, lo);
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &cnt, 1, MPIU_INT, MPI_SUM, comm));
  if (cnt > idx) { /* the smallest value itself */
    *value = lo;
    PetscFunctionReturn(0);
  }
  /* invariant: count(<= lo) <= idx < count(<= hi) */
  for (PetscInt it = 0; it < 200; it++) {
    PetscReal mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break; /* adjacent doubles */
    cnt = CountAtMost(n, a, mid);
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &cnt, 1, MPIU_INT, MPI_SUM, comm));
    if (cnt > idx) hi = mid;
    else lo = mid;
  }
  /* the answer is the smallest value above lo */
  cnt = CountAtMost(n, a, lo);
  if (cnt < n) above = a[cnt];
  PetscCallMPI(MPI_Allreduce(&above, value, 1, MPIU_REAL, MPI_MIN, comm));
  PetscFunctionReturn(0);
}

/* G = this rank's rows of X X^T (nloc x N) and the squared norms of all N samples, without gathering X: the
   blocks of samples travel round the ranks, so each holds its own block and one visiting block. Plain loops
   in feature order: the product of i and j equals that of j and i bitwise, so the graph is symmetric without
   a transpose. */
PetscErrorCode GepGraphCosineGram(MPI_Comm comm, PetscInt N, PetscInt D, PetscInt nloc, const PetscReal X[],
                                  PetscReal **G, PetscReal **nsq)
{
  PetscMPIInt size, rank, *counts, *displs;
  PetscInt   *n, *start, nmax = 0;
  PetscReal  *cur, *next, *own, *buf0, *buf1;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscMalloc4(size, &n, size + 1, &start, size, &counts, size + 1, &displs));
  PetscCallMPI(MPI_Allgather(&nloc, 1, MPIU_INT, n, 1, MPIU_INT, comm));
  start[0] = displs[0] = 0;
  for (PetscMPIInt r = 0; r < size; r++) {
    start[r + 1] = start[r] + n[r];
    nmax         = PetscMax(nmax, n[r]);
    PetscCall(PetscMPIIntCast(n[r], &counts[r]));
    displs[r + 1] = displs[r] + counts[r];
  }
  PetscCheck(start[size] == N, comm, PETSC_ERR_ARG_SIZ,
             "the ranks hold %" PetscInt_FMT " samples, expected %" PetscInt_FMT, start[size], N);
  PetscCall(PetscMalloc1(nloc + 1, &own));
  for (PetscInt i = 0; i < nloc; i++) {
    PetscReal s = 0;
    for (PetscInt d = 0; d < D; d++) s += X[i * D + d] * X[i * D + d];
    own[i] = s;
  }
  PetscCall(PetscMalloc1(N + 1, nsq));
  PetscCallMPI(MPI_Allgatherv(own, counts[rank], MPIU_REAL, *nsq, counts, displs, MPIU_REAL, comm));
  PetscCall(PetscFree(own));
  PetscCall(PetscMalloc1(nloc * N + 1, G));
  PetscCall(PetscMalloc2(nmax * D + 1, &buf0, nmax * D + 1, &buf1));
  cur  = buf0;
  next = buf1;
  PetscCall(PetscArraycpy(cur, X, nloc * D));
  for (PetscMPIInt step = 0, owner = rank; step < size; step++) { /* cur holds the block of owner */
    for (PetscInt i = 0; i < nloc; i++) {
      const PetscReal *xi = X + i * D;
      for (PetscInt j = 0; j < n[owner]; j++) {
        const PetscReal *xj  = cur + j * D;
        PetscReal        dot = 0;
        for (PetscInt d = 0; d < D; d++) dot += xi[d] * xj[d];
        (*G)[i * N + start[owner] + j] = dot;
      }
    }
    if (step + 1 < size) { /* pass the block to the left, take the one from the right */
      PetscMPIInt from = (owner + 1) % size, sendn, recvn;
      PetscCall(PetscMPIIntCast(n[owner] * D, &sendn));
      PetscCall(PetscMPIIntCast(n[from] * D, &recvn));
      PetscCallMPI(MPI_Sendrecv(cur, sendn, MPIU_REAL, (rank + size - 1) % size, 0, next, recvn, MPIU_REAL,
                                (rank + 1) % size, 0, comm, MPI_STATUS_IGNORE));
      owner        = from;
      PetscReal *t = cur;
      cur          = next;
      next         = t;
    }
  }
  PetscCall(PetscFree2(buf0, buf1));
  PetscCall(PetscFree4(n, start, counts, displs));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGraphCosineDistances(PetscInt N, PetscInt nloc, PetscInt rstart, const PetscReal G[],
                                       const PetscReal nsq[], PetscReal dist[])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < nloc; i++) {
    PetscReal ni = PetscSqrtReal(nsq[rstart + i]);
    for (PetscInt j = 0; j < N; j++) dist[i * N + j] = 1.0 - G[i * N + j] / PetscMax(ni * PetscSqrtReal(nsq[j]), 1e-8);
  }
  PetscFunctionReturn(0);
}

/* the distances of the local rows to all samples (nloc x N), made in place of the Gram rows */
static PetscErrorCode Distances(MPI_Comm comm, PetscInt N, PetscInt D, PetscInt nloc, const PetscReal X[],
                                PetscReal **dist)
{
  PetscReal *nsq;
  PetscInt   rstart;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Scan(&nloc, &rstart, 1, MPIU_INT, MPI_SUM, comm));
  rstart -= nloc;
  PetscCall(GepGraphCosineGram(comm, N, D, nloc, X, dist, &nsq));
  PetscCall(GepGraphCosineDistances(N, nloc, rstart, *dist, nsq, *dist));
  PetscCall(PetscFree(nsq));
  PetscFunctionReturn(0);
}

/* edge i-j (i != j) where the distance is at most t and, if ntrain < N, exactly
   one of i, j is below ntrain; weights 1 - distance; identity; unit L1 rows */
static PetscErrorCode Assemble(MPI_Comm comm, PetscInt N, PetscInt nloc, PetscInt rstart, const PetscReal *dist,
                               PetscReal t, PetscInt ntrain, Mat *A)
{
  PetscInt  *nnz, *cols;
  PetscReal *vals;

#define EDGE(i, j) \
  ((i) != (j) && dist[((i)-rstart) * N + (j)] <= t && (ntrain == N || (((i) < ntrain) != ((j) < ntrain))))
  PetscFunctionBegin;
  PetscCall(PetscMalloc1(nloc + 1, &nnz));
  for (PetscInt i = 0; i < nloc; i++) {
    nnz[i] = 1;
    for (PetscInt j = 0; j < N; j++)
      if (EDGE(rstart + i, j)) nnz[i]++;
  }
  PetscCall(MatCreate(comm, A));
  PetscCall(MatSetSizes(*A, nloc, nloc, N, N));
  PetscCall(MatSetType(*A, MATAIJ));
  PetscCall(MatSeqAIJSetPreallocation(*A, 0, nnz));
  PetscCall(MatMPIAIJSetPreallocation(*A, 0, nnz, 0, nnz));
  PetscCall(PetscMalloc2(N, &cols, N, &vals));
  for (PetscInt i = 0; i < nloc; i++) {
    PetscInt  row = rstart + i, n = 0;
    PetscReal l1 = 0;

    for (PetscInt j = 0; j < N; j++) {
      if (j == row) {
        cols[n]   = j;
        vals[n++] = 1.0;
      } else if (EDGE(row, j)) {
        cols[n]   = j;
        vals[n++] = 1.0 - dist[i * N + j];
      }
    }
    for (PetscInt j = 0; j < n; j++) l1 += PetscAbsReal(vals[j]);
    for (PetscInt j = 0; j < n; j++) vals[j] /= l1;
    PetscCall(MatSetValues(*A, 1, &row, n, cols, vals, INSERT_VALUES));
  }
#undef EDGE
  PetscCall(MatAssemblyBegin(*A, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*A, MAT_FINAL_ASSEMBLY));
  PetscCall(PetscFree2(cols, vals));
  PetscCall(PetscFree(nnz));
  PetscFunctionReturn(0);
}

/* the m smallest of the n values a, sorted, into h (*nh of them): a max-heap of m, then a sort */
static PetscErrorCode Smallest(PetscInt n, const PetscReal *a, PetscInt m, PetscReal *h, PetscInt *nh)
{
  PetscInt cnt = 0;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) {
    PetscInt c;
    if (cnt < m) { /* push: sift up */
      for (c = cnt++; c > 0 && h[(c - 1) / 2] < a[i]; c = (c - 1) / 2) h[c] = h[(c - 1) / 2];
      h[c] = a[i];
    } else if (a[i] < h[0]) { /* replace the largest: sift down */
      for (c = 0;;) {
        PetscInt l = 2 * c + 1, big;
        if (l >= m) break;
        big = l + 1 < m && h[l + 1] > h[l] ? l + 1 : l;
        if (h[big] <= a[i]) break;
        h[c] = h[big];
        c    = big;
      }
      h[c] = a[i];
    }
  }
  PetscCall(PetscSortReal(cnt, h));
  *nh = cnt;
  PetscFunctionReturn(0);
}

/* The (k N)-th smallest (0-based) of all N^2 distances lies among each rank's k N + 1 smallest: below it fewer
   than k N + 1 values lie on all ranks together, so no rank's list is cut short there. Those lists are what the
   global selection reads, not a sorted copy of every distance. */
PetscErrorCode GepGraphSampleSimilarityThreshold(MPI_Comm comm, PetscInt N, PetscInt nloc, const PetscReal dist[],
                                                 PetscInt k, PetscReal *t)
{
  PetscReal *smallest;
  PetscInt   m = k * N + 1, nm = 0;

  PetscFunctionBegin;
  PetscCheck(k >= 1 && k < N, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "edges per node %" PetscInt_FMT " must be between 1 and the number of samples - 1 (%" PetscInt_FMT ")", k,
             N - 1);
  PetscCall(PetscMalloc1(PetscMin(m, nloc * N) + 1, &smallest));
  PetscCall(Smallest(nloc * N, dist, PetscMin(m, nloc * N), smallest, &nm));
  PetscCall(SelectGlobal(comm, nm, smallest, k * N, t));
  PetscCall(PetscFree(smallest));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGraphSampleSimilarityFromDistances(MPI_Comm comm, PetscInt N, PetscInt nloc, const PetscReal dist[],
                                                     PetscInt k, Mat *A, PetscReal *tout)
{
  PetscInt  rstart;
  PetscReal t;

  PetscFunctionBegin;
  PetscCall(GepGraphSampleSimilarityThreshold(comm, N, nloc, dist, k, &t));
  PetscCallMPI(MPI_Scan(&nloc, &rstart, 1, MPIU_INT, MPI_SUM, comm));
  rstart -= nloc;
  PetscCall(Assemble(comm, N, nloc, rstart, dist, t, N, A));
  if (tout) *tout = t;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGraphSampleSimilarityNewFromDistances(MPI_Comm comm, PetscInt N, PetscInt nloc,
                                                        const PetscReal dist[], PetscInt ntrain, PetscReal t, Mat *A)
{
  PetscInt rstart;

  PetscFunctionBegin;
  PetscCheck(ntrain >= 1 && ntrain < N, comm, PETSC_ERR_ARG_OUTOFRANGE,
             "training samples %" PetscInt_FMT " must be between 1 and all samples - 1 (%" PetscInt_FMT ")", ntrain,
             N - 1);
  PetscCallMPI(MPI_Scan(&nloc, &rstart, 1, MPIU_INT, MPI_SUM, comm));
  rstart -= nloc;
  PetscCall(Assemble(comm, N, nloc, rstart, dist, t, ntrain, A));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGraphSampleSimilarity(MPI_Comm comm, PetscInt N, PetscInt D, PetscInt nloc, const PetscReal X[],
                                        PetscInt k, Mat *A, PetscReal *t)
{
  PetscReal *dist;

  PetscFunctionBegin;
  PetscCall(Distances(comm, N, D, nloc, X, &dist));
  PetscCall(GepGraphSampleSimilarityFromDistances(comm, N, nloc, dist, k, A, t));
  PetscCall(PetscFree(dist));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGraphSampleSimilarityNew(MPI_Comm comm, PetscInt N, PetscInt D, PetscInt nloc, const PetscReal X[],
                                           PetscInt ntrain, PetscReal t, Mat *A)
{
  PetscReal *dist;

  PetscFunctionBegin;
  PetscCall(Distances(comm, N, D, nloc, X, &dist));
  PetscCall(GepGraphSampleSimilarityNewFromDistances(comm, N, nloc, dist, ntrain, t, A));
  PetscCall(PetscFree(dist));
  PetscFunctionReturn(0);
}
