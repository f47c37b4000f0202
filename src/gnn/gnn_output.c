/* GepGNN output: HDF5 (docs/formats.md) with the test predictions, the true
   labels, the metrics, the training curves and the weights; the predictions as
   CSV beside it; SVG training curves. Files appear under temporary names and
   are renamed when complete. */
#include <stdio.h>
#include "gnnimpl.h"
#include "geph5.h"
#include "gepsvg.h"
#include "gepsys.h"

PetscErrorCode GepGNNWriteStack(GepH5 h5, const char group[], GepGNNStack *s)
{
  char name[PETSC_MAX_PATH_LEN];

  const char *types[GEP_GNN_MAX_LAYERS + 2];

  PetscFunctionBegin;
  PetscCall(GepH5CreateGroup(h5, group));
  for (PetscInt l = 0; l < s->nlayers; l++) types[l] = s->layer[l].type;
  PetscCall(PetscSNPrintf(name, sizeof(name), "%s/layer_types", group)); /* what a reader's deck must build */
  PetscCall(GepH5WriteStrings(h5, name, s->nlayers, types));
  for (PetscInt l = 0; l < s->nlayers; l++) {
    GepGNNLayer *L       = &s->layer[l];
    PetscInt     dims[2] = {L->fout, L->fin}; /* W stored column-major: fout rows of fin (torch's layout) */
    GepGNNLayerSyncWeights(L);
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/W%" PetscInt_FMT, group, l + 1));
    PetscCall(GepH5WriteRealReplicated(h5, name, 2, dims, L->W));
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/b%" PetscInt_FMT, group, l + 1));
    PetscCall(GepH5WriteRealReplicated(h5, name, 1, dims, L->b));
    if (L->ops->extra_per_output) { /* the type's own weights (attention: row 0 a_src, row 1 a_dst) */
      PetscInt adims[2] = {L->ops->extra_per_output, L->fout};
      PetscCall(PetscSNPrintf(name, sizeof(name), "%s/%s%" PetscInt_FMT, group, L->ops->extra_name, l + 1));
      PetscCall(GepH5WriteRealReplicated(h5, name, 2, adims, L->W + L->fin * L->fout));
    }
  }
  PetscFunctionReturn(0);
}

/* a feature-graph network: its convolutions (W<l>, b<l>), its nodes' names and its readout
   (node: readout_weights, nodes x (channels x classes), row-distributed (by samples: from the first rank), and
   readout_bias; mean: readout/W1, b1) */
PetscErrorCode GepGNNWriteFeatureNet(GepH5 h5, const char group[], GepGNNViewData *v)
{
  GepGNNFeatureNet *fn = &v->fnet;
  char              name[PETSC_MAX_PATH_LEN];
  const char      **nodes;

  PetscFunctionBegin;
  PetscCall(GepGNNWriteStack(h5, group, &fn->gcn));
  PetscCall(PetscMalloc1(fn->D + 1, &nodes));
  for (PetscInt d = 0; d < fn->D; d++) nodes[d] = d < v->D ? v->feat[d] : v->kg.added[d - v->D];
  PetscCall(PetscSNPrintf(name, sizeof(name), "%s/nodes", group));
  PetscCall(GepH5WriteStrings(h5, name, fn->D, nodes));
  PetscCall(PetscFree(nodes));
  if (fn->readout == GEP_GNN_READOUT_NODE) {
    PetscInt    fc = fn->f * fn->C, dims[2] = {fn->D, fn->f * fn->C}, nw = fn->dloc;
    PetscReal  *rows;
    PetscMPIInt rank;
    PetscCallMPI(MPI_Comm_rank(fn->comm, &rank));
    if (fn->dist == GEP_GNN_DISTRIBUTE_SAMPLES && rank) nw = 0; /* every rank holds them all: the first writes */
    PetscCall(PetscMalloc1(nw * fc + 1, &rows));                /* row-major: a node's f x C weights, column c + f k */
    for (PetscInt d = 0; d < nw; d++)
      for (PetscInt j = 0; j < fc; j++) rows[d * fc + j] = fn->R[d + fn->dloc * j];
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/readout_weights", group));
    PetscCall(GepH5WriteReal(h5, name, 2, dims, fn->dstart, nw, rows));
    PetscCall(PetscFree(rows));
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/readout_bias", group));
    PetscCall(GepH5WriteRealReplicated(h5, name, 1, &fn->C, fn->b));
  } else {
    GepGNNStack s = {0};
    s.nlayers     = 1;
    s.layer       = &fn->out;
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/readout", group));
    PetscCall(GepGNNWriteStack(h5, name, &s));
  }
  PetscFunctionReturn(0);
}

/* the predicted class of test sample i: the first most probable */
static PetscInt Predicted(GepGNN g, PetscInt i)
{
  PetscInt best = 0;
  for (PetscInt c = 1; c < g->C; c++)
    if (g->prob[i * g->C + c] > g->prob[i * g->C + best]) best = c;
  return best;
}

typedef struct {
  GepGNN      g;
  const char *tmp;
} CSVContext;

/* a classifier's rows: sample, label, predicted class, the class probabilities */
static void WriteClassRows(FILE *fp, GepGNN g)
{
  fprintf(fp, "test_sample,label,predicted");
  for (PetscInt k = 0; k < g->C; k++) fprintf(fp, ",probability_%" PetscInt_FMT, k);
  fprintf(fp, "\n");
  for (PetscInt i = 0; i < g->Nte; i++) {
    PetscInt best = Predicted(g, i);
    if (g->yte) fprintf(fp, "%" PetscInt_FMT ",%" PetscInt_FMT ",%" PetscInt_FMT, i + 1, g->yte[i], best);
    else fprintf(fp, "%" PetscInt_FMT ",NA,%" PetscInt_FMT, i + 1, best);
    for (PetscInt k = 0; k < g->C; k++) fprintf(fp, ",%.10g", (double)g->prob[i * g->C + k]);
    fprintf(fp, "\n");
  }
}

/* a regression's rows: sample, target, predicted value */
static void WriteRegressionRows(FILE *fp, GepGNN g)
{
  fprintf(fp, "test_sample,target,predicted\n");
  for (PetscInt i = 0; i < g->Nte; i++) {
    if (g->tte) fprintf(fp, "%" PetscInt_FMT ",%.10g,%.10g\n", i + 1, (double)g->tte[i], (double)g->prob[i]);
    else fprintf(fp, "%" PetscInt_FMT ",NA,%.10g\n", i + 1, (double)g->prob[i]);
  }
}

/* rank 0 writes the rows (run through GepRunShared: a failure there is every rank's error, none waits) */
static PetscErrorCode WriteCSVRows(void *ctx)
{
  CSVContext *c = (CSVContext *)ctx;
  GepGNN      g = c->g;
  PetscMPIInt rank;
  FILE       *fp;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(g->comm, &rank));
  if (rank) PetscFunctionReturn(0);
  PetscCall(GepTempFileRegister(c->tmp));
  fp = fopen(c->tmp, "w");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "predictions %s: cannot create", c->tmp);
  if (g->regression) WriteRegressionRows(fp, g);
  else WriteClassRows(fp, g);
  PetscCheck(fclose(fp) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "predictions %s: write failed", c->tmp);
  PetscFunctionReturn(0);
}

/* the predictions as CSV beside base, into path.part (tmp) until the caller commits it */
static PetscErrorCode WriteCSV(GepGNN g, const char base[], char path[PETSC_MAX_PATH_LEN],
                               char tmp[PETSC_MAX_PATH_LEN + 8])
{
  CSVContext c = {g, tmp};

  PetscFunctionBegin;
  PetscCall(GepSiblingPath(base, "-predictions.csv", path, PETSC_MAX_PATH_LEN));
  PetscCall(PetscSNPrintf(tmp, PETSC_MAX_PATH_LEN + 8, "%s.part", path));
  PetscCall(GepRunShared(g->comm, WriteCSVRows, &c));
  PetscFunctionReturn(0);
}

/* the training curves and facts (not for a model loaded by gepsim predict) */
static PetscErrorCode WriteTraining(GepGNN g, GepH5 h5)
{
  PetscInt dims[2];

  PetscFunctionBegin;
  PetscCall(GepH5CreateGroup(h5, "/training"));
  dims[0] = g->vnet ? g->epochs_run : 1;
  PetscCall(GepH5WriteRealReplicated(h5, "/training/loss", 1, dims, g->loss));
  if (g->ncurve) {
    dims[0] = g->ncurve;
    dims[1] = 7;
    PetscCall(GepH5WriteRealReplicated(h5, "/training/monitor", 2, dims, g->curve));
    PetscCall(GepH5WriteAttrString(h5, "/training/monitor", "columns",
                                   g->regression ? "epoch,loss,rmse,mae,r2,pearson_r,unused"
                                                 : "epoch,loss,accuracy,f1,f1_weighted,f1_macro,auc"));
  }
  if (g->nval) {
    dims[0] = g->nval;
    dims[1] = 2;
    PetscCall(GepH5WriteRealReplicated(h5, "/training/validation", 2, dims, g->valcurve));
    PetscCall(GepH5WriteAttrString(h5, "/training/validation", "columns", "epoch,loss"));
    PetscCall(GepH5WriteAttrInt(h5, "/training", "best_epoch", g->best_epoch));
    PetscCall(GepH5WriteAttrInt(h5, "/training", "validation_samples", g->Nva));
  }
  PetscCall(GepH5WriteAttrInt(h5, "/training", "epochs_run", g->vnet ? g->epochs_run : 0));
  PetscCall(GepH5WriteAttrReal(h5, "/training", "seconds", g->time_train));
  PetscCall(GepH5WriteAttrInt(h5, "/training", "seed", g->seed));
  PetscCall(GepH5WriteAttrString(h5, "/training", "model", ((PetscObject)g)->type_name));
  PetscCall(GepH5WriteAttrString(h5, "/training", "loss_function", g->regression ? "mse" : "cross_entropy"));
  PetscCall(GepH5WriteAttrString(h5, "/training", "precision", g->single ? "single" : "double"));
  PetscFunctionReturn(0);
}

/* a classifier's probabilities, predicted classes, labels and scores */
static PetscErrorCode WriteClassPredictions(GepGNN g, GepH5 h5)
{
  PetscInt    dims[2] = {g->Nte, g->C}, *pred;
  PetscMPIInt rank;
  const char *mnames[] = {"accuracy", "f1", "f1_weighted", "f1_macro", "auc"};

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(g->comm, &rank));
  PetscCall(GepH5WriteRealReplicated(h5, "/predictions/test/probability", 2, dims, g->prob));
  PetscCall(PetscMalloc1(g->Nte + 1, &pred));
  for (PetscInt i = 0; i < g->Nte; i++) pred[i] = Predicted(g, i);
  PetscCall(GepH5WriteInt(h5, "/predictions/test/predicted", g->Nte, 0, rank ? 0 : g->Nte, pred));
  PetscCall(PetscFree(pred));
  if (g->yte) {
    PetscReal sc[5];
    PetscCall(GepH5WriteInt(h5, "/predictions/test/label", g->Nte, 0, rank ? 0 : g->Nte, g->yte));
    PetscCall(GepH5CreateGroup(h5, "/metrics"));
    GepGNNScoreRow(g, sc);
    for (PetscInt i = 0; i < 5; i++) PetscCall(GepH5WriteAttrReal(h5, "/metrics", mnames[i], sc[i]));
  }
  PetscFunctionReturn(0);
}

/* a regression's predicted values, targets and scores */
static PetscErrorCode WriteRegressionPredictions(GepGNN g, GepH5 h5)
{
  PetscReal   sc[5];
  const char *rnames[] = {"rmse", "mae", "r2", "pearson_r"};

  PetscFunctionBegin;
  PetscCall(GepH5WriteRealReplicated(h5, "/predictions/test/value", 1, &g->Nte, g->prob));
  if (g->tte) {
    PetscCall(GepH5WriteRealReplicated(h5, "/predictions/test/target", 1, &g->Nte, g->tte));
    PetscCall(GepH5CreateGroup(h5, "/metrics"));
    GepGNNScoreRow(g, sc);
    for (PetscInt i = 0; i < 4; i++) PetscCall(GepH5WriteAttrReal(h5, "/metrics", rnames[i], sc[i]));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNWrite(GepGNN g, const char path[])
{
  GepH5 h5;

  PetscFunctionBegin;
  PetscCheck(g->trained, g->comm, PETSC_ERR_ORDER, "GepGNNTrain() first");
  PetscCall(PetscLogEventBegin(GEP_Output, 0, 0, 0, 0));
  PetscCall(GepH5Create(g->comm, path, &h5));
  PetscCall(GepH5CreateGroup(h5, "/predictions"));
  PetscCall(GepH5CreateGroup(h5, "/predictions/test"));
  if (g->regression) PetscCall(WriteRegressionPredictions(g, h5));
  else PetscCall(WriteClassPredictions(g, h5));
  if (!g->loaded) PetscCall(WriteTraining(g, h5));
  else PetscCall(GepH5WriteAttrString(h5, "/", "model_from", g->model_file));
  PetscCall(GepH5CreateGroup(h5, "/views"));
  for (PetscInt m = 0; m < g->M; m++) {
    char name[PETSC_MAX_PATH_LEN];
    PetscCall(PetscSNPrintf(name, sizeof(name), "/views/%s", g->v[m].name));
    PetscCall(GepH5WriteStrings(h5, name, g->v[m].D, (const char *const *)g->v[m].feat));
  }
  if (g->v[0].imp_gradient) {
    PetscCall(GepH5CreateGroup(h5, "/importance"));
    for (PetscInt m = 0; m < g->M; m++) {
      char     name[PETSC_MAX_PATH_LEN];
      PetscInt D = g->v[m].D;
      PetscCall(PetscSNPrintf(name, sizeof(name), "/importance/%s", g->v[m].name));
      PetscCall(GepH5CreateGroup(h5, name));
      if (g->importance != GEP_GNN_IMPORTANCE_ABLATION) {
        PetscCall(PetscSNPrintf(name, sizeof(name), "/importance/%s/gradient_input", g->v[m].name));
        PetscCall(GepH5WriteRealReplicated(h5, name, 1, &D, g->v[m].imp_gradient));
      }
      if (g->importance != GEP_GNN_IMPORTANCE_GRADIENT) {
        PetscCall(PetscSNPrintf(name, sizeof(name), "/importance/%s/ablation", g->v[m].name));
        PetscCall(GepH5WriteRealReplicated(h5, name, 1, &D, g->v[m].imp_ablation));
      }
    }
  }
  PetscCall(GepH5CreateGroup(h5, "/model"));
  if (g->vnet) {
    for (PetscInt m = 0; m < g->M; m++) {
      char name[PETSC_MAX_PATH_LEN];
      PetscCall(PetscSNPrintf(name, sizeof(name), "/model/%s", g->v[m].name));
      PetscCall(g->vnet->write(g, h5, name, m));
    }
    if (g->M > 1) PetscCall(GepGNNWriteStack(h5, "/model/vcdn", &g->fusion));
  } else {
    GepGNNStack s = {0};
    s.nlayers     = 1;
    s.layer       = &g->lin;
    PetscCall(GepGNNWriteStack(h5, "/model/linear", &s));
  }
  {
    char csv[PETSC_MAX_PATH_LEN], csvtmp[PETSC_MAX_PATH_LEN + 8];
    PetscCall(WriteCSV(g, path, csv, csvtmp)); /* both files complete before either takes its name */
    PetscCall(GepH5Commit(&h5));
    PetscCall(GepTempFileCommit(g->comm, csvtmp, csv));
  }
  PetscCall(PetscLogEventEnd(GEP_Output, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNWriteFigures(GepGNN g, const char base[])
{
  char        path[PETSC_MAX_PATH_LEN];
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(g->comm, &rank));
  if (rank || !g->vnet) PetscFunctionReturn(0); /* the linear model has no training curves */
  {
    PetscInt     n = g->epochs_run;
    PetscReal   *x;
    GepSVGSeries s = {"training loss (sum over the networks)", g->loss, NULL, NULL, NULL};

    PetscCall(PetscMalloc1(n + 1, &x));
    for (PetscInt i = 0; i < n; i++) x[i] = i + 1;
    PetscCall(GepSiblingPath(base, "-loss.svg", path, sizeof(path)));
    if (n > 1)
      PetscCall(GepSVGLinePlot(path, "Training loss (pre-training, then joint)", "epoch",
                               g->regression ? "mean squared error" : "weighted cross-entropy", n, x, 1, &s));
    PetscCall(PetscFree(x));
  }
  if (g->ncurve > 1 && GepGNNTestLabelled(g)) {
    PetscReal   *x, *y;
    GepSVGSeries s[3]   = {{"accuracy", NULL, NULL, NULL, NULL},
                           {g->C == 2 ? "F1" : "F1 (weighted)", NULL, NULL, NULL, NULL},
                           {"ROC AUC", NULL, NULL, NULL, NULL}};
    PetscInt     col[3] = {2, 3, 6}, ns = g->C == 2 ? 3 : 2;

    if (g->regression) { /* R^2 and Pearson's r */
      s[0].label = "R2";
      s[1].label = "Pearson r";
      col[0]     = 4;
      col[1]     = 5;
      ns         = 2;
    }

    PetscCall(PetscMalloc2(g->ncurve, &x, 3 * g->ncurve, &y));
    for (PetscInt i = 0; i < g->ncurve; i++) {
      x[i] = g->curve[7 * i];
      for (PetscInt j = 0; j < 3; j++) y[j * g->ncurve + i] = g->curve[7 * i + col[j]];
    }
    for (PetscInt j = 0; j < 3; j++) s[j].y = y + j * g->ncurve;
    PetscCall(GepSiblingPath(base, "-test-metrics.svg", path, sizeof(path)));
    PetscCall(GepSVGLinePlot(path, "Test metrics through training", "epoch", "metric", g->ncurve, x, ns, s));
    PetscCall(PetscFree2(x, y));
  }
  PetscFunctionReturn(0);
}
