/* GepOmics to HDF5 in gepsim's (= MOFA+'s input) layout: /data/<view>/<group>
   with NaN where missing, and the names. Collective: each rank writes its rows. */
#include "omicsimpl.h"
#include "geph5.h"

PetscErrorCode GepOmicsWrite(GepOmics o, const char path[])
{
  GepH5 h5;
  char  name[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(GepOmicsLoad(o));
  PetscCall(GepH5Create(o->comm, path, &h5));
  const char *top[] = {"/data", "/views", "/groups", "/samples", "/features"};
  for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) PetscCall(GepH5CreateGroup(h5, top[i]));
  PetscCall(GepH5WriteStrings(h5, "/views/views", o->M, (const char *const *)o->views));
  PetscCall(GepH5WriteStrings(h5, "/groups/groups", o->G, (const char *const *)o->groups));
  for (PetscInt g = 0; g < o->G; g++) {
    PetscCall(PetscSNPrintf(name, sizeof(name), "/samples/%s", o->groups[g]));
    PetscCall(
      GepH5WriteStrings(h5, name, o->gstart[g + 1] - o->gstart[g], (const char *const *)o->samples + o->gstart[g]));
  }
  for (PetscInt m = 0; m < o->M; m++) {
    PetscCall(PetscSNPrintf(name, sizeof(name), "/features/%s", o->views[m]));
    PetscCall(GepH5WriteStrings(h5, name, o->D[m], (const char *const *)o->features[m]));
    PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s", o->views[m]));
    PetscCall(GepH5CreateGroup(h5, name));
    for (PetscInt g = 0; g < o->G; g++) {
      PetscInt lo = PetscMax(o->first, o->gstart[g]), hi = PetscMin(o->first + o->nloc, o->gstart[g + 1]);
      PetscInt dims[2], start[2], count[2];

      if (hi < lo) hi = lo;
      dims[0]  = o->gstart[g + 1] - o->gstart[g];
      dims[1]  = o->D[m];
      start[0] = hi > lo ? lo - o->gstart[g] : 0;
      start[1] = 0;
      count[0] = hi - lo;
      count[1] = o->D[m];
      PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s/%s", o->views[m], o->groups[g]));
      PetscCall(GepH5WriteRealBlock(h5, name, dims, start, count, o->data[m] + (lo - o->first) * o->D[m]));
    }
  }
  PetscCall(GepH5WriteAttrString(h5, "/", "gepsim_version", GEPSIM_VERSION));
  PetscCall(GepH5WriteAttrString(h5, "/", "command", "import"));
  PetscCall(GepH5Commit(&h5));
  PetscFunctionReturn(0);
}
