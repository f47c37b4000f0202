/* GepGNN data splits. Reads the labels and the data (gnn_data.c) and forms, for
   every view, the node sets the networks run on, each spread over the ranks
   in contiguous blocks: the training samples; [training; test] for
   prediction; and, with -gnn_validation_fraction, [training; validation] for
   early stopping, the validation samples drawn per class (stratified, by the
   run's seed; a regression's targets are one "class") from the training file
   and left out of training. */
#include "gnnimpl.h"

PetscErrorCode GepGNNRowMajor(PetscInt n, PetscInt D, const PetscReal *Xc, PetscReal **Xr)
{
  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n * D + 1, Xr));
  for (PetscInt i = 0; i < n; i++)
    for (PetscInt d = 0; d < D; d++) (*Xr)[i * D + d] = Xc[d * n + i];
  PetscFunctionReturn(0);
}

static PetscErrorCode Block(MPI_Comm comm, PetscInt N, PetscInt *n, PetscInt *first)
{
  PetscFunctionBegin;
  *n = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(comm, n, &N));
  PetscCallMPI(MPI_Scan(n, first, 1, MPIU_INT, MPI_SUM, comm));
  *first -= *n;
  PetscFunctionReturn(0);
}

/* which of the N0 training-file samples are validation: round(f count_c) of class c, drawn by the seed */
static PetscErrorCode ChooseValidation(GepGNN g, PetscInt N0, const PetscInt *y, const PetscInt *count,
                                       PetscBool *isval)
{
  PetscRandom rnd;
  PetscReal  *key;
  PetscInt   *idx;

  PetscFunctionBegin;
  PetscCall(GepRandomCreateSeeded(g->seed + 7919, &rnd)); /* its own stream: the weights' stays as without validation */
  PetscCall(PetscMalloc2(N0, &key, N0, &idx));
  for (PetscInt i = 0; i < N0; i++) {
    PetscCall(PetscRandomGetValueReal(rnd, &key[i]));
    key[i] += y[i]; /* sorted by class, random within */
    idx[i]   = i;
    isval[i] = PETSC_FALSE;
  }
  PetscCall(PetscSortRealWithArrayInt(N0, key, idx));
  for (PetscInt c = 0, start = 0; c < g->C; start += count[c], c++) {
    PetscInt nv = (PetscInt)PetscFloorReal(g->valfrac * count[c] + 0.5);
    PetscCheck(nv < count[c], g->comm, PETSC_ERR_USER,
               "-gnn_validation_fraction %g leaves class %" PetscInt_FMT " no training sample", (double)g->valfrac, c);
    for (PetscInt q = 0; q < nv; q++) isval[idx[start + q]] = PETSC_TRUE;
  }
  PetscCall(PetscFree2(key, idx));
  PetscCall(PetscRandomDestroy(&rnd));
  PetscFunctionReturn(0);
}

/* the training labels y0 (N0) and the test labels, or for a regression the targets t0 (y0 all 0: one "class") */
static PetscErrorCode ReadLabels(GepGNN g, PetscInt *N0, PetscInt **y0, PetscReal **t0)
{
  PetscFunctionBegin;
  *t0 = NULL;
  if (!g->regression) {
    PetscCall(GepGNNReadLabels(g->labels_tr, N0, y0));
    g->C = 0;
    for (PetscInt i = 0; i < *N0; i++) g->C = PetscMax(g->C, (*y0)[i] + 1);
    PetscCheck(g->C >= 2, g->comm, PETSC_ERR_USER, "labels %s: only one class", g->labels_tr);
    if (g->labels_te[0]) {
      PetscCall(GepGNNReadLabels(g->labels_te, &g->Nte, &g->yte));
      for (PetscInt i = 0; i < g->Nte; i++)
        PetscCheck(g->yte[i] < g->C, g->comm, PETSC_ERR_USER,
                   "%s:%" PetscInt_FMT ": class %" PetscInt_FMT " is outside the training classes 0..%" PetscInt_FMT,
                   g->labels_te, i + 1, g->yte[i], g->C - 1);
    } else g->Nte = -1;
    PetscFunctionReturn(0);
  }
  g->C = 1;
  PetscCall(GepGNNReadTargets(g->labels_tr, N0, t0));
  PetscCall(PetscCalloc1(*N0 + 1, y0));
  if (g->labels_te[0]) PetscCall(GepGNNReadTargets(g->labels_te, &g->Nte, &g->tte));
  else g->Nte = -1;
  PetscFunctionReturn(0);
}

/* The training file's samples: validation ones (if any) drawn out and put after the
   training ones (tr_va: file row of each), the training rows' weights and standardised
   targets, the validation labels. */
static PetscErrorCode ArrangeSamples(GepGNN g, PetscInt N0, const PetscInt *y0, const PetscReal *t0,
                                     PetscInt **tr_va_out)
{
  PetscInt  *count, *tr_va;
  PetscBool *isval;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(g->C, &count));
  for (PetscInt i = 0; i < N0; i++) count[y0[i]]++;
  for (PetscInt c = 0; c < g->C; c++)
    PetscCheck(count[c] > 0, g->comm, PETSC_ERR_USER,
               "labels %s: class %" PetscInt_FMT " has no sample (classes must be 0..C-1)", g->labels_tr, c);
  PetscCall(PetscCalloc1(N0, &isval));
  if (g->valfrac > 0) PetscCall(ChooseValidation(g, N0, y0, count, isval));
  g->Nva = 0;
  for (PetscInt i = 0; i < N0; i++) g->Nva += isval[i];
  g->Ntr = N0 - g->Nva;
  PetscCall(PetscMalloc1(N0 + 1, &tr_va));
  for (PetscInt i = 0, a = 0, b = g->Ntr; i < N0; i++) tr_va[isval[i] ? b++ : a++] = i;
  PetscCall(PetscFree(isval));
  PetscCall(PetscArrayzero(count, g->C));
  for (PetscInt i = 0; i < g->Ntr; i++) count[y0[tr_va[i]]]++;
  PetscCall(Block(g->comm, g->Ntr, &g->ntr, &g->rtr));
  PetscCall(PetscMalloc2(g->ntr + 1, &g->ytr, g->ntr + 1, &g->wtr));
  for (PetscInt i = 0; i < g->ntr; i++) {
    PetscInt c = y0[tr_va[g->rtr + i]];
    g->ytr[i]  = c;
    g->wtr[i]  = g->regression                              ? 1.0
                 : g->weighting == GEP_GNN_WEIGHT_FREQUENCY ? (PetscReal)count[c] / g->Ntr
                 : g->weighting == GEP_GNN_WEIGHT_BALANCED  ? (PetscReal)g->Ntr / (g->C * count[c])
                                                            : 1.0;
  }
  PetscCall(PetscFree(count));
  if (t0) { /* regression: the training rows' targets standardised (the networks learn z-scores), all validation ones */
    g->tmu = g->tsd = 0;
    for (PetscInt i = 0; i < g->Ntr; i++) g->tmu += t0[tr_va[i]] / g->Ntr;
    for (PetscInt i = 0; i < g->Ntr; i++) g->tsd += (t0[tr_va[i]] - g->tmu) * (t0[tr_va[i]] - g->tmu) / g->Ntr;
    g->tsd = PetscSqrtReal(g->tsd);
    PetscCheck(g->tsd > 0, g->comm, PETSC_ERR_USER, "targets %s: every training target is %g", g->labels_tr,
               (double)g->tmu);
    PetscCall(PetscMalloc2(g->ntr + 1, &g->ttr, g->Nva + 1, &g->tva));
    for (PetscInt i = 0; i < g->ntr; i++) g->ttr[i] = (t0[tr_va[g->rtr + i]] - g->tmu) / g->tsd;
    for (PetscInt i = 0; i < g->Nva; i++) g->tva[i] = t0[tr_va[g->Ntr + i]];
  }
  if (g->Nva) {
    PetscCall(PetscMalloc2(g->Nva, &g->yva, g->Nva * g->C, &g->pva));
    for (PetscInt i = 0; i < g->Nva; i++) g->yva[i] = y0[tr_va[g->Ntr + i]];
    PetscCall(Block(g->comm, g->Ntr + g->Nva, &g->nva, &g->rva));
  }
  *tr_va_out = tr_va;
  PetscFunctionReturn(0);
}

/* View m's rows for the networks: this rank's rows of the training, validation and [training; test] node sets,
   column-major (tr_te: the node set's rows, the test samples numbered after the N0 training ones). The
   feature-graph model gathers its own at set-up, by nodes. */
static PetscErrorCode TakeView(GepGNN g, PetscInt m, PetscInt N0, const PetscInt *tr_va, const PetscInt *tr_te)
{
  GepGNNViewData *v = &g->v[m];

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(g->ntr * v->D + 1, &v->Xtr));
  PetscCall(GepGNNGatherData(g, m, N0, g->ntr, tr_va + g->rtr, 0, v->D, 1, g->ntr, v->Xtr));
  if (g->Nva) {
    PetscCall(PetscMalloc1(g->nva * v->D + 1, &v->Xva));
    PetscCall(GepGNNGatherData(g, m, N0, g->nva, tr_va + g->rva, 0, v->D, 1, g->nva, v->Xva));
  }
  PetscCall(PetscMalloc1(g->nall * v->D + 1, &v->Xall));
  PetscCall(GepGNNGatherData(g, m, N0, g->nall, tr_te + g->rall, 0, v->D, 1, g->nall, v->Xall));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLoadData(GepGNN g)
{
  PetscInt  *y0, N0, *tr_te = NULL, *tr_va = NULL;
  PetscReal *t0;

  PetscFunctionBegin;
  PetscCheck(g->M > 0 || g->omics_file[0], g->comm, PETSC_ERR_USER,
             "no data: give -gnn_train and -gnn_test (one table per view), or -gnn_omics FILE.h5, and "
             "-gnn_train_labels");
  PetscCheck(g->M <= GEP_GNN_MAX_VIEWS, g->comm, PETSC_ERR_USER, "at most %d views", GEP_GNN_MAX_VIEWS);
  PetscCheck(g->labels_tr[0], g->comm, PETSC_ERR_USER, "no training labels: give -gnn_train_labels");
  PetscCall(ReadLabels(g, &N0, &y0, &t0));
  PetscCall(ArrangeSamples(g, N0, y0, t0, &tr_va));
  PetscCall(PetscFree(y0));
  PetscCall(PetscFree(t0));
  PetscCall(GepGNNOpenData(g, N0));
  PetscCall(Block(g->comm, g->Ntr + g->Nte, &g->nall, &g->rall));
  PetscCall(PetscMalloc1(g->Ntr + g->Nte + 1, &tr_te));
  for (PetscInt i = 0; i < g->Ntr; i++) tr_te[i] = tr_va[i];
  for (PetscInt i = 0; i < g->Nte; i++) tr_te[g->Ntr + i] = N0 + i;
  g->N0 = N0;
  if (g->vnet && g->vnet->data_at_setup) { /* gathered at set-up (by nodes) */
    g->tr_te = tr_te;
    g->tr_va = tr_va;
    PetscFunctionReturn(0);
  }
  for (PetscInt m = 0; m < g->M; m++) PetscCall(TakeView(g, m, N0, tr_va, tr_te));
  PetscCall(GepGNNCloseData(g));
  PetscCall(PetscFree(tr_te));
  PetscCall(PetscFree(tr_va));
  PetscFunctionReturn(0);
}
