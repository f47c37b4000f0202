/* GepGNN weights from a gepsim train output (/model, docs/formats.md) into a
   model set up from the same deck, so that gepsim predict runs a trained
   model on new test files. The networks' shapes must match the deck's; the
   graphs and the linear model's standardisation come from the deck's
   training files, as at training. */
#include "gnnimpl.h"
#include "geph5.h"

/* a NaN or Inf weight would make every prediction NaN: refused at load time */
static PetscErrorCode CheckFinite(const char path[], const char name[], PetscInt n, const PetscReal v[])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++)
    PetscCheck(!PetscIsInfOrNanReal(v[i]), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "model %s: %s has a %s value at entry %" PetscInt_FMT, path, name,
               PetscIsNanReal(v[i]) ? "NaN" : "infinite", i + 1);
  PetscFunctionReturn(0);
}

/* the file's layer types are the deck's (a file without them, from before they were written, is read as the deck's) */
static PetscErrorCode CheckLayerTypes(GepH5File h, const char path[], const char group[], const GepGNNStack *s)
{
  char      name[PETSC_MAX_PATH_LEN], **types;
  PetscInt  n;
  PetscBool has;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(name, sizeof(name), "%s/layer_types", group));
  PetscCall(GepH5Exists(h, name, &has));
  if (!has) PetscFunctionReturn(0);
  PetscCall(GepH5ReadStrings(h, name, &n, &types));
  PetscCheck(n == s->nlayers, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "model %s: %s has %" PetscInt_FMT " layers, the deck's network %" PetscInt_FMT, path, group, n,
             s->nlayers);
  for (PetscInt l = 0; l < n; l++) {
    PetscBool same;
    PetscCall(PetscStrcmp(types[l], s->layer[l].type, &same));
    PetscCheck(same, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "model %s: %s layer %" PetscInt_FMT " is of type %s, the deck's is %s (-gnn_layer_type)", path, group,
               l + 1, types[l], s->layer[l].type);
  }
  PetscCall(PetscStrArrayDestroy(&types));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNReadStack(GepH5File h, const char path[], const char group[], GepGNNStack *s)
{
  char name[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(CheckLayerTypes(h, path, group, s));
  for (PetscInt l = 0; l < s->nlayers; l++) {
    GepGNNLayer *L = &s->layer[l];
    PetscInt     nd, dims[4];
    PetscBool    has;

    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/W%" PetscInt_FMT, group, l + 1));
    PetscCall(GepH5Exists(h, name, &has));
    PetscCheck(has, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "model %s: no %s (a model of another deck?)", path,
               name);
    PetscCall(GepH5GetDims(h, name, &nd, dims));
    PetscCheck(nd == 2 && dims[0] == L->fout && dims[1] == L->fin, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "model %s: %s is %" PetscInt_FMT " x %" PetscInt_FMT ", the deck's network needs %" PetscInt_FMT
               " x %" PetscInt_FMT,
               path, name, dims[0], nd > 1 ? dims[1] : 1, L->fout, L->fin);
    PetscCall(GepH5ReadRealRows(h, name, 0, L->fout, L->W));
    PetscCall(CheckFinite(path, name, L->fout * L->fin, L->W));
    L->W_behind = PETSC_FALSE; /* W is the weights now (a single-precision layer makes W_s from it) */
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/b%" PetscInt_FMT, group, l + 1));
    PetscCall(GepH5GetDims(h, name, &nd, dims));
    PetscCheck(nd == 1 && dims[0] == L->fout, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "model %s: %s has %" PetscInt_FMT " entries, the deck's network needs %" PetscInt_FMT, path, name,
               dims[0], L->fout);
    PetscCall(GepH5ReadRealRows(h, name, 0, L->fout, L->b));
    PetscCall(CheckFinite(path, name, L->fout, L->b));
    if (L->ops->extra_per_output) { /* the type's own weights */
      PetscInt e = L->ops->extra_per_output;
      PetscCall(PetscSNPrintf(name, sizeof(name), "%s/%s%" PetscInt_FMT, group, L->ops->extra_name, l + 1));
      PetscCall(GepH5Exists(h, name, &has));
      PetscCheck(has, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                 "model %s: no %s (the deck's layer %" PetscInt_FMT " is of type %s)", path, name, l + 1, L->type);
      PetscCall(GepH5GetDims(h, name, &nd, dims));
      PetscCheck(nd == 2 && dims[0] == e && dims[1] == L->fout, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                 "model %s: %s is not %" PetscInt_FMT " x %" PetscInt_FMT, path, name, e, L->fout);
      PetscCall(GepH5ReadRealRows(h, name, 0, e, L->W + L->fin * L->fout));
      PetscCall(CheckFinite(path, name, e * L->fout, L->W + L->fin * L->fout));
    }
  }
  PetscFunctionReturn(0);
}

/* a feature-graph network's weights (gnn_output.c's WriteFeatureNet); the nodes must be the deck's */
PetscErrorCode GepGNNReadFeatureNet(GepH5File h, const char path[], const char group[], GepGNNViewData *v)
{
  GepGNNFeatureNet *fn = &v->fnet;
  char              name[PETSC_MAX_PATH_LEN];
  PetscInt          n, nd, dims[4];
  char            **nodes;

  PetscFunctionBegin;
  PetscCall(GepGNNReadStack(h, path, group, &fn->gcn));
  PetscCall(PetscSNPrintf(name, sizeof(name), "%s/nodes", group));
  PetscCall(GepH5ReadStrings(h, name, &n, &nodes));
  PetscCheck(n == fn->D, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "model %s: %s lists %" PetscInt_FMT " nodes, the deck's knowledge graph has %" PetscInt_FMT, path, name, n,
             fn->D);
  for (PetscInt d = 0; d < n; d++) {
    PetscBool same;
    PetscCall(PetscStrcmp(nodes[d], d < v->D ? v->feat[d] : v->kg.added[d - v->D], &same));
    PetscCheck(same, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "model %s: node %" PetscInt_FMT " of %s is %s, the deck's is %s", path, d + 1, name, nodes[d],
               d < v->D ? v->feat[d] : v->kg.added[d - v->D]);
  }
  PetscCall(PetscStrArrayDestroy(&nodes));
  if (fn->readout == GEP_GNN_READOUT_NODE) {
    PetscInt   fc = fn->f * fn->C;
    PetscReal *rows;
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/readout_weights", group));
    PetscCall(GepH5GetDims(h, name, &nd, dims));
    PetscCheck(nd == 2 && dims[0] == fn->D && dims[1] == fc, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "model %s: %s is not %" PetscInt_FMT " x %" PetscInt_FMT " (a model with the mean readout?)", path, name,
               fn->D, fc);
    PetscCall(PetscMalloc1(fn->dloc * fc + 1, &rows));
    PetscCall(GepH5ReadRealRows(h, name, fn->dstart, fn->dloc, rows));
    for (PetscInt d = 0; d < fn->dloc; d++)
      for (PetscInt j = 0; j < fc; j++) fn->R[d + fn->dloc * j] = rows[d * fc + j];
    PetscCall(PetscFree(rows));
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/readout_bias", group));
    PetscCall(GepH5ReadRealRows(h, name, 0, fn->C, fn->b));
    PetscCall(CheckFinite(path, name, fn->C, fn->b));
  } else {
    GepGNNStack s = {0};
    s.nlayers     = 1;
    s.layer       = &fn->out;
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s/readout", group));
    PetscCall(GepGNNReadStack(h, path, name, &s));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNLoad(GepGNN g, const char path[])
{
  GepH5File h;
  char      group[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(GepGNNSetUp(g));
  PetscCall(GepCheckFileReadable("model", path));
  PetscCall(GepH5Open(g->comm, path, &h));
  if (g->vnet) {
    for (PetscInt m = 0; m < g->M; m++) {
      PetscCall(PetscSNPrintf(group, sizeof(group), "/model/%s", g->v[m].name));
      PetscCall(g->vnet->read(g, h, path, group, m));
    }
    if (g->M > 1) PetscCall(GepGNNReadStack(h, path, "/model/vcdn", &g->fusion));
  } else {
    GepGNNStack s = {0};
    s.nlayers     = 1;
    s.layer       = &g->lin;
    PetscCall(GepGNNReadStack(h, path, "/model/linear", &s));
  }
  PetscCall(GepH5Close(&h));
  g->trained = PETSC_TRUE;
  g->loaded  = PETSC_TRUE;
  PetscCall(PetscStrncpy(g->model_file, path, sizeof(g->model_file)));
  PetscFunctionReturn(0);
}
