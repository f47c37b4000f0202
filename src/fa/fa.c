/* GepFA: object, options, set-up, accessors. */
#include "faimpl.h"

PetscErrorCode GepFACreate(MPI_Comm comm, GepFA *fa)
{
  GepFA f;

  PetscFunctionBegin;
  PetscValidPointer(fa, 2);
  PetscCall(GepFAInitializePackage());
  PetscCall(
    PetscHeaderCreate(f, GEPFA_CLASSID, "GepFA", "Group factor analysis", "GepFA", comm, GepFADestroy, GepFAView));
  f->comm       = PetscObjectComm((PetscObject)f);
  f->ops->solve = GepFASolve_VB;
  PetscCall(PetscObjectChangeTypeName((PetscObject)f, "vb"));
  f->K                 = 10;
  f->maxiter           = 1000;
  f->seed              = 42;
  f->start_sparsity    = 50;
  f->power_its         = 4;
  f->drop_r2           = -1.0;
  f->ard_weights       = PETSC_TRUE;
  f->spikeslab_weights = PETSC_TRUE;
  f->progress          = PETSC_TRUE;
  PetscCall(GepFASetConvergenceMode(f, "fast"));
  *fa = f;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFASetOmics(GepFA fa, GepOmics o)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(fa, GEPFA_CLASSID, 1);
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 2);
  PetscCheck(!fa->setup, fa->comm, PETSC_ERR_ORDER, "Call GepFASetOmics() before GepFASetUp()");
  PetscCall(PetscObjectReference((PetscObject)o));
  PetscCall(GepOmicsDestroy(&fa->omics));
  fa->omics = o;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFASetOptionsPrefix(GepFA fa, const char prefix[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(fa, GEPFA_CLASSID, 1);
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)fa, prefix));
  PetscFunctionReturn(0);
}

/* -fa_view [ascii[:file]] (under the object's prefix) */
PetscErrorCode GepFAViewFromOptions(GepFA x, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(x, GEPFA_CLASSID, 1);
  PetscCall(PetscObjectViewFromOptions((PetscObject)x, obj, name));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFASolve(GepFA fa)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(fa, GEPFA_CLASSID, 1);
  PetscCall(GepFASetUp(fa));
  PetscCall((*fa->ops->solve)(fa));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFASetNumFactors(GepFA fa, PetscInt K)
{
  PetscFunctionBegin;
  PetscCheck(K >= 1, fa->comm, PETSC_ERR_USER, "-fa_factors must be at least 1, got %" PetscInt_FMT, K);
  fa->K = K;
  PetscFunctionReturn(0);
}

/* MOFA+'s modes: relative ELBO change (percent of the initial ELBO) */
PetscErrorCode GepFASetConvergenceMode(GepFA fa, const char mode[])
{
  PetscBool fast, medium, slow, none;

  PetscFunctionBegin;
  PetscCall(PetscStrcmp(mode, "fast", &fast));
  PetscCall(PetscStrcmp(mode, "medium", &medium));
  PetscCall(PetscStrcmp(mode, "slow", &slow));
  PetscCall(PetscStrcmp(mode, "none", &none));
  PetscCheck(fast || medium || slow || none, fa->comm, PETSC_ERR_USER,
             "-fa_convergence_mode: '%s' is not one of fast, medium, slow, none", mode);
  fa->threshold = fast ? 5e-4 : medium ? 5e-5 : slow ? 5e-6 : -1.0; /* none: run -fa_maxiter iterations */
  PetscCall(PetscStrncpy(fa->mode, mode, sizeof(fa->mode)));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFASetMaxIterations(GepFA fa, PetscInt n)
{
  PetscFunctionBegin;
  PetscCheck(n >= 1, fa->comm, PETSC_ERR_USER, "-fa_maxiter must be at least 1, got %" PetscInt_FMT, n);
  fa->maxiter = n;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFASetSeed(GepFA fa, PetscInt seed)
{
  PetscFunctionBegin;
  fa->seed = seed;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFASetProgress(GepFA fa, PetscBool flg)
{
  PetscFunctionBegin;
  fa->progress = flg;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFASetFromOptions(GepFA fa)
{
  char      mode[16], *liks[64], names[256], help[300];
  PetscInt  K = fa->K, maxiter = fa->maxiter, nliks = 64;
  PetscBool set;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(fa, GEPFA_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)fa);
  PetscCall(PetscOptionsInt("-fa_factors", "Number of factors K", "GepFASetNumFactors", K, &K, NULL));
  PetscCall(PetscOptionsString(
    "-fa_convergence_mode",
    "fast (5e-4 %), medium (5e-5 %) or slow (5e-6 %) relative ELBO change; none: -fa_maxiter iterations",
    "GepFASetConvergenceMode", fa->mode, mode, sizeof(mode), &set));
  if (set) PetscCall(GepFASetConvergenceMode(fa, mode));
  PetscCall(
    PetscOptionsInt("-fa_maxiter", "Maximum number of iterations", "GepFASetMaxIterations", maxiter, &maxiter, NULL));
  PetscCall(PetscOptionsInt("-fa_seed", "Seed of the initialisation", "GepFASetSeed", fa->seed, &fa->seed, NULL));
  PetscCall(GepFALikelihoodNames(names, sizeof(names)));
  PetscCall(PetscSNPrintf(help, sizeof(help), "Likelihood of each view: %s", names));
  PetscCall(PetscOptionsStringArray("-fa_likelihoods", help, "GepFASetFromOptions", liks, &nliks, &set));
  if (set) {
    PetscBool found = PETSC_TRUE;
    PetscInt  m;

    PetscCall(PetscFree(fa->liks));
    PetscCall(PetscMalloc1(nliks + 1, &fa->liks));
    for (m = 0; m < nliks && found; m++) PetscCall(GepFALikelihoodFind(liks[m], &fa->liks[m], &found));
    PetscCheck(found, fa->comm, PETSC_ERR_USER, "-fa_likelihoods: '%s' is not one of %s", liks[m - 1], names);
    for (m = 0; m < nliks; m++) PetscCall(PetscFree(liks[m]));
    fa->nliks = nliks;
  }
  PetscCall(
    PetscOptionsReal("-fa_drop_factor_threshold",
                     "Drop a factor whose R2 (fraction) is below this in every view and group (negative: never)",
                     "GepFASetFromOptions", fa->drop_r2, &fa->drop_r2, NULL));
  PetscCall(PetscOptionsBool("-fa_ard_weights", "ARD prior on the weights (per view and factor)", "GepFASetFromOptions",
                             fa->ard_weights, &fa->ard_weights, NULL));
  PetscCall(PetscOptionsBool("-fa_ard_factors", "ARD prior on the factors (per group and factor)",
                             "GepFASetFromOptions", fa->ard_factors, &fa->ard_factors, NULL));
  PetscCall(PetscOptionsBool("-fa_spikeslab_weights", "Spike-and-slab prior on the weights", "GepFASetFromOptions",
                             fa->spikeslab_weights, &fa->spikeslab_weights, NULL));
  PetscCall(PetscOptionsInt("-fa_start_sparsity",
                            "Iteration at which the spike-and-slab probabilities start to be learnt",
                            "GepFASetFromOptions", fa->start_sparsity, &fa->start_sparsity, NULL));
  {
    const char *inits[] = {"pca", "random"};
    PetscInt    which   = fa->init_random ? 1 : 0;
    PetscCall(PetscOptionsEList("-fa_init", "Initial factors: pca (MOFA+) or random (MOFA v1)", "GepFASetFromOptions",
                                inits, 2, inits[which], &which, NULL));
    fa->init_random = (PetscBool)(which == 1);
  }
  PetscCall(PetscOptionsInt("-fa_init_power_iterations",
                            "Power iterations of the randomized PCA that initialises the factors",
                            "GepFASetFromOptions", fa->power_its, &fa->power_its, NULL));
  PetscCall(PetscOptionsBool("-fa_progress", "Print a progress line every iteration", "GepFASetProgress", fa->progress,
                             &fa->progress, NULL));
  PetscCall(PetscOptionsName("-fa_view", "View the factor analysis after set-up ([ascii][:file])",
                             "GepFAViewFromOptions", &set));
  PetscOptionsEnd();
  PetscCall(GepFASetNumFactors(fa, K));
  PetscCall(GepFASetMaxIterations(fa, maxiter));
  PetscCheck(fa->power_its >= 0, fa->comm, PETSC_ERR_USER, "-fa_init_power_iterations must be non-negative");
  PetscFunctionReturn(0);
}

static PetscErrorCode AllocateView(GepFA fa, GepFALayer *v)
{
  PetscInt DK = v->D * fa->K, GD = fa->G * v->D;

  PetscFunctionBegin;
  PetscCall(
    PetscCalloc6(DK + 1, &v->Wm, DK + 1, &v->Wv, DK + 1, &v->Wth, DK + 1, &v->WE, DK + 1, &v->WE2, DK + 1, &v->Wv0));
  PetscCall(PetscCalloc2(DK + 1, &v->WlnV, DK + 1, &v->Went)); /* 0 for the initial Wv = 1, th = 1 */
  PetscCall(PetscCalloc4(fa->K, &v->aa, fa->K, &v->ab, fa->K, &v->ta, fa->K, &v->tb));
  PetscCall(PetscCalloc3(GD + 1, &v->taua, GD + 1, &v->taub, GD + 1, &v->B));
  /* MOFA+'s initial values: slab mean 0, variances 1, all weights "on" */
  for (PetscInt i = 0; i < DK; i++) {
    v->Wv[i]  = 1.0;
    v->Wth[i] = 1.0;
    v->WE2[i] = 1.0;
    v->Wv0[i] = 1.0;
  }
  for (PetscInt k = 0; k < fa->K; k++) v->aa[k] = v->ab[k] = v->ta[k] = v->tb[k] = 1.0;
  for (PetscInt i = 0; i < GD; i++) v->taua[i] = v->taub[i] = 1.0;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFASetUp(GepFA fa)
{
  const char *file;

  PetscFunctionBegin;
  if (fa->setup) PetscFunctionReturn(0);
  PetscCheck(fa->omics, fa->comm, PETSC_ERR_ORDER, "Call GepFASetOmics() first");
  PetscCall(GepOmicsLoad(fa->omics));
  PetscCall(GepOmicsGetFile(fa->omics, &file));
  PetscCall(GepOmicsGetSizes(fa->omics, &fa->M, &fa->G, &fa->N, &fa->nloc, &fa->first));
  PetscCall(GepOmicsGetSampleGroups(fa->omics, &fa->sgroup));
  PetscCheck(fa->K <= fa->N, fa->comm, PETSC_ERR_USER,
             "%s: more factors (%" PetscInt_FMT ") than samples (%" PetscInt_FMT ")", file, fa->K, fa->N);
  PetscCheck(fa->nliks == 0 || fa->nliks == fa->M, fa->comm, PETSC_ERR_USER,
             "%s: %" PetscInt_FMT " likelihoods given (-fa_likelihoods) for %" PetscInt_FMT " views", file, fa->nliks,
             fa->M);
  fa->K0 = fa->K;
  PetscCall(PetscCalloc1(fa->G + 1, &fa->grow));
  for (PetscInt g = 0, n = 0; g <= fa->G; g++) {
    while (n < fa->nloc && fa->sgroup[n] < g) n++;
    fa->grow[g] = n;
  }
  fa->grow[fa->G] = fa->nloc;
  PetscCall(PetscCalloc1(fa->M, &fa->v));
  for (PetscInt m = 0; m < fa->M; m++) {
    GepFALayer *v = &fa->v[m];

    PetscCall(GepOmicsGetView(fa->omics, m, &v->D, &v->Y));
    if (fa->nliks) v->lik = fa->liks[m];
    else {
      PetscBool found;
      PetscCall(GepFALikelihoodFind("gaussian", &v->lik, &found));
    }
    PetscCall(AllocateView(fa, v));
  }
  PetscCall(GepFAPrepareData(fa));
  PetscCall(PetscCalloc3(fa->nloc * fa->K + 1, &fa->Zm, fa->nloc * fa->K + 1, &fa->Zv, fa->nloc * fa->K + 1, &fa->ZE2));
  PetscCall(PetscCalloc2(fa->G * fa->K + 1, &fa->za, fa->G * fa->K + 1, &fa->zb));
  for (PetscInt i = 0; i < fa->G * fa->K; i++) fa->za[i] = fa->zb[i] = 1.0;
  PetscCall(PetscCalloc3(fa->maxiter + 1, &fa->elbo, fa->maxiter + 1, &fa->ktrace, fa->maxiter + 1, &fa->ttrace));
  PetscCall(PetscLogEventBegin(GEP_FAInit, 0, 0, 0, 0));
  PetscCall(GepFAInitFactors(fa));
  fa->stats_valid = PETSC_FALSE;
  PetscCall(PetscLogEventEnd(GEP_FAInit, 0, 0, 0, 0));
  fa->setup = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAView(GepFA fa, PetscViewer v)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(fa, GEPFA_CLASSID, 1);
  if (!v) PetscCall(PetscViewerASCIIGetStdout(fa->comm, &v));
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)fa, v));
  PetscCall(PetscViewerASCIIPrintf(
    v, "  K = %" PetscInt_FMT " factors, convergence %s, ARD weights %s, ARD factors %s, spike-and-slab weights %s\n",
    fa->K, fa->mode, PetscBools[fa->ard_weights], PetscBools[fa->ard_factors], PetscBools[fa->spikeslab_weights]));
  for (PetscInt m = 0; m < fa->M; m++) {
    const char *name;

    PetscCall(GepOmicsGetViewName(fa->omics, m, &name));
    PetscCall(PetscViewerASCIIPrintf(v, "  view %s: %" PetscInt_FMT " features, %s%s\n", name, fa->v[m].D,
                                     fa->v[m].lik.name, fa->v[m].missing ? ", with missing values" : ""));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepFADestroy(GepFA *fa)
{
  GepFA f = *fa;

  PetscFunctionBegin;
  if (!f) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(f, GEPFA_CLASSID, 1);
  if (--((PetscObject)f)->refct > 0) {
    *fa = NULL;
    PetscFunctionReturn(0);
  }
  for (PetscInt m = 0; f->v && m < f->M; m++) {
    GepFALayer *v = &f->v[m];

    PetscCall(PetscFree6(v->Wm, v->Wv, v->Wth, v->WE, v->WE2, v->Wv0));
    PetscCall(PetscFree2(v->WlnV, v->Went));
    PetscCall(PetscFree4(v->aa, v->ab, v->ta, v->tb));
    PetscCall(PetscFree3(v->taua, v->taub, v->B));
    PetscCall(PetscFree(v->yy));
    PetscCall(PetscFree(v->S));
    PetscCall(PetscFree(v->O));
    PetscCall(PetscFree2(v->mptr, v->midx));
    PetscCall(PetscFree2(v->cptr, v->cidx));
    PetscCall(PetscFree4(v->zeta, v->Yps, v->T, v->TY));
    PetscCall(PetscFree2(v->mu, v->tauP));
    PetscCall(PetscFree(v->offset));
    PetscCall(PetscFree(v->nobs));
    PetscCall(PetscFree(v->intercept));
    PetscCall(PetscFree(v->ss));
  }
  PetscCall(PetscFree(f->v));
  PetscCall(PetscFree(f->liks));
  PetscCall(PetscFree(f->grow));
  PetscCall(PetscFree3(f->Zm, f->Zv, f->ZE2));
  PetscCall(PetscFree2(f->za, f->zb));
  PetscCall(PetscFree3(f->elbo, f->ktrace, f->ttrace));
  PetscCall(PetscFree(f->r2));
  PetscCall(PetscFree(f->r2tot));
  PetscCall(GepOmicsDestroy(&f->omics));
  PetscCall(PetscHeaderDestroy(fa));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAGetLikelihood(GepFA fa, PetscInt m, const char **name)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(fa, GEPFA_CLASSID, 1);
  PetscCheck(fa->setup, fa->comm, PETSC_ERR_ORDER, "Call GepFASetUp() first");
  PetscCheck(m >= 0 && m < fa->M, fa->comm, PETSC_ERR_ARG_OUTOFRANGE, "view %" PetscInt_FMT " of %" PetscInt_FMT, m,
             fa->M);
  *name = fa->v[m].lik.name;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAGetNumFactors(GepFA fa, PetscInt *K)
{
  PetscFunctionBegin;
  *K = fa->K;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAGetIterations(GepFA fa, PetscInt *n, PetscBool *converged)
{
  PetscFunctionBegin;
  if (n) *n = fa->iter;
  if (converged) *converged = fa->converged;
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAGetVarianceExplained(GepFA fa, PetscReal **perfactor, PetscReal **total)
{
  PetscFunctionBegin;
  if (!fa->r2) PetscCall(GepFAComputeVarianceExplained(fa));
  if (perfactor) *perfactor = fa->r2;
  if (total) *total = fa->r2tot;
  PetscFunctionReturn(0);
}
