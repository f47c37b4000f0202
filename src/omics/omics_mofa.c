/* GepOmics from MOFA's HDF5 layout: /data/<view>/<group> (samples x features),
   names from /views/views, /groups/groups, /samples/<group>, /features/<view>
   when present (otherwise the members of /data, and generated names). */
#include "omicsimpl.h"
#include "geph5.h"

static PetscErrorCode NamesOrList(GepH5File h, const char dset[], const char group[], PetscInt *n, char ***names)
{
  PetscBool exists;

  PetscFunctionBegin;
  PetscCall(GepH5Exists(h, dset, &exists));
  if (exists) PetscCall(GepH5ReadStrings(h, dset, n, names));
  else PetscCall(GepH5ListGroup(h, group, n, names));
  PetscFunctionReturn(0);
}

/* n names from dataset dset if present (it must have n entries), else prefix<i>. */
static PetscErrorCode NamesOrNumbered(GepH5File h, const char dset[], PetscInt n, const char prefix[], char ***names)
{
  PetscBool exists;
  PetscInt  nread;
  char      buf[256];

  PetscFunctionBegin;
  PetscCall(GepH5Exists(h, dset, &exists));
  if (exists) {
    const char *path;

    PetscCall(GepH5ReadStrings(h, dset, &nread, names));
    PetscCall(GepH5GetPath(h, &path));
    PetscCheck(nread == n, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s: %s has %" PetscInt_FMT " names for %" PetscInt_FMT " rows/columns of the data", path, dset, nread,
               n);
    PetscFunctionReturn(0);
  }
  PetscCall(PetscCalloc1(n + 1, names));
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(PetscSNPrintf(buf, sizeof(buf), "%s%" PetscInt_FMT, prefix, i + 1));
    PetscCall(PetscStrallocpy(buf, &(*names)[i]));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepOmicsReadMOFA(GepOmics o)
{
  GepH5File h;
  char      name[PETSC_MAX_PATH_LEN];
  PetscInt  nd, dims[4], *ng;

  PetscFunctionBegin;
  PetscCall(GepH5Open(o->comm, o->file, &h));
  PetscCall(NamesOrList(h, "/views/views", "/data", &o->M, &o->views));
  PetscCheck(o->M > 0, o->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: no views under /data", o->file);
  PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s", o->views[0]));
  PetscCall(NamesOrList(h, "/groups/groups", name, &o->G, &o->groups));
  PetscCheck(o->G > 0, o->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: no groups under %s", o->file, name);
  PetscCall(PetscCalloc1(o->M, &o->D));
  PetscCall(PetscCalloc1(o->G + 1, &o->gstart));
  PetscCall(PetscCalloc1(o->G, &ng));
  /* shapes: every view has the same samples in a group, every group the same features in a view */
  for (PetscInt m = 0; m < o->M; m++) {
    for (PetscInt g = 0; g < o->G; g++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s/%s", o->views[m], o->groups[g]));
      PetscCall(GepH5GetDims(h, name, &nd, dims));
      PetscCheck(nd == 2, o->comm, PETSC_ERR_FILE_UNEXPECTED,
                 "%s: %s should be samples x features (2-D), has %" PetscInt_FMT " dimensions", o->file, name, nd);
      if (m == 0) ng[g] = dims[0];
      if (g == 0) o->D[m] = dims[1];
      PetscCheck(dims[0] == ng[g], o->comm, PETSC_ERR_FILE_UNEXPECTED,
                 "%s: %s has %" PetscInt_FMT " samples but view %s has %" PetscInt_FMT
                 " in group %s (mismatched samples)",
                 o->file, name, dims[0], o->views[0], ng[g], o->groups[g]);
      PetscCheck(dims[1] == o->D[m], o->comm, PETSC_ERR_FILE_UNEXPECTED,
                 "%s: %s has %" PetscInt_FMT " features but group %s has %" PetscInt_FMT " in view %s", o->file, name,
                 dims[1], o->groups[0], o->D[m], o->views[m]);
      PetscCheck(dims[1] > 0, o->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s has no features", o->file, name);
    }
  }
  for (PetscInt g = 0; g < o->G; g++) o->gstart[g + 1] = o->gstart[g] + ng[g];
  o->N = o->gstart[o->G];
  PetscCheck(o->N > 0, o->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: no samples", o->file);
  /* names */
  PetscCall(PetscCalloc1(o->N + 1, &o->samples));
  for (PetscInt g = 0; g < o->G; g++) {
    char **s;

    PetscCall(PetscSNPrintf(name, sizeof(name), "/samples/%s", o->groups[g]));
    PetscCall(NamesOrNumbered(h, name, ng[g], "sample", &s));
    for (PetscInt i = 0; i < ng[g]; i++) o->samples[o->gstart[g] + i] = s[i];
    PetscCall(PetscFree(s));
  }
  PetscCall(PetscCalloc1(o->M, &o->features));
  for (PetscInt m = 0; m < o->M; m++) {
    char prefix[128];

    PetscCall(PetscSNPrintf(name, sizeof(name), "/features/%s", o->views[m]));
    PetscCall(PetscSNPrintf(prefix, sizeof(prefix), "%s_feature", o->views[m]));
    PetscCall(NamesOrNumbered(h, name, o->D[m], prefix, &o->features[m]));
  }
  /* this rank's samples, read group by group */
  o->nloc = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(o->comm, &o->nloc, &o->N));
  PetscCallMPI(MPI_Scan(&o->nloc, &o->first, 1, MPIU_INT, MPI_SUM, o->comm));
  o->first -= o->nloc;
  PetscCall(PetscMalloc1(o->nloc + 1, &o->sgroup));
  PetscCall(PetscCalloc1(o->M, &o->data));
  for (PetscInt m = 0; m < o->M; m++) {
    PetscCall(PetscMalloc1(o->nloc * o->D[m] + 1, &o->data[m]));
    for (PetscInt g = 0; g < o->G; g++) {
      PetscInt lo = PetscMax(o->first, o->gstart[g]), hi = PetscMin(o->first + o->nloc, o->gstart[g + 1]);

      if (hi < lo) hi = lo;
      PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s/%s", o->views[m], o->groups[g]));
      /* every rank takes part in every read, with no rows if the group is not its */
      PetscCall(GepH5ReadRealRows(h, name, hi > lo ? lo - o->gstart[g] : 0, hi - lo,
                                  hi > lo ? o->data[m] + (lo - o->first) * o->D[m] : o->data[m]));
      for (PetscInt i = lo; i < hi; i++) o->sgroup[i - o->first] = g;
    }
  }
  PetscCall(PetscFree(ng));
  PetscCall(GepH5Close(&h));
  PetscCall(GepOmicsCheckFinite(o));
  PetscFunctionReturn(0);
}
