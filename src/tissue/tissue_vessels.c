/* Vessels: voxels that hold a field at a fixed value (a Dirichlet condition inside the grid), from a
   CSV of voxel indices or drawn at a density (counter-based: voxel by voxel from -tissue_seed, so the
   same on any number of ranks). Their rows and columns leave the operator: u_v stays V, and each
   neighbour's coupling to it, A_jv V, moves into b through W (W_j = sum over vessel voxels v of A_jv),
   so that changing V later (the organism's plasma) only rescales W. */
#include <stdlib.h>
#include <string.h>
#include "tissueimpl.h"

static PetscErrorCode AddVessel(GepTissue t, PetscInt l, PetscInt *cap)
{
  PetscFunctionBegin;
  for (PetscInt v = 0; v < t->nvessel; v++)
    if (t->vessel[v] == l) PetscFunctionReturn(0); /* listed twice */
  if (t->nvessel == *cap) {
    *cap = 2 * *cap + 16;
    PetscCall(PetscRealloc(sizeof(PetscInt) * (size_t)*cap, &t->vessel));
  }
  t->vessel[t->nvessel++] = l;
  PetscFunctionReturn(0);
}

/* i,j[,k] per line (0-based voxel indices); a first line that is not numeric is a header */
static PetscErrorCode ReadVesselFile(GepTissue t, const char path[], const PetscInt xs[3], const PetscInt xm[3])
{
  FILE    *fp;
  char    *line   = NULL;
  size_t   cap    = 0;
  PetscInt lineno = 0, vcap = 0;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("-tissue_vessels", path));
  PetscCall(GepInputFileRegister(path));
  fp = fopen(path, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "-tissue_vessels: cannot open %s", path);
  while (GepGetLine(fp, &line, &cap) >= 0) {
    PetscReal   v[3]   = {0, 0, 0};
    PetscInt    idx[3] = {0, 0, 0}, n, l;
    PetscBool   whole  = PETSC_TRUE;
    const char *rest;

    lineno++;
    PetscCall(GepTissueParseCSVNumbers(line, 3, v, &n, &rest));
    if (n < 0) continue;
    for (PetscInt d = 0; d < 3; d++) {
      idx[d] = (PetscInt)v[d];
      if (v[d] != (PetscReal)idx[d]) whole = PETSC_FALSE;
    }
    if (lineno == 1 && n == 0) continue; /* a header */
    if (n != t->dim || *rest || !whole) {
      fclose(fp);
      free(line);
      SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER, "%s:%" PetscInt_FMT ": expected %" PetscInt_FMT " voxel indices i,j%s",
              path, lineno, t->dim, t->dim == 3 ? ",k" : "");
    }
    for (PetscInt d = 0; d < t->dim; d++)
      if (idx[d] < 0 || idx[d] >= t->n[d]) {
        fclose(fp);
        free(line);
        SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER,
                "%s:%" PetscInt_FMT ": voxel (%" PetscInt_FMT ",%" PetscInt_FMT ",%" PetscInt_FMT
                ") is outside the %" PetscInt_FMT " x %" PetscInt_FMT " x %" PetscInt_FMT " grid",
                path, lineno, idx[0], idx[1], idx[2], t->n[0], t->n[1], t->n[2]);
      }
    l = GepTissueLocalIndex(xs, xm, idx[0], idx[1], idx[2]);
    if (l >= 0) PetscCall(AddVessel(t, l, &vcap));
  }
  fclose(fp);
  free(line);
  PetscFunctionReturn(0);
}

static PetscErrorCode DrawVessels(GepTissue t, PetscReal density, const PetscInt xs[3], const PetscInt xm[3])
{
  PetscInt vcap = 0;

  PetscFunctionBegin;
  for (PetscInt k = xs[2]; k < xs[2] + xm[2]; k++)
    for (PetscInt j = xs[1]; j < xs[1] + xm[1]; j++)
      for (PetscInt i = xs[0]; i < xs[0] + xm[0]; i++) {
        uint64_t voxel = (uint64_t)((k * t->n[1] + j) * t->n[0] + i); /* natural order: rank-free */
        if (GepCounterUniform((uint64_t)t->seed, voxel, 0, GEP_DRAW_VESSEL) < density)
          PetscCall(AddVessel(t, GepTissueLocalIndex(xs, xm, i, j, k), &vcap));
      }
  PetscFunctionReturn(0);
}

/* b = bfaces + W .* V, and u = V on the vessels */
PetscErrorCode GepTissueUpdateVesselTerms(GepTissue t)
{
  PetscInt     nf = t->nfield;
  PetscScalar *w, *b, *u;

  PetscFunctionBegin;
  PetscCall(VecCopy(t->bfaces, t->b));
  if (!t->vessel_value) PetscFunctionReturn(0);
  PetscCall(VecGetArrayRead(t->W, (const PetscScalar **)&w));
  PetscCall(VecGetArray(t->b, &b));
  PetscCall(VecGetArray(t->u, &u));
  for (PetscInt f = 0; f < nf; f++) {
    PetscReal V = t->vessel_value[f];
    PetscInt  n;
    if (PetscIsNanReal(V)) continue;
    PetscCall(VecGetLocalSize(t->b, &n));
    for (PetscInt l = f; l < n; l += nf) b[l] += w[l] * V;
    for (PetscInt v = 0; v < t->nvessel; v++) u[t->vessel[v] * nf + f] = V;
  }
  PetscCall(VecRestoreArray(t->u, &u));
  PetscCall(VecRestoreArray(t->b, &b));
  PetscCall(VecRestoreArrayRead(t->W, (const PetscScalar **)&w));
  PetscFunctionReturn(0);
}

/* after A and bfaces are assembled and u holds the initial fields */
PetscErrorCode GepTissueSetUpVessels(GepTissue t)
{
  PetscInt  xs[3], xm[3], nf = t->nfield, nrow = 0, *rows, rstart, total;
  Vec       ind;
  PetscReal density;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(t->bfaces, &t->W));
  PetscCall(VecDuplicate(t->bfaces, &t->b));
  if (!t->vessels || !strcmp(t->vessels, "none")) {
    PetscCall(GepTissueUpdateVesselTerms(t));
    PetscFunctionReturn(0);
  }
  PetscCall(DMDAGetCorners(t->da, &xs[0], &xs[1], &xs[2], &xm[0], &xm[1], &xm[2]));
  if (!strncmp(t->vessels, "random:", 7)) {
    char *end;
    density = strtod(t->vessels + 7, &end);
    PetscCheck(!*end && end != t->vessels + 7 && density >= 0 && density <= 1, t->comm, PETSC_ERR_USER,
               "-tissue_vessels %s: the density must be a number in [0, 1]", t->vessels);
    PetscCall(DrawVessels(t, density, xs, xm));
  } else if (!strncmp(t->vessels, "file:", 5)) PetscCall(ReadVesselFile(t, t->vessels + 5, xs, xm));
  else SETERRQ(t->comm, PETSC_ERR_USER, "-tissue_vessels %s: expected none, random:DENSITY or file:CSV", t->vessels);
  PetscCall(MPIU_Allreduce(&t->nvessel, &total, 1, MPIU_INT, MPI_SUM, t->comm));
  PetscCheck(total == 0 || t->vessel_value, t->comm, PETSC_ERR_USER,
             "-tissue_vessels: the vessels hold no field (-tissue_vessel_value FIELD:V)");
  /* W = A applied to the vessels' indicator (per field that they hold), then their rows and columns out */
  PetscCall(VecDuplicate(t->bfaces, &ind));
  PetscCall(PetscMalloc1(t->nvessel * nf + 1, &rows));
  PetscCall(MatGetOwnershipRange(t->A, &rstart, NULL));
  {
    PetscScalar *a;
    PetscCall(VecGetArray(ind, &a));
    for (PetscInt v = 0; v < t->nvessel; v++)
      for (PetscInt f = 0; f < nf; f++)
        if (!PetscIsNanReal(t->vessel_value[f])) {
          a[t->vessel[v] * nf + f] = 1;
          rows[nrow++]             = rstart + t->vessel[v] * nf + f;
        }
    PetscCall(VecRestoreArray(ind, &a));
  }
  PetscCall(MatMult(t->A, ind, t->W));
  PetscCall(MatZeroRowsColumns(t->A, nrow, rows, 0.0, NULL, NULL));
  /* W on the vessels' own rows would add to their (now constant) values */
  for (PetscInt r = 0; r < nrow; r++) PetscCall(VecSetValue(t->W, rows[r], 0.0, INSERT_VALUES));
  PetscCall(VecAssemblyBegin(t->W));
  PetscCall(VecAssemblyEnd(t->W));
  PetscCall(PetscFree(rows));
  PetscCall(VecDestroy(&ind));
  PetscCall(GepTissueUpdateVesselTerms(t));
  PetscFunctionReturn(0);
}
