/* gepsim import: CSV/TSV tables (one per view) or a long-format table into
   gepsim's multi-omics HDF5 layout (MOFA+'s input layout, docs/formats.md). */
#include "gepcli.h"
#include "gepomics.h"

PetscErrorCode GepCommandImport(MPI_Comm comm, const char *const args[], PetscBool run)
{
  GepOmics omics;
  char     out[PETSC_MAX_PATH_LEN] = "gepsim-omics.h5";
  PetscInt M, G, N;

  PetscFunctionBegin;
  (void)args; /* the deck, loaded by main */
  PetscOptionsBegin(comm, NULL, "gepsim import", "gepsim");
  PetscCall(PetscOptionsString("-o", "Output HDF5 file", "gepsim import", out, out, sizeof(out), NULL));
  PetscOptionsEnd();
  PetscCall(GepOmicsCreate(comm, &omics));
  PetscCall(GepOmicsSetFromOptions(omics));
  if (run) {
    PetscCall(GepDeckCheckUnused(comm, "import", GEP_DECK_BEFORE_SETUP));
    PetscCall(GepOutputCheckWritable(comm, out));
    PetscCall(GepOmicsLoad(omics));
    PetscCall(GepOmicsViewFromOptions(omics, NULL, "-omics_view"));
    PetscCall(GepOmicsView(omics, NULL));
    PetscCall(GepOmicsWrite(omics, out));
    PetscCall(GepOmicsGetSizes(omics, &M, &G, &N, NULL, NULL));
    PetscCall(PetscPrintf(comm,
                          "gepsim import: wrote %s (%" PetscInt_FMT " samples, %" PetscInt_FMT
                          " view(s), %" PetscInt_FMT " group(s))\n",
                          out, N, M, G));
  }
  PetscCall(GepOmicsDestroy(&omics));
  PetscFunctionReturn(0);
}
