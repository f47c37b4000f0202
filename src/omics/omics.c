/* GepOmics: the object and its accessors (options and loading: omics_options.c). */
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
  PetscCall(PetscStrArrayDestroy(&o->csv));
  PetscCall(PetscStrArrayDestroy(&o->viewnames));
  PetscCall(PetscStrArrayDestroy(&o->featnames));
  PetscCall(PetscFree(o->longfile));
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
