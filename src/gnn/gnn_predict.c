/* GepGNN (MOGONET and feature-graph models) prediction: the views' networks and the VCDN on a
   node set [training; new samples] with its graph (edges only between
   training and new samples), the new samples' class probabilities, and the
   validation loss that early stopping watches. */
#include "gnnimpl.h"

PetscErrorCode GepGNNSetNodes(GepGNN g, GepGNNNodeSet which)
{
  PetscInt N, n, r;

  PetscFunctionBegin;
  GepGNNNodeSetSize(g, which, &N, &n, &r);
  if (g->vnet->setnodes) PetscCall(g->vnet->setnodes(g, which));
  if (g->M > 1) PetscCall(GepGNNStackSetNodes(&g->fusion, n, N, NULL));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNFuse(GepGNN g, GepGNNNodeSet which, PetscReal *const Z[])
{
  PetscBool  val = (PetscBool)(which == GEP_GNN_NODES_VALIDATION);
  PetscInt   N, n, r;
  PetscReal *Y = Z[0];

  PetscFunctionBegin;
  GepGNNNodeSetSize(g, which, &N, &n, &r);
  if (g->M > 1) {
    PetscCall(GepGNNFusionFeatures(g->fusion_type, n, g->M, g->C, Z, g->F));
    PetscCall(GepGNNStackForward(&g->fusion, g->F, 0, &Y));
  }
  PetscCall(GepGNNGatherNewProbabilities(g, n, r, Y, val ? g->pva : g->prob));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(GepGNN g, GepGNNNodeSet which)
{
  PetscReal *Z[GEP_GNN_MAX_VIEWS];

  PetscFunctionBegin;
  PetscCall(GepGNNSetNodes(g, which));
  for (PetscInt m = 0; m < g->M; m++) PetscCall(GepGNNViewForward(g, m, which, 0, &Z[m]));
  PetscCall(GepGNNFuse(g, which, Z));
  PetscCall(GepGNNSetNodes(g, GEP_GNN_NODES_TRAIN));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNPredictMOGONET(GepGNN g)
{
  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_GNNPredict, 0, 0, 0, 0));
  PetscCall(Run(g, GEP_GNN_NODES_TEST));
  PetscCall(PetscLogEventEnd(GEP_GNNPredict, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNValidationLoss(GepGNN g, PetscReal *loss)
{
  PetscFunctionBegin;
  PetscCall(Run(g, GEP_GNN_NODES_VALIDATION));
  *loss = 0;
  for (PetscInt i = 0; i < g->Nva; i++) {
    if (g->regression) *loss += (g->pva[i] - g->tva[i]) * (g->pva[i] - g->tva[i]) / g->Nva;
    else *loss -= PetscLogReal(PetscMax(g->pva[i * g->C + g->yva[i]], PETSC_SMALL)) / g->Nva;
  }
  PetscFunctionReturn(0);
}
