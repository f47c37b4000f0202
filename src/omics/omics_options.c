/* GepOmics: the input's setters and options, loading through the reader of the input given, and the data
   policy every reader shares: NaN is a missing value, an infinite value is an error. */
#include "omicsimpl.h"

PetscErrorCode GepOmicsSetFile(GepOmics o, const char path[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  PetscCall(PetscFree(o->file));
  PetscCall(PetscStrallocpy(path, &o->file));
  PetscFunctionReturn(0);
}

/* a NULL-terminated copy of n strings */
static PetscErrorCode CopyList(PetscInt n, const char *const src[], char ***dst, PetscInt *ndst)
{
  PetscFunctionBegin;
  PetscCall(PetscStrArrayDestroy(dst));
  PetscCall(PetscCalloc1(n + 1, dst));
  for (PetscInt i = 0; i < n; i++) PetscCall(PetscStrallocpy(src[i], &(*dst)[i]));
  *ndst = n;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsSetTables(GepOmics o, PetscInt n, const char *const paths[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  PetscCall(CopyList(n, paths, &o->csv, &o->ncsv));
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsSetViewNames(GepOmics o, PetscInt n, const char *const names[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  PetscCall(CopyList(n, names, &o->viewnames, &o->nviewnames));
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsSetFeatureNameFiles(GepOmics o, PetscInt n, const char *const paths[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  PetscCall(CopyList(n, paths, &o->featnames, &o->nfeatnames));
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsSetLongFile(GepOmics o, const char path[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  PetscCall(PetscFree(o->longfile));
  PetscCall(PetscStrallocpy(path, &o->longfile));
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsSetSamplesInRows(GepOmics o, PetscBool flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  o->samples_in_rows = flg;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsSetHeaderless(GepOmics o, PetscBool flg)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  o->headerless = flg;
  PetscFunctionReturn(0);
}

/* a list option (at most 64 entries) through its setter */
static PetscErrorCode ListOption(PetscOptionItems *PetscOptionsObject, const char name[], const char text[],
                                 const char man[], GepOmics o,
                                 PetscErrorCode (*set)(GepOmics, PetscInt, const char *const[]))
{
  char     *v[64];
  PetscInt  n = 64;
  PetscBool flg;

  PetscFunctionBegin;
  PetscCall(PetscOptionsStringArray(name, text, man, v, &n, &flg));
  if (flg) PetscCall(set(o, n, (const char *const *)v));
  for (PetscInt i = 0; flg && i < n; i++) PetscCall(PetscFree(v[i]));
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsSetFromOptions(GepOmics o)
{
  char      file[PETSC_MAX_PATH_LEN];
  PetscBool set;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)o);
  PetscCall(PetscOptionsString("-omics_file", "HDF5 file in MOFA's layout (/data/<view>/<group>)", "GepOmicsSetFile",
                               o->file ? o->file : "", file, sizeof(file), &set));
  if (set) PetscCall(GepOmicsSetFile(o, file));
  PetscCall(ListOption(PetscOptionsObject, "-omics_tables", "CSV/TSV files, one per view (instead of -omics_file)",
                       "GepOmicsSetTables", o, GepOmicsSetTables));
  PetscCall(ListOption(PetscOptionsObject, "-omics_view_names", "Names of the views of -omics_tables",
                       "GepOmicsSetViewNames", o, GepOmicsSetViewNames));
  PetscCall(ListOption(PetscOptionsObject, "-omics_feature_names",
                       "Feature names of each headerless table (one per line)", "GepOmicsSetFeatureNameFiles", o,
                       GepOmicsSetFeatureNameFiles));
  PetscCall(PetscOptionsString(
    "-omics_long", "Long-format table (columns sample, feature, view, [group,] value) instead of -omics_file",
    "GepOmicsSetLongFile", o->longfile ? o->longfile : "", file, sizeof(file), &set));
  if (set) PetscCall(GepOmicsSetLongFile(o, file));
  PetscCall(PetscOptionsBool("-omics_samples_in_rows", "Tables are samples x features (default: features x samples)",
                             "GepOmicsSetSamplesInRows", o->samples_in_rows, &o->samples_in_rows, NULL));
  PetscCall(PetscOptionsBool("-omics_headerless",
                             "Tables are samples x features with no names (MOGONET's layout), read in parallel",
                             "GepOmicsSetHeaderless", o->headerless, &o->headerless, NULL));
  PetscCall(PetscOptionsName("-omics_view", "View the data set after loading ([ascii][:file])",
                             "GepOmicsViewFromOptions", &set));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/* the first local value (in view, sample, feature order over all ranks) that bad() flags: its view, global
   sample and feature on every rank, or view -1 */
static PetscErrorCode FindFirst(GepOmics o, PetscBool (*bad)(PetscReal), PetscInt where[3])
{
  PetscInt mine[3] = {PETSC_MAX_INT, 0, 0};

  PetscFunctionBegin;
  for (PetscInt m = 0; m < o->M && mine[0] == PETSC_MAX_INT; m++)
    for (PetscInt i = 0; i < o->nloc * o->D[m]; i++)
      if (bad(o->data[m][i])) {
        mine[0] = m;
        mine[1] = o->first + i / o->D[m];
        mine[2] = i % o->D[m];
        break;
      }
  /* the lowest view, then the lowest sample: ranks hold samples in order */
  PetscCallMPI(MPI_Allreduce(mine, where, 1, MPIU_INT, MPI_MIN, o->comm));
  if (mine[0] != where[0]) mine[1] = PETSC_MAX_INT;
  PetscCallMPI(MPI_Allreduce(&mine[1], &where[1], 1, MPIU_INT, MPI_MIN, o->comm));
  if (mine[1] != where[1] || mine[0] != where[0]) mine[2] = PETSC_MAX_INT;
  PetscCallMPI(MPI_Allreduce(&mine[2], &where[2], 1, MPIU_INT, MPI_MIN, o->comm));
  if (where[0] == PETSC_MAX_INT) where[0] = -1;
  PetscFunctionReturn(0);
}

static PetscBool IsInf(PetscReal x)
{
  return PetscIsInfReal(x);
}

static PetscBool IsNaN(PetscReal x)
{
  return PetscIsNanReal(x);
}

PetscErrorCode GepOmicsCheckComplete(GepOmics o, const char consumer[])
{
  PetscInt w[3];

  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  PetscCall(FindFirst(o, IsNaN, w));
  if (w[0] >= 0) {
    char where[64] = "";
    if (o->headerless) /* a headerless table's samples are its rows, its features the columns */
      PetscCall(
        PetscSNPrintf(where, sizeof(where), " (row %" PetscInt_FMT ", column %" PetscInt_FMT ")", w[1] + 1, w[2] + 1));
    SETERRQ(o->comm, PETSC_ERR_FILE_UNEXPECTED,
            "%s: view %s, sample %s, feature %s%s: a missing value, which %s cannot take (impute it first)",
            o->ncsv ? o->csv[w[0]] : o->file, o->views[w[0]], o->samples[w[1]], o->features[w[0]][w[2]], where,
            consumer);
  }
  PetscFunctionReturn(0);
}

/* the text readers refuse infinite values as they parse (GepParseValue); an HDF5 file may hold them */
PetscErrorCode GepOmicsCheckFinite(GepOmics o)
{
  PetscInt w[3];

  PetscFunctionBegin;
  PetscCall(FindFirst(o, IsInf, w));
  PetscCheck(w[0] < 0, o->comm, PETSC_ERR_FILE_UNEXPECTED,
             "%s: view %s, sample %s, feature %s: an infinite value (only finite values or NaN for missing)",
             o->ncsv ? o->csv[w[0]] : o->file, o->views[w[0]], o->samples[w[1]], o->features[w[0]][w[2]]);
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsLoad(GepOmics o)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  if (o->loaded) PetscFunctionReturn(0);
  PetscCheck((o->file && o->file[0]) || o->ncsv || o->longfile, o->comm, PETSC_ERR_USER,
             "no omics data: give -omics_file FILE.h5, -omics_tables A.csv,B.csv or -omics_long FILE");
  PetscCheck((o->file && o->file[0] ? 1 : 0) + (o->ncsv ? 1 : 0) + (o->longfile ? 1 : 0) == 1, o->comm, PETSC_ERR_USER,
             "give one of -omics_file, -omics_tables, -omics_long");
  PetscCheck(!o->nfeatnames || (o->headerless && o->nfeatnames == o->ncsv), o->comm, PETSC_ERR_USER,
             "-omics_feature_names names one file per headerless table (-omics_tables, -omics_headerless)");
  PetscCall(PetscLogEventBegin(GEP_OmicsLoad, 0, 0, 0, 0));
  o->ops->read = GepOmicsReadMOFA;
  if (o->ncsv) {
    PetscCall(PetscFree(o->file));
    PetscCall(PetscStrallocpy(o->csv[0], &o->file)); /* named in messages */
    o->ops->read = o->headerless ? GepOmicsReadMatrix : GepOmicsReadCSV;
  } else if (o->longfile) {
    PetscCall(PetscFree(o->file));
    PetscCall(PetscStrallocpy(o->longfile, &o->file));
    o->ops->read = GepOmicsReadLong;
  }
  PetscCall(PetscObjectChangeTypeName((PetscObject)o, o->ops->read == GepOmicsReadCSV      ? "tables"
                                                      : o->ops->read == GepOmicsReadMatrix ? "headerless_tables"
                                                      : o->ops->read == GepOmicsReadLong   ? "long"
                                                                                           : "mofa_hdf5"));
  PetscCall((*o->ops->read)(o));
  PetscCall(PetscLogEventEnd(GEP_OmicsLoad, 0, 0, 0, 0));
  o->loaded = PETSC_TRUE;
  PetscFunctionReturn(0);
}
