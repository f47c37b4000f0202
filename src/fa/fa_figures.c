/* GepFA figures, drawn by gepsim on rank 0: variance explained per factor and
   view (heatmap), the first two factors coloured by a metadata column (or by
   group), the ELBO through training. */
#include <string.h>
#include "faimpl.h"
#include "gepsvg.h"
#include "gepsys.h"

/* the first two factors of all samples on rank 0 (N x 2) */
static PetscErrorCode GatherTwoFactors(GepFA fa, PetscReal **Z2)
{
  PetscReal  *mine;
  PetscMPIInt rank, size, n, *counts = NULL, *displs = NULL;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(fa->comm, &rank));
  PetscCallMPI(MPI_Comm_size(fa->comm, &size));
  PetscCall(PetscMalloc1(2 * fa->nloc + 1, &mine));
  for (PetscInt i = 0; i < fa->nloc; i++) {
    mine[2 * i]     = fa->Zm[i * fa->K];
    mine[2 * i + 1] = fa->K > 1 ? fa->Zm[i * fa->K + 1] : 0.0;
  }
  PetscCall(PetscMPIIntCast(2 * fa->nloc, &n));
  if (!rank) {
    PetscCall(PetscMalloc2(size, &counts, size, &displs));
    PetscCall(PetscMalloc1(2 * fa->N + 1, Z2));
  }
  PetscCallMPI(MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, fa->comm));
  if (!rank)
    for (PetscMPIInt r = 0; r < size; r++) displs[r] = r ? displs[r - 1] + counts[r - 1] : 0;
  PetscCallMPI(MPI_Gatherv(mine, n, MPIU_REAL, rank ? NULL : *Z2, counts, displs, MPIU_REAL, 0, fa->comm));
  if (!rank) PetscCall(PetscFree2(counts, displs));
  PetscCall(PetscFree(mine));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFAWriteFigures(GepFA fa, const char base[], char *const category[], const char catname[])
{
  char        path[PETSC_MAX_PATH_LEN], title[PETSC_MAX_PATH_LEN + 64];
  PetscMPIInt rank;
  PetscReal  *Z2 = NULL;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(fa->comm, &rank));
  PetscCall(GepFAGetVarianceExplained(fa, NULL, NULL));
  PetscCall(GatherTwoFactors(fa, &Z2));
  if (rank == 0) {
    PetscInt    K = fa->K, M = fa->M, G = fa->G, ncat = 0, *cat;
    char      **rows, **cols, **labels;
    PetscReal  *val, *x, *y;
    const char *vn, *gn;

    /* variance explained: factors x (view, group) */
    PetscCall(PetscMalloc3(K, &rows, M * G, &cols, K * M * G + 1, &val));
    for (PetscInt k = 0; k < K; k++) {
      PetscCall(PetscSNPrintf(title, sizeof(title), "Factor %" PetscInt_FMT, k + 1));
      PetscCall(PetscStrallocpy(title, &rows[k]));
    }
    for (PetscInt g = 0; g < G; g++)
      for (PetscInt m = 0; m < M; m++) {
        PetscCall(GepOmicsGetViewName(fa->omics, m, &vn));
        PetscCall(GepOmicsGetGroupName(fa->omics, g, &gn));
        if (G > 1) PetscCall(PetscSNPrintf(title, sizeof(title), "%s (%s)", vn, gn));
        else PetscCall(PetscSNPrintf(title, sizeof(title), "%s", vn));
        PetscCall(PetscStrallocpy(title, &cols[g * M + m]));
        for (PetscInt k = 0; k < K; k++) val[k * M * G + g * M + m] = fa->r2[(g * M + m) * K + k];
      }
    PetscCall(GepSiblingPath(base, "-variance.svg", path, sizeof(path)));
    PetscCall(GepSVGHeatmap(path, "Variance explained (%) per factor and view", K, M * G, (const char *const *)rows,
                            (const char *const *)cols, val));
    for (PetscInt k = 0; k < K; k++) PetscCall(PetscFree(rows[k]));
    for (PetscInt j = 0; j < M * G; j++) PetscCall(PetscFree(cols[j]));
    PetscCall(PetscFree3(rows, cols, val));
    /* factors 1 and 2, coloured by category (metadata) or group */
    PetscCall(PetscMalloc5(fa->N + 1, &x, fa->N + 1, &y, fa->N + 1, &cat, fa->N + 1, &labels, 1, &rows));
    for (PetscInt i = 0; i < fa->N; i++) {
      x[i]   = Z2[2 * i];
      y[i]   = Z2[2 * i + 1];
      cat[i] = -1;
      if (category) {
        if (!strcmp(category[i], "NA") || !category[i][0]) continue;
        for (PetscInt c = 0; c < ncat && cat[i] < 0; c++)
          if (!strcmp(labels[c], category[i])) cat[i] = c;
        if (cat[i] < 0) labels[cat[i] = ncat++] = category[i];
      }
    }
    if (!category) {
      for (PetscInt g = 0; g < G; g++) {
        PetscInt s0, s1;
        PetscCall(GepOmicsGetGroupRange(fa->omics, g, &s0, &s1));
        PetscCall(GepOmicsGetGroupName(fa->omics, g, &gn));
        labels[g] = (char *)gn;
        for (PetscInt i = s0; i < s1; i++) cat[i] = g;
      }
      ncat = G;
    }
    PetscCall(GepSiblingPath(base, "-factors.svg", path, sizeof(path)));
    PetscCall(PetscSNPrintf(title, sizeof(title), "Factors 1 and 2, coloured by %s", category ? catname : "group"));
    PetscCall(GepSVGScatter(path, title, "Factor 1", "Factor 2", fa->N, x, y, cat, ncat, (const char *const *)labels));
    PetscCall(PetscFree5(x, y, cat, labels, rows));
    /* ELBO from the first iteration on (the initial value dwarfs the rest) */
    if (fa->iter > 2) {
      PetscInt     n = fa->iter - 1;
      PetscReal   *it;
      GepSVGSeries s = {"ELBO", fa->elbo + 1, NULL, NULL, NULL};

      PetscCall(PetscMalloc1(n, &it));
      for (PetscInt i = 0; i < n; i++) it[i] = (PetscReal)(i + 1);
      PetscCall(GepSiblingPath(base, "-elbo.svg", path, sizeof(path)));
      PetscCall(GepSVGLinePlot(path, "Evidence lower bound through training", "iteration", "ELBO", n, it, 1, &s));
      PetscCall(PetscFree(it));
    }
    PetscCall(PetscFree(Z2));
  }
  PetscFunctionReturn(0);
}
