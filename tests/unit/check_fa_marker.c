/* Does a gepsim factor model find a known marker? Reads the model (-ours, in
   MOFA+'s layout, one group) and a sample metadata table (-metadata FILE
   -column NAME, values 0/1, NA where unknown). For each factor whose largest
   absolute weight in view -view is feature -feature, prints the point-biserial
   correlation between the factor and the metadata column over samples with
   known status; passes when the largest |r| is at least -min_r. Also prints
   each active factor's leading feature in that view. */
#include "gepsim.h"
#include "gepomics.h"

static PetscErrorCode ReadMatrix(GepH5File h, const char *name, PetscInt *rows, PetscInt *cols, PetscReal **A)
{
  PetscInt nd, dims[4];

  PetscFunctionBegin;
  PetscCall(GepH5GetDims(h, name, &nd, dims));
  PetscCheck(nd == 2, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s is not a matrix", name);
  *rows = dims[0];
  *cols = dims[1];
  PetscCall(PetscMalloc1(dims[0] * dims[1], A));
  PetscCall(GepH5ReadRealRows(h, name, 0, dims[0], *A));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  char ours[PETSC_MAX_PATH_LEN] = "", meta[PETSC_MAX_PATH_LEN] = "", column[256] = "", view[256] = "",
       feature[256] = "", name[512];
  PetscReal   minr = 0.7, best = 0, *Z, *W, *x, *status;
  PetscInt    K, N, Kw, D, nf, nknown = 0, fails = 0, target = -1;
  char      **features, **status_str;
  const char *group;
  GepH5File   h;
  GepOmics    omics;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-ours", ours, sizeof(ours), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-metadata", meta, sizeof(meta), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-column", column, sizeof(column), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-view", view, sizeof(view), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-feature", feature, sizeof(feature), NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-min_r", &minr, NULL));
  PetscCheck(
    ours[0] && meta[0] && column[0] && view[0] && feature[0], PETSC_COMM_SELF, PETSC_ERR_USER,
    "usage: check_fa_marker -ours MODEL.h5 -metadata TABLE -column NAME -view VIEW -feature FEATURE [-min_r R]");

  /* the model's samples, in its order, come with its /data */
  PetscCall(GepOmicsCreate(PETSC_COMM_SELF, &omics));
  PetscCall(GepOmicsSetFile(omics, ours));
  PetscCall(GepOmicsLoad(omics));
  PetscCall(GepOmicsGetGroupName(omics, 0, &group));
  PetscCall(GepOmicsReadMetadataColumn(omics, meta, column, &status_str));

  PetscCall(GepH5Open(PETSC_COMM_SELF, ours, &h));
  PetscCall(PetscSNPrintf(name, sizeof(name), "/expectations/Z/%s", group));
  PetscCall(ReadMatrix(h, name, &K, &N, &Z));
  PetscCall(PetscSNPrintf(name, sizeof(name), "/expectations/W/%s", view));
  PetscCall(ReadMatrix(h, name, &Kw, &D, &W));
  PetscCall(PetscSNPrintf(name, sizeof(name), "/features/%s", view));
  PetscCall(GepH5ReadStrings(h, name, &nf, &features));
  PetscCheck(Kw == K && nf == D, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s: W of view %s is %" PetscInt_FMT " x %" PetscInt_FMT ", expected %" PetscInt_FMT
             " factors and %" PetscInt_FMT " features",
             ours, view, Kw, D, K, nf);
  for (PetscInt d = 0; d < D; d++)
    if (!strcmp(features[d], feature)) target = d;
  PetscCheck(target >= 0, PETSC_COMM_SELF, PETSC_ERR_USER, "%s: view %s has no feature %s", ours, view, feature);

  PetscCall(PetscMalloc2(N, &x, N, &status));
  for (PetscInt n = 0; n < N; n++)
    if (strcmp(status_str[n], "NA")) {
      status[nknown] = atof(status_str[n]);
      nknown++;
    }
  PetscCheck(nknown > 2, PETSC_COMM_SELF, PETSC_ERR_USER, "%s: fewer than 3 samples of %s have a known %s", meta, ours,
             column);
  for (PetscInt k = 0; k < K; k++) {
    PetscInt  top = 0, i = 0;
    PetscReal mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0, r;

    for (PetscInt d = 1; d < D; d++)
      if (PetscAbsReal(W[k * D + d]) > PetscAbsReal(W[k * D + top])) top = d;
    for (PetscInt n = 0; n < N; n++)
      if (strcmp(status_str[n], "NA")) x[i++] = Z[k * N + n];
    for (PetscInt n = 0; n < nknown; n++) {
      mx += x[n] / nknown;
      my += status[n] / nknown;
    }
    for (PetscInt n = 0; n < nknown; n++) {
      sxx += (x[n] - mx) * (x[n] - mx);
      syy += (status[n] - my) * (status[n] - my);
      sxy += (x[n] - mx) * (status[n] - my);
    }
    r = sxx > 0 && syy > 0 ? sxy / PetscSqrtReal(sxx * syy) : 0.0;
    PetscCall(PetscPrintf(
      PETSC_COMM_SELF, "factor %" PetscInt_FMT ": leading %s feature %s (weight %.3f), point-biserial r with %s %.3f\n",
      k + 1, view, features[top], (double)W[k * D + top], column, (double)r));
    if (top == target) best = PetscMax(best, PetscAbsReal(r));
  }
  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "largest |r| of a factor led by %s: %.3f over %" PetscInt_FMT " samples (required >= %.2f)\n",
                        feature, (double)best, nknown, (double)minr));
  if (best < minr) fails++;

  PetscCall(PetscFree2(x, status));
  PetscCall(PetscFree(Z));
  PetscCall(PetscFree(W));
  PetscCall(PetscStrArrayDestroy(&features));
  PetscCall(PetscStrArrayDestroy(&status_str));
  PetscCall(GepH5Close(&h));
  PetscCall(GepOmicsDestroy(&omics));
  PetscCall(PetscFinalize());
  return fails ? 1 : 0;
}
