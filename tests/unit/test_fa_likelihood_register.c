/* A likelihood added from outside the package: one file's worth (this one) and one
   registration call. "plain" is the gaussian likelihood under another name; a factor
   analysis of the MOFA+ golden data (two views, K = 10) with it must select it by
   -fa_likelihoods, name it in the view, and give bitwise the results of "gaussian".
   usage: test_fa_likelihood_register -omics_file ../shared/data/mofa-golden/model.hdf5 */
#include "gepsim.h"
#include "faimpl.h" /* the implementer's header: GepFALikelihood, GepFALikelihoodRegister */

static PetscBool AnyValue(PetscReal y)
{
  (void)y;
  return PETSC_TRUE;
}

static PetscErrorCode GepFALikelihoodCreate_Plain(GepFALikelihood *lik)
{
  PetscFunctionBegin;
  lik->gaussian = PETSC_TRUE;
  lik->valid    = AnyValue;
  PetscFunctionReturn(0);
}

/* the factor analysis with the view's likelihood lik: its iterations and variance explained */
static PetscErrorCode Run(const char lik[], PetscInt *iters, PetscReal r2[2], char name[], size_t len)
{
  GepOmics    omics;
  GepFA       fa;
  PetscReal  *tot;
  const char *lname;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-fa_likelihoods", lik));
  PetscCall(GepOmicsCreate(PETSC_COMM_WORLD, &omics));
  PetscCall(GepOmicsSetFromOptions(omics));
  PetscCall(GepFACreate(PETSC_COMM_WORLD, &fa));
  PetscCall(GepFASetOmics(fa, omics));
  PetscCall(GepOmicsDestroy(&omics));
  PetscCall(GepFASetFromOptions(fa));
  PetscCall(GepFASolve(fa));
  PetscCall(GepFAGetIterations(fa, iters, NULL));
  PetscCall(GepFAGetVarianceExplained(fa, NULL, &tot));
  r2[0] = tot[0];
  r2[1] = tot[1];
  PetscCall(GepFAGetLikelihood(fa, 0, &lname));
  PetscCall(PetscStrncpy(name, lname, len));
  PetscCall(GepFADestroy(&fa));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscInt  it_g, it_p, fail = 0;
  PetscReal r2_g[2], r2_p[2];
  char      name_g[32], name_p[32];

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(GepFAInitializePackage());
  PetscCall(GepFALikelihoodRegister("plain", GepFALikelihoodCreate_Plain));
  PetscCall(PetscOptionsSetValue(NULL, "-fa_factors", "10"));
  PetscCall(PetscOptionsSetValue(NULL, "-fa_progress", "0"));
  PetscCall(Run("gaussian,gaussian", &it_g, r2_g, name_g, sizeof(name_g)));
  PetscCall(Run("plain,plain", &it_p, r2_p, name_p, sizeof(name_p)));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "gaussian: %" PetscInt_FMT " iterations, R2 %.17g, %.17g %%\n", it_g,
                        (double)r2_g[0], (double)r2_g[1]));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "plain:    %" PetscInt_FMT " iterations, R2 %.17g, %.17g %% (likelihood '%s')\n", it_p,
                        (double)r2_p[0], (double)r2_p[1], name_p));
  if (strcmp(name_p, "plain")) {
    PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "FAIL: the view's likelihood is '%s', not the registered 'plain'\n", name_p));
    fail++;
  }
  if (it_g != it_p || r2_g[0] != r2_p[0] || r2_g[1] != r2_p[1] || !(r2_g[0] > 50 && r2_g[1] > 50)) {
    PetscCall(
      PetscPrintf(PETSC_COMM_WORLD, "FAIL: 'plain' (the gaussian likelihood by another name) gave other results\n"));
    fail++;
  }
  PetscCall(PetscFinalize());
  return fail ? 1 : 0;
}
