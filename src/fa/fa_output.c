/* GepFA output in MOFA+'s HDF5 layout, so that MOFA's tools (mofapy2, the MOFA2
   R package) read it: /data, /intercepts, /expectations/Z|W, /variance_explained
   (percent), /training_stats, /views, /groups, /samples, /features,
   /model_options, /training_opts. Factors are sorted by variance explained. */
#include "faimpl.h"
#include "geph5.h"

static PetscErrorCode WriteFlag(GepH5 h5, const char name[], PetscBool flg)
{
  const char *s[1];

  PetscFunctionBegin;
  s[0] = flg ? "True" : "False";
  PetscCall(GepH5WriteStrings(h5, name, 1, s));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteData(GepFA fa, GepH5 h5, PetscInt m, PetscInt g, const char *view, const char *group)
{
  GepFALayer *v = &fa->v[m];
  PetscInt    D = v->D, r0 = fa->grow[g], ng = fa->grow[g + 1] - r0, gs, ge;
  PetscInt    dims[2], start[2], count[2];
  char        name[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(GepOmicsGetGroupRange(fa->omics, g, &gs, &ge));
  dims[0]  = ge - gs;
  dims[1]  = D;
  start[0] = fa->first + r0 - gs;
  start[1] = 0;
  count[0] = ng;
  count[1] = D;
  if (ng == 0) start[0] = 0;
  /* missing values go out as NaN: mark them in place, write, restore */
  if (v->O)
    for (PetscInt i = r0 * D; i < (r0 + ng) * D; i++)
      if (v->O[i] == 0.0) v->Y[i] = (PetscReal)NAN;
  PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s/%s", view, group));
  PetscCall(GepH5WriteRealBlock(h5, name, dims, start, count, v->Y + r0 * D));
  if (v->O)
    for (PetscInt i = r0 * D; i < (r0 + ng) * D; i++)
      if (v->O[i] == 0.0) v->Y[i] = 0.0;
  PetscCall(PetscSNPrintf(name, sizeof(name), "/intercepts/%s/%s", view, group));
  PetscCall(GepH5WriteRealReplicated(h5, name, 1, &D, (v->offset ? v->offset : v->intercept) + g * D));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteFactors(GepFA fa, GepH5 h5, PetscInt g, const char *group)
{
  PetscInt   K = fa->K, r0 = fa->grow[g], ng = fa->grow[g + 1] - r0, gs, ge, dims[2], start[2], count[2];
  PetscReal *Zt;
  char       name[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(GepOmicsGetGroupRange(fa->omics, g, &gs, &ge));
  PetscCall(PetscMalloc1(K * ng + 1, &Zt));
  for (PetscInt n = 0; n < ng; n++)
    for (PetscInt k = 0; k < K; k++) Zt[k * ng + n] = fa->Zm[(r0 + n) * K + k];
  dims[0]  = K;
  dims[1]  = ge - gs;
  start[0] = 0;
  start[1] = ng ? fa->first + r0 - gs : 0;
  count[0] = K;
  count[1] = ng;
  PetscCall(PetscSNPrintf(name, sizeof(name), "/expectations/Z/%s", group));
  PetscCall(GepH5WriteRealBlock(h5, name, dims, start, count, Zt));
  PetscCall(PetscFree(Zt));
  PetscFunctionReturn(0);
}

/* view m: its feature names, data and intercepts per group, and weights (K x D) */
static PetscErrorCode WriteView(GepFA fa, GepH5 h5, PetscInt m, const char view[], const char *const groups[])
{
  GepFALayer        *v = &fa->v[m];
  PetscInt           K = fa->K, dims[2] = {fa->K, v->D};
  char               name[PETSC_MAX_PATH_LEN];
  const char *const *features;
  PetscReal         *buf;

  PetscFunctionBegin;
  PetscCall(GepOmicsGetFeatureNames(fa->omics, m, &features));
  PetscCall(PetscSNPrintf(name, sizeof(name), "/features/%s", view));
  PetscCall(GepH5WriteStrings(h5, name, v->D, features));
  PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s", view));
  PetscCall(GepH5CreateGroup(h5, name));
  PetscCall(PetscSNPrintf(name, sizeof(name), "/intercepts/%s", view));
  PetscCall(GepH5CreateGroup(h5, name));
  for (PetscInt g = 0; g < fa->G; g++) PetscCall(WriteData(fa, h5, m, g, view, groups[g]));
  PetscCall(PetscMalloc1(K * v->D + 1, &buf));
  for (PetscInt d = 0; d < v->D; d++)
    for (PetscInt k = 0; k < K; k++) buf[k * v->D + d] = v->WE[d * K + k];
  PetscCall(PetscSNPrintf(name, sizeof(name), "/expectations/W/%s", view));
  PetscCall(GepH5WriteRealReplicated(h5, name, 2, dims, buf));
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}

/* the training traces, MOFA+'s model and training options, and gepsim's attributes */
static PetscErrorCode WriteOptions(GepFA fa, GepH5 h5, const char *const liks[])
{
  PetscInt  M = fa->M, dims[1];
  PetscReal opts[6];

  PetscFunctionBegin;
  PetscCall(GepH5WriteRealReplicated(h5, "/training_stats/elbo", 1, &fa->iter, fa->elbo));
  PetscCall(GepH5WriteRealReplicated(h5, "/training_stats/number_factors", 1, &fa->iter, fa->ktrace));
  PetscCall(GepH5WriteRealReplicated(h5, "/training_stats/time", 1, &fa->iter, fa->ttrace));
  PetscCall(GepH5WriteStrings(h5, "/model_options/likelihoods", M, liks));
  PetscCall(WriteFlag(h5, "/model_options/ard_factors", fa->ard_factors));
  PetscCall(WriteFlag(h5, "/model_options/ard_weights", fa->ard_weights));
  PetscCall(WriteFlag(h5, "/model_options/spikeslab_factors", PETSC_FALSE));
  PetscCall(WriteFlag(h5, "/model_options/spikeslab_weights", fa->spikeslab_weights));
  opts[0] = (PetscReal)fa->maxiter;
  opts[1] = 1.0; /* freqELBO */
  opts[2] = 1.0; /* start_elbo */
  opts[3] = 0.0; /* gpu_mode */
  opts[4] = 0.0; /* stochastic */
  opts[5] = (PetscReal)fa->seed;
  dims[0] = 6;
  PetscCall(GepH5WriteRealReplicated(h5, "/training_opts", 1, dims, opts));
  PetscCall(
    GepH5WriteAttrString(h5, "/training_opts", "names", "maxiter,freqELBO,start_elbo,gpu_mode,stochastic,seed"));
  PetscCall(GepH5WriteAttrString(h5, "/", "gepsim_version", GEPSIM_VERSION));
  PetscCall(GepH5WriteAttrString(h5, "/", "command", "factor"));
  PetscCall(GepH5WriteAttrString(h5, "/", "convergence_mode", fa->mode));
  PetscCall(GepH5WriteAttrInt(h5, "/", "converged", fa->converged));
  PetscCall(GepH5WriteAttrInt(h5, "/", "iterations", fa->iter - 1));
  PetscCall(GepH5WriteAttrInt(h5, "/", "factors_requested", fa->K0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAWrite(GepFA fa, const char path[])
{
  GepH5              h5;
  PetscInt           K = fa->K, M = fa->M, G = fa->G, dims[2];
  char               name[PETSC_MAX_PATH_LEN];
  const char        *views[64], *groups[64], *liks[64];
  const char *const *samples;

  PetscFunctionBegin;
  PetscCheck(M <= 64 && G <= 64, fa->comm, PETSC_ERR_SUP, "at most 64 views and 64 groups");
  PetscCall(PetscLogEventBegin(GEP_Output, 0, 0, 0, 0));
  PetscCall(GepFAGetVarianceExplained(fa, NULL, NULL));
  for (PetscInt m = 0; m < M; m++) {
    PetscCall(GepOmicsGetViewName(fa->omics, m, &views[m]));
    liks[m] = fa->v[m].lik.name;
  }
  for (PetscInt g = 0; g < G; g++) PetscCall(GepOmicsGetGroupName(fa->omics, g, &groups[g]));
  PetscCall(GepH5Create(fa->comm, path, &h5));
  const char *top[] = {"/data",
                       "/intercepts",
                       "/expectations",
                       "/expectations/Z",
                       "/expectations/W",
                       "/features",
                       "/samples",
                       "/views",
                       "/groups",
                       "/variance_explained",
                       "/variance_explained/r2_per_factor",
                       "/variance_explained/r2_total",
                       "/training_stats",
                       "/model_options"};
  for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) PetscCall(GepH5CreateGroup(h5, top[i]));
  PetscCall(GepH5WriteStrings(h5, "/views/views", M, views));
  PetscCall(GepH5WriteStrings(h5, "/groups/groups", G, groups));
  PetscCall(GepOmicsGetSampleNames(fa->omics, &samples));
  for (PetscInt g = 0; g < G; g++) {
    PetscInt gs, ge;

    PetscCall(GepOmicsGetGroupRange(fa->omics, g, &gs, &ge));
    PetscCall(PetscSNPrintf(name, sizeof(name), "/samples/%s", groups[g]));
    PetscCall(GepH5WriteStrings(h5, name, ge - gs, samples + gs));
    PetscCall(WriteFactors(fa, h5, g, groups[g]));
  }
  for (PetscInt m = 0; m < M; m++) PetscCall(WriteView(fa, h5, m, views[m], groups));
  for (PetscInt g = 0; g < G; g++) {
    dims[0] = M;
    dims[1] = K;
    PetscCall(PetscSNPrintf(name, sizeof(name), "/variance_explained/r2_per_factor/%s", groups[g]));
    PetscCall(GepH5WriteRealReplicated(h5, name, 2, dims, fa->r2 + g * M * K));
    PetscCall(PetscSNPrintf(name, sizeof(name), "/variance_explained/r2_total/%s", groups[g]));
    PetscCall(GepH5WriteRealReplicated(h5, name, 1, &M, fa->r2tot + g * M));
  }
  PetscCall(WriteOptions(fa, h5, liks));
  PetscCall(GepH5Commit(&h5));
  PetscCall(PetscLogEventEnd(GEP_Output, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}
