/* GepOmics: object, options, accessors. */
#include "omicsimpl.h"

PetscErrorCode GepOmicsCreate(MPI_Comm comm, GepOmics *omics)
{
  GepOmics o;

  PetscFunctionBegin;
  PetscValidPointer(omics, 2);
  PetscCall(GepOmicsInitializePackage());
  PetscCall(PetscHeaderCreate(o, GEPOMICS_CLASSID, "GepOmics", "Multi-omics dataset", "GepOmics", comm, GepOmicsDestroy,
                              GepOmicsView));
  o->comm = PetscObjectComm((PetscObject)o);
  *omics  = o;
  PetscFunctionReturn(0);
}

/* -omics_view [ascii[:file]] (under the object's prefix) */
PetscErrorCode GepOmicsViewFromOptions(GepOmics x, PetscObject obj, const char name[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(x, GEPOMICS_CLASSID, 1);
  PetscCall(PetscObjectViewFromOptions((PetscObject)x, obj, name));
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsSetFile(GepOmics o, const char path[])
{
  PetscFunctionBegin;
  PetscCall(PetscFree(o->file));
  PetscCall(PetscStrallocpy(path, &o->file));
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
  o->ncsv = 64;
  PetscCall(PetscMalloc1(o->ncsv, &o->csv));
  PetscCall(PetscOptionsStringArray("-omics_tables", "CSV/TSV files, one per view (instead of -omics_file)",
                                    "GepOmicsSetFromOptions", o->csv, &o->ncsv, &set));
  if (!set) o->ncsv = 0;
  o->nviewnames = 64;
  PetscCall(PetscMalloc1(o->nviewnames, &o->viewnames));
  PetscCall(PetscOptionsStringArray("-omics_view_names", "Names of the views of -omics_tables",
                                    "GepOmicsSetFromOptions", o->viewnames, &o->nviewnames, &set));
  if (!set) o->nviewnames = 0;
  PetscCall(PetscOptionsString(
    "-omics_long", "Long-format table (columns sample, feature, view, [group,] value) instead of -omics_file",
    "GepOmicsSetFromOptions", "", file, sizeof(file), &set));
  if (set) {
    PetscCall(PetscFree(o->longfile));
    PetscCall(PetscStrallocpy(file, &o->longfile));
  }
  PetscCall(PetscOptionsBool("-omics_samples_in_rows", "Tables are samples x features (default: features x samples)",
                             "GepOmicsSetFromOptions", o->samples_in_rows, &o->samples_in_rows, NULL));
  PetscCall(PetscOptionsName("-omics_view", "View the data set after loading ([ascii][:file])",
                             "GepOmicsViewFromOptions", &set));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsLoad(GepOmics o)
{
  PetscFunctionBegin;
  if (o->loaded) PetscFunctionReturn(0);
  PetscCheck((o->file && o->file[0]) || o->ncsv || o->longfile, o->comm, PETSC_ERR_USER,
             "no omics data: give -omics_file FILE.h5, -omics_tables A.csv,B.csv or -omics_long FILE");
  PetscCheck((o->file && o->file[0] ? 1 : 0) + (o->ncsv ? 1 : 0) + (o->longfile ? 1 : 0) == 1, o->comm, PETSC_ERR_USER,
             "give one of -omics_file, -omics_tables, -omics_long");
  PetscCall(PetscLogEventBegin(GEP_OmicsLoad, 0, 0, 0, 0));
  o->ops->read = GepOmicsReadMOFA;
  if (o->ncsv) {
    PetscCall(PetscFree(o->file));
    PetscCall(PetscStrallocpy(o->csv[0], &o->file)); /* named in messages */
    o->ops->read = GepOmicsReadCSV;
  } else if (o->longfile) {
    PetscCall(PetscFree(o->file));
    PetscCall(PetscStrallocpy(o->longfile, &o->file));
    o->ops->read = GepOmicsReadLong;
  }
  PetscCall(PetscObjectChangeTypeName((PetscObject)o, o->ops->read == GepOmicsReadCSV    ? "tables"
                                                      : o->ops->read == GepOmicsReadLong ? "long"
                                                                                         : "mofa_hdf5"));
  PetscCall((*o->ops->read)(o));
  PetscCall(PetscLogEventEnd(GEP_OmicsLoad, 0, 0, 0, 0));
  o->loaded = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsView(GepOmics o, PetscViewer v)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  if (!v) PetscCall(PetscViewerASCIIGetStdout(o->comm, &v));
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)o, v));
  PetscCall(PetscViewerASCIIPrintf(
    v, "  %s: %" PetscInt_FMT " samples in %" PetscInt_FMT " group(s), %" PetscInt_FMT " view(s)\n", o->file, o->N,
    o->G, o->M));
  for (PetscInt m = 0; m < o->M; m++)
    PetscCall(PetscViewerASCIIPrintf(v, "  view %s: %" PetscInt_FMT " features\n", o->views[m], o->D[m]));
  for (PetscInt g = 0; g < o->G; g++)
    PetscCall(PetscViewerASCIIPrintf(v, "  group %s: %" PetscInt_FMT " samples\n", o->groups[g],
                                     o->gstart[g + 1] - o->gstart[g]));
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsDestroy(GepOmics *omics)
{
  GepOmics o = *omics;

  PetscFunctionBegin;
  if (!o) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(o, GEPOMICS_CLASSID, 1);
  if (--((PetscObject)o)->refct > 0) {
    *omics = NULL;
    PetscFunctionReturn(0);
  }
  for (PetscInt m = 0; m < o->M; m++) {
    if (o->features) PetscCall(PetscStrArrayDestroy(&o->features[m]));
    if (o->data) PetscCall(PetscFree(o->data[m]));
  }
  PetscCall(PetscFree(o->features));
  PetscCall(PetscFree(o->data));
  PetscCall(PetscStrArrayDestroy(&o->views));
  PetscCall(PetscStrArrayDestroy(&o->groups));
  PetscCall(PetscStrArrayDestroy(&o->samples));
  PetscCall(PetscFree(o->D));
  PetscCall(PetscFree(o->gstart));
  PetscCall(PetscFree(o->sgroup));
  PetscCall(PetscFree(o->file));
  for (PetscInt i = 0; i < o->ncsv; i++) PetscCall(PetscFree(o->csv[i]));
  for (PetscInt i = 0; i < o->nviewnames; i++) PetscCall(PetscFree(o->viewnames[i]));
  PetscCall(PetscFree(o->csv));
  PetscCall(PetscFree(o->longfile));
  PetscCall(PetscFree(o->viewnames));
  PetscCall(PetscHeaderDestroy(omics));
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetFile(GepOmics o, const char **f)
{
  PetscFunctionBegin;
  *f = o->file;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetViewFile(GepOmics o, PetscInt m, const char **f)
{
  PetscFunctionBegin;
  *f = o->ncsv ? o->csv[m] : o->file;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetSizes(GepOmics o, PetscInt *M, PetscInt *G, PetscInt *N, PetscInt *nloc, PetscInt *first)
{
  PetscFunctionBegin;
  if (M) *M = o->M;
  if (G) *G = o->G;
  if (N) *N = o->N;
  if (nloc) *nloc = o->nloc;
  if (first) *first = o->first;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetView(GepOmics o, PetscInt m, PetscInt *D, PetscReal **data)
{
  PetscFunctionBegin;
  PetscCheck(m >= 0 && m < o->M, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "view %" PetscInt_FMT " of %" PetscInt_FMT,
             m, o->M);
  if (D) *D = o->D[m];
  if (data) *data = o->data[m];
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetViewName(GepOmics o, PetscInt m, const char **name)
{
  PetscFunctionBegin;
  *name = o->views[m];
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetGroupName(GepOmics o, PetscInt g, const char **name)
{
  PetscFunctionBegin;
  *name = o->groups[g];
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetGroupRange(GepOmics o, PetscInt g, PetscInt *start, PetscInt *end)
{
  PetscFunctionBegin;
  if (start) *start = o->gstart[g];
  if (end) *end = o->gstart[g + 1];
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetSampleGroups(GepOmics o, const PetscInt **g)
{
  PetscFunctionBegin;
  *g = o->sgroup;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetSampleNames(GepOmics o, const char *const **names)
{
  PetscFunctionBegin;
  *names = (const char *const *)o->samples;
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsGetFeatureNames(GepOmics o, PetscInt m, const char *const **names)
{
  PetscFunctionBegin;
  *names = (const char *const *)o->features[m];
  PetscFunctionReturn(0);
}
