/* The cells on the lattice: the model's link to the fields (each field is a species of the model's
   extracellular compartment, whose size is the voxel's volume), and the initial tissue (a disc or
   ball about the grid's centre, a random fill drawn voxel by voxel, or a CSV of positions). A cell's
   id is its first voxel's index in x-fastest order: the same on any number of ranks. */
#include <stdlib.h>
#include <string.h>
#include "tissueimpl.h"

/* each field: a state of the model in the extracellular compartment */
static PetscErrorCode LinkFields(GepTissue t)
{
  PetscFunctionBegin;
  PetscCheck(t->ext_compartment, t->comm, PETSC_ERR_USER,
             "-tissue_extracellular_compartment: the model's compartment whose species are the fields is needed");
  PetscCall(PetscMalloc1(t->nfield, &t->field_state));
  for (PetscInt f = 0; f < t->nfield; f++) {
    const char *name, *comp = NULL;
    t->field_state[f] = -1;
    for (PetscInt i = 0; i < t->ns && t->field_state[f] < 0; i++) {
      PetscCall(GepModelGetStateName(t->model, i, &name));
      if (!strcmp(name, t->field[f].name)) {
        t->field_state[f] = i;
        PetscCall(GepModelGetStateCompartment(t->model, i, &comp));
      }
    }
    PetscCheck(t->field_state[f] >= 0, t->comm, PETSC_ERR_USER,
               "-tissue_fields: '%s' is no species of the model that reactions change", t->field[f].name);
    PetscCheck(comp && !strcmp(comp, t->ext_compartment), t->comm, PETSC_ERR_USER,
               "-tissue_fields: species '%s' is in compartment '%s', not in the extracellular compartment '%s'",
               t->field[f].name, comp ? comp : "(none)", t->ext_compartment);
  }
  PetscCall(GepModelFindParameter(t->model, t->ext_compartment, &t->ext_param));
  PetscCheck(t->ext_param >= 0, t->comm, PETSC_ERR_USER,
             "-tissue_extracellular_compartment: the model has no compartment '%s'", t->ext_compartment);
  PetscFunctionReturn(0);
}

/* the nominal parameters (the extracellular compartment the voxel's volume) and initial states */
static PetscErrorCode NominalState(GepTissue t)
{
  GepModelBatch b;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(t->np, &t->p0, t->ns + 1, &t->x0));
  PetscCall(GepModelGetParameterValues(t->model, t->p0));
  t->p0[t->ext_param] = t->h * t->h * t->h * t->volume_unit;
  PetscCall(GepModelBatchCreate(t->model, 1, &b));
  PetscCall(GepModelBatchSetParameters(b, 1, 0.0, t->p0, t->x0));
  PetscCall(GepModelBatchDestroy(&b));
  PetscFunctionReturn(0);
}

static PetscErrorCode AddCell(GepTissue t, PetscInt voxel, PetscInt64 id, PetscInt type)
{
  PetscFunctionBegin;
  if (t->ncell == t->cellcap) {
    t->cellcap = 2 * t->cellcap + 64;
    PetscCall(PetscRealloc(sizeof(GepCell) * (size_t)t->cellcap, &t->cell));
    PetscCall(PetscRealloc(sizeof(PetscReal) * (size_t)(t->cellcap * t->ns + 1), &t->cstate));
  }
  t->cell[t->ncell] = (GepCell){.id = id, .voxel = voxel, .type = type, .genotype = 0, .age = 0};
  PetscCall(PetscArraycpy(t->cstate + t->ncell * t->ns, t->x0, t->ns));
  t->occupant[voxel] = t->ncell++;
  PetscFunctionReturn(0);
}

/* x, y[, z][, type] a line, in um; a first line that is not numeric is a header */
static PetscErrorCode ReadCellFile(GepTissue t, const char path[], const PetscInt xs[3], const PetscInt xm[3],
                                   const PetscBool vessel[])
{
  FILE    *fp;
  char    *line   = NULL;
  size_t   cap    = 0;
  PetscInt lineno = 0;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("-tissue_initial", path));
  PetscCall(GepInputFileRegister(path));
  fp = fopen(path, "r");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "-tissue_initial: cannot open %s", path);
  while (GepGetLine(fp, &line, &cap) >= 0) {
    PetscReal      v[4] = {0, 0, 0, 0};
    PetscInt       n, idx[3] = {0, 0, 0}, l = 0;
    const char    *rest;
    PetscErrorCode ierr = 0;

    lineno++;
    PetscCall(GepTissueParseCSVNumbers(line, 4, v, &n, &rest));
    if (n < 0) continue;
    if (lineno == 1 && n == 0) continue;
    if (n != t->dim && n != t->dim + 1) ierr = 1;
    else if (n > t->dim && (v[t->dim] < 0 || v[t->dim] != PetscFloorReal(v[t->dim]))) ierr = 5;
    for (PetscInt d = 0; d < t->dim && !ierr; d++) {
      idx[d] = (PetscInt)PetscFloorReal((v[d] - t->origin[d]) / t->h);
      if (v[d] < t->origin[d] || idx[d] >= t->n[d]) ierr = 2;
    }
    if (!ierr && (l = GepTissueLocalIndex(xs, xm, idx[0], idx[1], idx[2])) >= 0) { /* this rank's voxel */
      if (t->occupant[l] >= 0) ierr = 3;
      else if (vessel[l]) ierr = 4;
      else
        PetscCall(AddCell(t, l, (PetscInt64)((idx[2] * t->n[1] + idx[1]) * t->n[0] + idx[0]),
                          n > t->dim ? (PetscInt)v[t->dim] : 0));
    }
    if (ierr) {
      char msg[256];
      PetscCall(PetscSNPrintf(msg, sizeof(msg),
                              ierr == 1   ? "expected x,y%s[,type] (um)"
                              : ierr == 2 ? "the position is outside the grid"
                              : ierr == 3 ? "a second cell in one voxel"
                              : ierr == 4 ? "a cell in a vessel voxel"
                                          : "the type must be a whole number >= 0",
                              t->dim == 3 ? ",z" : ""));
      fclose(fp);
      free(line);
      SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER, "%s:%" PetscInt_FMT ": %s", path, lineno, msg);
    }
  }
  fclose(fp);
  free(line);
  PetscFunctionReturn(0);
}

/* the initial tissue over this rank's box */
static PetscErrorCode Place(GepTissue t)
{
  PetscInt   xs[3], xm[3], nloc;
  PetscBool *vessel;
  PetscReal  R = 0, fraction = 0, centre[3] = {0, 0, 0};
  enum { NONE, ROUND, RANDOM, FILED } kind = NONE;

  PetscFunctionBegin;
  PetscCall(DMDAGetCorners(t->da, &xs[0], &xs[1], &xs[2], &xm[0], &xm[1], &xm[2]));
  nloc = xm[0] * xm[1] * xm[2];
  PetscCall(PetscMalloc1(nloc + 1, &t->occupant));
  PetscCall(PetscCalloc1(nloc + 1, &vessel));
  for (PetscInt l = 0; l < nloc; l++) t->occupant[l] = -1;
  for (PetscInt v = 0; v < t->nvessel; v++) vessel[t->vessel[v]] = PETSC_TRUE;
  if (t->initial && (!strncmp(t->initial, "disc:", 5) || !strncmp(t->initial, "ball:", 5))) {
    char *end;
    kind = ROUND;
    R    = strtod(t->initial + 5, &end);
    PetscCheck(!*end && R >= 0, t->comm, PETSC_ERR_USER, "-tissue_initial %s: the radius must be a number >= 0 (um)",
               t->initial);
    PetscCheck((t->initial[0] == 'd') == (t->dim == 2), t->comm, PETSC_ERR_USER,
               "-tissue_initial %s: a %s grid takes %s:R", t->initial, t->dim == 2 ? "2-D" : "3-D",
               t->dim == 2 ? "disc" : "ball");
    for (PetscInt d = 0; d < t->dim; d++) centre[d] = t->origin[d] + 0.5 * (PetscReal)t->n[d] * t->h;
  } else if (t->initial && !strncmp(t->initial, "random:", 7)) {
    char *end;
    kind     = RANDOM;
    fraction = strtod(t->initial + 7, &end);
    PetscCheck(!*end && fraction >= 0 && fraction <= 1, t->comm, PETSC_ERR_USER,
               "-tissue_initial %s: the fraction must be a number in [0, 1]", t->initial);
  } else if (t->initial && !strncmp(t->initial, "file:", 5)) kind = FILED;
  else
    PetscCheck(!t->initial || !strcmp(t->initial, "none"), t->comm, PETSC_ERR_USER,
               "-tissue_initial %s: expected none, disc:R, ball:R, random:FRACTION or file:CSV", t->initial);
  if (kind == FILED) PetscCall(ReadCellFile(t, t->initial + 5, xs, xm, vessel));
  else if (kind != NONE)
    for (PetscInt k = xs[2]; k < xs[2] + xm[2]; k++)
      for (PetscInt j = xs[1]; j < xs[1] + xm[1]; j++)
        for (PetscInt i = xs[0]; i < xs[0] + xm[0]; i++) {
          PetscInt   l    = GepTissueLocalIndex(xs, xm, i, j, k);
          PetscInt64 id   = (PetscInt64)((k * t->n[1] + j) * t->n[0] + i);
          PetscBool  here = PETSC_FALSE;
          if (vessel[l]) continue;
          if (kind == RANDOM)
            here = (PetscBool)(GepCounterUniform((uint64_t)t->seed, (uint64_t)id, 0, GEP_DRAW_PLACE) < fraction);
          else {
            PetscReal x[3] = {0, 0, 0}, r2 = 0;
            PetscCall(GepTissueGetVoxelCenter(t, i, j, k, x));
            for (PetscInt d = 0; d < t->dim; d++) r2 += (x[d] - centre[d]) * (x[d] - centre[d]);
            here = (PetscBool)(r2 <= R * R);
          }
          if (here) PetscCall(AddCell(t, l, id, 0));
        }
  PetscCall(PetscFree(vessel));
  PetscFunctionReturn(0);
}

static PetscErrorCode PlaceShared(void *ctx)
{
  PetscFunctionBegin;
  PetscCall(Place((GepTissue)ctx));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetUpCells(GepTissue t)
{
  PetscFunctionBegin;
  if (!t->model) {
    PetscCheck(!t->initial || !strcmp(t->initial, "none"), t->comm, PETSC_ERR_USER,
               "-tissue_initial %s: cells need a pathway model (-model_file)", t->initial);
    PetscFunctionReturn(0);
  }
  PetscCall(GepModelSetUp(t->model));
  PetscCall(GepModelGetNumStates(t->model, &t->ns));
  PetscCall(GepModelGetNumParameters(t->model, &t->np));
  PetscCall(LinkFields(t));
  PetscCall(NominalState(t));
  PetscCall(GepRunShared(t->comm, PlaceShared, t)); /* a file's error on one rank ends all */
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueDestroyCells(GepTissue t)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(t->cell));
  PetscCall(PetscFree(t->cstate));
  PetscCall(PetscFree(t->occupant));
  PetscCall(PetscFree(t->field_state));
  PetscCall(PetscFree2(t->p0, t->x0));
  t->ncell = t->cellcap = 0;
  PetscFunctionReturn(0);
}
