/* gepsim factor DECK: group factor analysis (MOFA+ class) of a multi-omics
   dataset; writes the model in MOFA+'s HDF5 layout (docs/formats.md). */
#include <sys/resource.h>
#include "gepcli.h"
#include "gepfa.h"

/* the variance explained per view and group, and the peak memory of the ranks */
static PetscErrorCode Summary(MPI_Comm comm, GepFA fa, GepOmics omics)
{
  PetscInt      M, G;
  PetscReal    *r2tot, mine, sum, mx;
  struct rusage ru;

  PetscFunctionBegin;
  PetscCall(GepOmicsGetSizes(omics, &M, &G, NULL, NULL, NULL));
  PetscCall(GepFAGetVarianceExplained(fa, NULL, &r2tot));
  for (PetscInt g = 0; g < G; g++)
    for (PetscInt m = 0; m < M; m++) {
      const char *vn, *gn;
      PetscCall(GepOmicsGetViewName(omics, m, &vn));
      PetscCall(GepOmicsGetGroupName(omics, g, &gn));
      PetscCall(
        PetscPrintf(comm, "  variance explained, view %s, group %s: %.2f %%\n", vn, gn, (double)r2tot[g * M + m]));
    }
  getrusage(RUSAGE_SELF, &ru);
  mine = (PetscReal)ru.ru_maxrss / 1024.0; /* kB -> MB */
  PetscCallMPI(MPI_Allreduce(&mine, &sum, 1, MPIU_REAL, MPIU_SUM, comm));
  PetscCallMPI(MPI_Allreduce(&mine, &mx, 1, MPIU_REAL, MPIU_MAX, comm));
  PetscCall(PetscPrintf(comm, "gepsim factor: peak memory %.1f MB over all ranks (at most %.1f MB on one)\n",
                        (double)sum, (double)mx));
  PetscFunctionReturn(0);
}

PetscErrorCode GepCommandFactor(MPI_Comm comm, const char *const args[], PetscBool run)
{
  GepOmics       omics;
  GepFA          fa;
  char           out[PETSC_MAX_PATH_LEN] = "gepsim-factor.h5", meta[PETSC_MAX_PATH_LEN] = "", colorby[256] = "";
  char         **category = NULL;
  PetscBool      figures  = PETSC_TRUE;
  PetscInt       M, G, N, K;
  PetscMPIInt    size;
  PetscLogDouble t0, t1;

  PetscFunctionBegin;
  (void)args; /* the deck, loaded by main */
  PetscCall(PetscTime(&t0));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscOptionsBegin(comm, NULL, "gepsim factor", "gepsim");
  PetscCall(PetscOptionsString("-o", "Output HDF5 file (MOFA+ layout)", "gepsim factor", out, out, sizeof(out), NULL));
  PetscCall(PetscOptionsBool("-factor_figures", "Write SVG figures OUT-variance.svg, OUT-factors.svg, OUT-elbo.svg",
                             "gepsim factor", figures, &figures, NULL));
  PetscCall(PetscOptionsString("-factor_metadata", "Sample metadata table (CSV/TSV, sample ids in the first column)",
                               "gepsim factor", meta, meta, sizeof(meta), NULL));
  PetscCall(PetscOptionsString("-factor_color_by", "Metadata column that colours the factor scatter plot",
                               "gepsim factor", colorby, colorby, sizeof(colorby), NULL));
  PetscOptionsEnd();
  PetscCall(GepOmicsCreate(comm, &omics));
  PetscCall(GepOmicsSetFromOptions(omics));
  PetscCall(GepFACreate(comm, &fa));
  PetscCall(GepFASetOmics(fa, omics));
  PetscCall(GepFASetFromOptions(fa));
  if (run) {
    PetscCall(GepDeckCheckUnused(comm, "factor", GEP_DECK_BEFORE_SETUP));
    PetscCall(GepOutputCheckWritable(comm, out));
    /* before the computation: a metadata file given is read, with or without a colour column */
    if (meta[0]) PetscCall(GepCheckFileReadable("-factor_metadata", meta));
    PetscCheck(!colorby[0] || meta[0], comm, PETSC_ERR_USER, "-factor_color_by %s needs -factor_metadata TABLE",
               colorby);
    PetscCall(GepFASetUp(fa));
    PetscCall(GepOmicsViewFromOptions(omics, NULL, "-omics_view"));
    PetscCall(GepFAViewFromOptions(fa, NULL, "-fa_view"));
    PetscCall(GepOmicsGetSizes(omics, &M, &G, &N, NULL, NULL));
    PetscCall(PetscPrintf(comm,
                          "gepsim factor: %" PetscInt_FMT " samples, %" PetscInt_FMT " view(s), %" PetscInt_FMT
                          " group(s) on %d rank(s)\n",
                          N, M, G, size));
    PetscCall(GepFAView(fa, NULL));
    PetscCall(GepFASolve(fa));
    PetscCall(GepFAWrite(fa, out));
    if (figures) {
      if (meta[0] && colorby[0]) PetscCall(GepOmicsReadMetadataColumn(omics, meta, colorby, &category));
      PetscCall(GepFAWriteFigures(fa, out, category, colorby));
      if (category) PetscCall(PetscStrArrayDestroy(&category));
    }
    PetscCall(GepFAGetNumFactors(fa, &K));
    PetscCall(Summary(comm, fa, omics));
    PetscCall(PetscTime(&t1));
    PetscCall(
      PetscPrintf(comm, "gepsim factor: wrote %s (%" PetscInt_FMT " factors, %.2f s in all)\n", out, K, t1 - t0));
  }
  PetscCall(GepFADestroy(&fa));
  PetscCall(GepOmicsDestroy(&omics));
  PetscFunctionReturn(0);
}
