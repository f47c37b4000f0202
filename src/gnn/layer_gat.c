/* The graph products of a GepGNN graph attention layer (GAT, Velickovic et al.
   2018; one head, as PyTorch Geometric's GATConv(heads = 1)): h = X W, for an
   edge j -> i of the graph (column j of row i; the self-loops included)
   e_ij = LeakyReLU_0.2(a_src . h_j + a_dst . h_i), alpha_ij = softmax over the
   row i of e_ij, pre_i = sum_j alpha_ij h_j. Only the graph's pattern counts,
   not its values. With batch signals per node (feature graphs) every signal
   has its own attention.

   The edges are the row block's CSR arrays (PETSc's diagonal and off-diagonal
   blocks of the MATMPIAIJ); the rows of h (and a_src . h) of the other ranks'
   nodes that those edges name come through a PetscSF from the matrix's column
   map, and their gradients go back through the same SF (a sum). Per-signal
   attention is not one sparse product, so the aggregation is a loop over the
   edges. */
#include "gnnimpl.h"
#include <petscsf.h>

#define GAT_SLOPE 0.2 /* the attention's LeakyReLU (GATConv's default) */

struct _GepGNNGAT {
  Mat             A;                 /* the graph, referenced: its blocks' rows are borrowed until destroyed */
  Mat             Ad, Ao;            /* the diagonal and off-diagonal blocks (references) */
  const PetscInt *ia, *ja, *io, *jo; /* their CSR (jo: ghost numbers) */
  PetscInt        nghost, w;         /* ghost nodes; values per node: batch x (fout + 1) */
  PetscSF         sf;                /* roots: this rank's nodes; leaves: the ghosts */
  MPI_Datatype    unit;              /* w reals */
  PetscReal      *P, *Pg, *dP, *dPg; /* per node (row-major): h of every signal, then a_src . h; ghosts; gradients */
  PetscReal      *ed, *ded;          /* a_dst . h_i per (node, signal), its gradient */
  PetscReal      *alpha;             /* per edge (diagonal block's, then off-diagonal's) and signal */
  PetscReal      *row;               /* work: batch x (fout + 2) */
};

static PetscErrorCode GATDestroy(GepGNNLayer *L)
{
  GepGNNGAT *a = L->gat;
  PetscBool  done;
  PetscInt   n;

  PetscFunctionBegin;
  if (!a) PetscFunctionReturn(0);
  PetscCall(MatRestoreRowIJ(a->Ad, 0, PETSC_FALSE, PETSC_FALSE, &n, &a->ia, &a->ja, &done));
  if (a->Ao) PetscCall(MatRestoreRowIJ(a->Ao, 0, PETSC_FALSE, PETSC_FALSE, &n, &a->io, &a->jo, &done));
  PetscCall(MatDestroy(&a->A));
  PetscCall(PetscSFDestroy(&a->sf));
  if (a->unit != MPI_DATATYPE_NULL) PetscCallMPI(MPI_Type_free(&a->unit));
  PetscCall(PetscFree4(a->P, a->Pg, a->dP, a->dPg));
  PetscCall(PetscFree4(a->ed, a->ded, a->alpha, a->row));
  PetscCall(PetscFree(L->gat));
  PetscFunctionReturn(0);
}

/* the edges and the ghost exchange of graph L->A for L->batch signals per node */
static PetscErrorCode GATSetUp(GepGNNLayer *L)
{
  GepGNNGAT      *a;
  PetscBool       mpi, done;
  PetscInt        n, nnz, B = L->batch, F = L->fout;
  const PetscInt *garray = NULL;

  PetscFunctionBegin;
  PetscCall(GATDestroy(L));
  PetscCall(PetscNew(&L->gat));
  a       = L->gat;
  a->unit = MPI_DATATYPE_NULL;
  a->w    = B * (F + 1);
  a->A    = L->A; /* (a caller may destroy its graph before the layer moves to other nodes) */
  PetscCall(PetscObjectReference((PetscObject)a->A));
  PetscCall(PetscObjectTypeCompare((PetscObject)L->A, MATMPIAIJ, &mpi));
  if (mpi) PetscCall(MatMPIAIJGetSeqAIJ(L->A, &a->Ad, &a->Ao, &garray));
  else {
    PetscCall(PetscObjectTypeCompare((PetscObject)L->A, MATSEQAIJ, &done));
    PetscCheck(done, L->comm, PETSC_ERR_SUP, "a graph attention layer needs an AIJ graph");
    a->Ad = L->A;
  }
  PetscCall(MatGetRowIJ(a->Ad, 0, PETSC_FALSE, PETSC_FALSE, &n, &a->ia, &a->ja, &done));
  PetscCheck(done && n == L->nloc, L->comm, PETSC_ERR_PLIB, "the graph's rows are not available");
  nnz = a->ia[n];
  if (a->Ao) {
    PetscLayout cmap;
    PetscMPIInt w;

    PetscCall(MatGetRowIJ(a->Ao, 0, PETSC_FALSE, PETSC_FALSE, &n, &a->io, &a->jo, &done));
    PetscCheck(done && n == L->nloc, L->comm, PETSC_ERR_PLIB, "the graph's off-process rows are not available");
    nnz += a->io[n];
    PetscCall(MatGetLocalSize(a->Ao, NULL, &a->nghost));
    PetscCall(MatGetLayouts(L->A, NULL, &cmap));
    PetscCall(PetscSFCreate(L->comm, &a->sf));
    PetscCall(PetscSFSetGraphLayout(a->sf, cmap, a->nghost, NULL, PETSC_COPY_VALUES, garray));
    PetscCall(PetscSFSetUp(a->sf));
    PetscCall(PetscMPIIntCast(a->w, &w));
    PetscCallMPI(MPI_Type_contiguous(w, MPIU_REAL, &a->unit));
    PetscCallMPI(MPI_Type_commit(&a->unit));
  }
  PetscCall(PetscMalloc4(L->nloc * a->w + 1, &a->P, a->nghost * a->w + 1, &a->Pg, L->nloc * a->w + 1, &a->dP,
                         a->nghost * a->w + 1, &a->dPg));
  PetscCall(
    PetscMalloc4(L->nloc * B + 1, &a->ed, L->nloc * B + 1, &a->ded, nnz * B + 1, &a->alpha, B * (F + 2), &a->row));
  PetscFunctionReturn(0);
}

/* the source node's row (every signal) of edge k (k < nd: diagonal block) in P or dP, else in the ghosts' Pg or dPg */
static inline PetscReal *SourceRow(const GepGNNGAT *a, PetscReal *P, PetscReal *Pg, PetscInt nd, PetscInt k)
{
  return k < nd ? P + a->ja[k] * a->w : Pg + a->jo[k - nd] * a->w;
}

/* edges of row i: diagonal-block edges [ia[i], ia[i+1]) and off-diagonal [io[i], io[i+1]), numbered k in [0, nd) then
   nd + q. Loops run edge by edge, every signal inside: a source row and an edge's attention are contiguous over the
   signals. */
#define ForEdge(a, i, nd, k, ...)                                                        \
  do {                                                                                   \
    for (PetscInt k = (a)->ia[i]; k < (a)->ia[(i) + 1]; k++) __VA_ARGS__                 \
    if ((a)->Ao)                                                                         \
      for (PetscInt k = (nd) + (a)->io[i]; k < (nd) + (a)->io[(i) + 1]; k++) __VA_ARGS__ \
  } while (0)

static PetscErrorCode GATForward(GepGNNLayer *L, const PetscReal *X)
{
  GepGNNGAT       *a    = L->gat;
  PetscInt         nloc = L->nloc, B = L->batch, F = L->fout, n = nloc * B, nd = a->ia[nloc], F1 = F + 1;
  const PetscReal *as = L->W + L->fin * F, *ad = as + F;
  PetscReal       *h = L->S, *acc = a->row, *mx = a->row + B * F, *sum = mx + B;

  PetscFunctionBegin;
  PetscCall(GepGNNGemm('N', 'N', n, F, L->fin, 1.0, X, n, L->W, L->fin, 0.0, h, n));
  for (PetscInt i = 0; i < nloc; i++) /* pack every node's h and a_src . h; a_dst . h aside */
    for (PetscInt s = 0; s < B; s++) {
      PetscReal *p = a->P + i * a->w + s * F1, es = 0, e = 0;
      for (PetscInt c = 0; c < F; c++) {
        p[c] = h[c * n + s * nloc + i];
        es += as[c] * p[c];
        e += ad[c] * p[c];
      }
      p[F]             = es;
      a->ed[i * B + s] = e;
    }
  if (a->sf) {
    PetscCall(PetscSFBcastBegin(a->sf, a->unit, a->P, a->Pg, MPI_REPLACE));
    PetscCall(PetscSFBcastEnd(a->sf, a->unit, a->P, a->Pg, MPI_REPLACE));
  }
  for (PetscInt i = 0; i < nloc; i++) {
    const PetscReal *ed = a->ed + i * B;

    for (PetscInt s = 0; s < B; s++) {
      mx[s]  = PETSC_MIN_REAL;
      sum[s] = 0;
    }
    for (PetscInt j = 0; j < B * F; j++) acc[j] = 0;
    ForEdge(a, i, nd, k, { /* attention logits, their row maxima */
                           const PetscReal *src = SourceRow(a, a->P, a->Pg, nd, k);
                           PetscReal       *al  = a->alpha + k * B;
                           for (PetscInt s = 0; s < B; s++) {
                             PetscReal z = src[s * F1 + F] + ed[s];
                             al[s]       = z > 0 ? z : GAT_SLOPE * z;
                             mx[s]       = PetscMax(mx[s], al[s]);
                           }
    });
    ForEdge(a, i, nd, k, {
      PetscReal *al = a->alpha + k * B;
      for (PetscInt s = 0; s < B; s++) {
        al[s] = PetscExpReal(al[s] - mx[s]);
        sum[s] += al[s];
      }
    });
    ForEdge(a, i, nd, k, { /* normalised, and the weighted sum of the sources */
                           const PetscReal *src = SourceRow(a, a->P, a->Pg, nd, k);
                           PetscReal       *al  = a->alpha + k * B;
                           for (PetscInt s = 0; s < B; s++) {
                             al[s] /= sum[s];
                             for (PetscInt c = 0; c < F; c++) acc[s * F + c] += al[s] * src[s * F1 + c];
                           }
    });
    for (PetscInt s = 0; s < B; s++)
      for (PetscInt c = 0; c < F; c++) L->pre[c * n + s * nloc + i] = acc[s * F + c];
  }
  PetscFunctionReturn(0);
}

/* from dpre (after the forward pass on X): dW and the attention's gradients into dWb, dX (may be NULL) */
static PetscErrorCode GATBackward(GepGNNLayer *L, const PetscReal *X, PetscReal *dWb, PetscReal *dX)
{
  GepGNNGAT       *a    = L->gat;
  PetscInt         nloc = L->nloc, B = L->batch, F = L->fout, fin = L->fin, n = nloc * B, nd = a->ia[nloc], F1 = F + 1;
  const PetscReal *as = L->W + fin * F, *ad = as + F;
  PetscReal       *das = dWb + fin * F, *dad = das + F, *dh = L->S, *g = a->row, *sa = a->row + B * F;

  PetscFunctionBegin;
  PetscCall(PetscArrayzero(a->dP, nloc * a->w));
  PetscCall(PetscArrayzero(a->dPg, a->nghost * a->w));
  for (PetscInt i = 0; i < nloc; i++) {
    const PetscReal *ed  = a->ed + i * B;
    PetscReal       *ded = a->ded + i * B;

    for (PetscInt s = 0; s < B; s++) {
      sa[s] = ded[s] = 0;
      for (PetscInt c = 0; c < F; c++) g[s * F + c] = L->dpre[c * n + s * nloc + i];
    }
    ForEdge(a, i, nd, k, { /* sum_j alpha_ij dL/dalpha_ij, with dL/dalpha_ij = g . h_j */
                           const PetscReal *src = SourceRow(a, a->P, a->Pg, nd, k), *al = a->alpha + k * B;
                           for (PetscInt s = 0; s < B; s++) {
                             PetscReal d = 0;
                             for (PetscInt c = 0; c < F; c++) d += g[s * F + c] * src[s * F1 + c];
                             sa[s] += al[s] * d;
                           }
    });
    ForEdge(a, i, nd, k, {
      const PetscReal *src = SourceRow(a, a->P, a->Pg, nd, k), *al = a->alpha + k * B;
      PetscReal       *dsrc = SourceRow(a, a->dP, a->dPg, nd, k);
      for (PetscInt s = 0; s < B; s++) {
        PetscReal d = 0, z, de;
        for (PetscInt c = 0; c < F; c++) {
          d += g[s * F + c] * src[s * F1 + c];
          dsrc[s * F1 + c] += al[s] * g[s * F + c];
        }
        de = al[s] * (d - sa[s]); /* through the softmax, then the LeakyReLU */
        z  = src[s * F1 + F] + ed[s];
        de = z > 0 ? de : GAT_SLOPE * de;
        dsrc[s * F1 + F] += de;
        ded[s] += de;
      }
    });
  }
  if (a->sf) { /* the ghosts' gradients summed into their owners' rows */
    PetscCall(PetscSFReduceBegin(a->sf, a->unit, a->dPg, a->dP, MPI_SUM));
    PetscCall(PetscSFReduceEnd(a->sf, a->unit, a->dPg, a->dP, MPI_SUM));
  }
  for (PetscInt c = 0; c < F; c++) das[c] = dad[c] = 0;
  for (PetscInt i = 0; i < nloc; i++) /* dL/dh = direct + dL/d(a_src . h) a_src + dL/d(a_dst . h) a_dst */
    for (PetscInt s = 0; s < B; s++) {
      const PetscReal *p = a->P + i * a->w + s * F1, *dp = a->dP + i * a->w + s * F1;
      const PetscReal  des = dp[F], ded = a->ded[i * B + s];
      for (PetscInt c = 0; c < F; c++) {
        dh[c * n + s * nloc + i] = dp[c] + des * as[c] + ded * ad[c];
        das[c] += des * p[c];
        dad[c] += ded * p[c];
      }
    }
  PetscCall(GepGNNGemm('T', 'N', fin, F, n, 1.0, X, n, dh, n, 0.0, dWb, fin));
  if (dX) PetscCall(GepGNNGemm('N', 'T', n, fin, F, 1.0, dh, n, L->W, fin, 0.0, dX, n));
  PetscFunctionReturn(0);
}

static const GepGNNLayerOps GATOps = {
  .description      = "graph attention layers",
  .graph            = PETSC_TRUE,
  .extra_per_output = 2, /* a_src, a_dst */
  .extra_name       = "attention",
  .setnodes         = GATSetUp,
  .destroynodes     = GATDestroy,
  .forward          = GATForward,
  .backward         = GATBackward,
};

/* one-head graph attention (double precision only) */
PetscErrorCode GepGNNLayerCreate_GAT(GepGNNLayer *L)
{
  PetscFunctionBegin;
  L->ops = &GATOps;
  PetscFunctionReturn(0);
}
