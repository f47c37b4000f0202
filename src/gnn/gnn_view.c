/* GepGNN view networks behind one interface (g->vnet), so that the training
   schedule, prediction, early stopping and the fusion run either model; the
   node sets' sizes; and the feature-graph networks' passes, whose signals are
   this rank's sample rows on every node (distributed by samples), or every
   sample on this rank's nodes (distributed by nodes: their logits, every sample
   on every rank, are cut to this rank's sample rows, and the rows' gradients
   gathered back). MOGONET's sample-graph stacks are in gnn_net_sample.c. */
#include "gnnimpl.h"

void GepGNNNodeSetSize(GepGNN g, GepGNNNodeSet which, PetscInt *N, PetscInt *n, PetscInt *r)
{
  if (which == GEP_GNN_NODES_TEST) {
    *N = g->Ntr + g->Nte;
    *n = g->nall;
    *r = g->rall;
  } else if (which == GEP_GNN_NODES_VALIDATION) {
    *N = g->Ntr + g->Nva;
    *n = g->nva;
    *r = g->rva;
  } else {
    *N = g->Ntr;
    *n = g->ntr;
    *r = g->rtr;
  }
}

void GepGNNFeatureSignals(GepGNN g, GepGNNNodeSet which, PetscInt *ns, PetscInt *s0)
{
  PetscInt N;

  GepGNNNodeSetSize(g, which, &N, ns, s0);
  if (g->distribute == GEP_GNN_DISTRIBUTE_SAMPLES) return;
  *ns = N;
  *s0 = 0;
}

/* the feature-graph networks' passes */
PetscErrorCode GepGNNFeatureViewForward(GepGNN g, PetscInt m, GepGNNNodeSet which, uint64_t key, PetscReal **Z)
{
  GepGNNViewData *v = &g->v[m];
  PetscInt        N, n, r;

  PetscFunctionBegin;
  GepGNNNodeSetSize(g, which, &N, &n, &r);
  if (g->distribute == GEP_GNN_DISTRIBUTE_SAMPLES) { /* this rank's samples: its rows */
    PetscCall(GepGNNFeatureNetForward(&v->fnet, N, n, r, v->XT[which], key, v->Zloc));
    *Z = v->Zloc;
    PetscFunctionReturn(0);
  }
  PetscCall(GepGNNFeatureNetForward(&v->fnet, N, N, 0, v->XT[which], key, v->Zrep));
  for (PetscInt k = 0; k < g->C; k++)
    for (PetscInt i = 0; i < n; i++) v->Zloc[i + n * k] = v->Zrep[r + i + N * k];
  *Z = v->Zloc;
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNFeatureViewBackward(GepGNN g, PetscInt m, GepGNNNodeSet which, const PetscReal *dZ, PetscReal *dX)
{
  GepGNNViewData *v = &g->v[m];
  PetscInt        N, n, r;
  PetscMPIInt     size, cnt, *counts, *displs;

  PetscFunctionBegin;
  if (g->distribute == GEP_GNN_DISTRIBUTE_SAMPLES) {
    PetscCall(GepGNNFeatureNetBackward(&v->fnet, v->XT[which], dZ, dX));
    PetscFunctionReturn(0);
  }
  GepGNNNodeSetSize(g, which, &N, &n, &r);
  PetscCallMPI(MPI_Comm_size(g->comm, &size));
  PetscCall(PetscMalloc2(size, &counts, size, &displs));
  PetscCall(PetscMPIIntCast(n, &cnt));
  PetscCallMPI(MPI_Allgather(&cnt, 1, MPI_INT, counts, 1, MPI_INT, g->comm));
  displs[0] = 0;
  for (PetscMPIInt q = 1; q < size; q++) displs[q] = displs[q - 1] + counts[q - 1];
  for (PetscInt k = 0; k < g->C; k++)
    PetscCallMPI(MPI_Allgatherv(dZ + n * k, cnt, MPIU_REAL, v->dZrep + N * k, counts, displs, MPIU_REAL, g->comm));
  PetscCall(PetscFree2(counts, displs));
  PetscCall(GepGNNFeatureNetBackward(&v->fnet, v->XT[which], v->dZrep, dX));
  PetscFunctionReturn(0);
}

/* the views' networks, whichever the model's (g->vnet) */
PetscErrorCode GepGNNViewForward(GepGNN g, PetscInt m, GepGNNNodeSet which, uint64_t key, PetscReal **Z)
{
  PetscFunctionBegin;
  PetscCall(g->vnet->forward(g, m, which, key, Z));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNViewBackward(GepGNN g, PetscInt m, GepGNNNodeSet which, const PetscReal *dZ, PetscReal *dX)
{
  PetscFunctionBegin;
  PetscCall(g->vnet->backward(g, m, which, dZ, dX));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNViewAdam(GepGNN g, PetscInt m, PetscInt t, PetscReal lr)
{
  PetscFunctionBegin;
  PetscCall(g->vnet->adam(g, m, t, lr));
  PetscFunctionReturn(0);
}

PetscInt GepGNNViewNumParameters(GepGNN g, PetscInt m)
{
  return g->vnet->nparams(g, m);
}

PetscErrorCode GepGNNViewCopyParameters(GepGNN g, PetscInt m, PetscBool get, PetscReal *buf)
{
  PetscFunctionBegin;
  PetscCall(g->vnet->copyparams(g, m, get, buf));
  PetscFunctionReturn(0);
}
