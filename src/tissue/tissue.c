/* GepTissue: life cycle, setters, options and queries. */
#include <math.h>
#include <string.h>
#include "tissueimpl.h"

const char *const GepTissueFaces[]            = {"xmin", "xmax",          "ymin",      "ymax", "zmin",
                                                 "zmax", "GepTissueFace", "GEP_FACE_", NULL};
const char *const GepTissueDiffusionSchemes[] = {"cn", "bdf2", "sdirk2", "GepTissueDiffusionScheme", "GEP_DIFFUSION_",
                                                 NULL};

PetscErrorCode GepTissueCreate(MPI_Comm comm, GepTissue *tissue)
{
  GepTissue t;

  PetscFunctionBegin;
  PetscValidPointer(tissue, 2);
  PetscCall(GepTissueInitializePackage());
  PetscCall(
    PetscHeaderCreate(t, GEPTISSUE_CLASSID, "GepTissue", "Tissue", "GepTissue", comm, GepTissueDestroy, GepTissueView));
  t->comm = PetscObjectComm((PetscObject)t);
  t->dim  = 2;
  t->n[0] = t->n[1] = 50;
  t->n[2]           = 1;
  t->h              = 20;
  t->dt             = 0.1;
  t->tfinal         = 1;
  t->scheme         = GEP_DIFFUSION_CN;
  t->seed           = 1;
  t->volume_unit    = 1e-15;
  t->chunk          = 256;
  *tissue           = t;
  PetscFunctionReturn(0);
}

#define CheckNotSetUp(t) PetscCheck(!(t)->setup, (t)->comm, PETSC_ERR_ORDER, "The tissue is already set up")

PetscErrorCode GepTissueSetGrid(GepTissue t, PetscInt dim, const PetscInt n[], PetscReal h)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(t, GEPTISSUE_CLASSID, 1);
  CheckNotSetUp(t);
  PetscCheck(dim == 2 || dim == 3, t->comm, PETSC_ERR_ARG_OUTOFRANGE, "-tissue_grid: 2 or 3 sizes, not %" PetscInt_FMT,
             dim);
  for (PetscInt d = 0; d < dim; d++)
    PetscCheck(n[d] >= 1, t->comm, PETSC_ERR_ARG_OUTOFRANGE,
               "-tissue_grid: a size must be at least 1, not %" PetscInt_FMT, n[d]);
  PetscCheck(h > 0, t->comm, PETSC_ERR_ARG_OUTOFRANGE, "-tissue_voxel_size: must be positive, not %g", (double)h);
  t->dim = dim;
  for (PetscInt d = 0; d < 3; d++) t->n[d] = d < dim ? n[d] : 1;
  t->h = h;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetOrigin(GepTissue t, const PetscReal origin[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(t, GEPTISSUE_CLASSID, 1);
  for (PetscInt d = 0; d < 3; d++) t->origin[d] = d < t->dim ? origin[d] : 0;
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroyFields(GepTissue t)
{
  PetscFunctionBegin;
  for (PetscInt f = 0; f < t->nfield; f++) PetscCall(PetscFree(t->field[f].name));
  PetscCall(PetscFree(t->field));
  t->nfield = 0;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetFields(GepTissue t, PetscInt n, const char *const names[])
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(t, GEPTISSUE_CLASSID, 1);
  CheckNotSetUp(t);
  PetscCall(GepCheckUniqueNames("-tissue_fields", "field", "positions", 1, n, names));
  PetscCall(DestroyFields(t));
  PetscCall(PetscCalloc1(n, &t->field));
  for (PetscInt f = 0; f < n; f++) PetscCall(PetscStrallocpy(names[f], &t->field[f].name));
  t->nfield = n;
  PetscFunctionReturn(0);
}

#define CheckField(t, f)                                                         \
  PetscCheck((f) >= 0 && (f) < (t)->nfield, (t)->comm, PETSC_ERR_ARG_OUTOFRANGE, \
             "Field %" PetscInt_FMT " out of range", (f))

PetscErrorCode GepTissueSetFieldDiffusion(GepTissue t, PetscInt f, PetscReal D)
{
  PetscFunctionBegin;
  CheckNotSetUp(t);
  CheckField(t, f);
  PetscCheck(D >= 0 && !PetscIsInfOrNanReal(D), t->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-tissue_diffusion: the diffusion coefficient of %s must be finite and non-negative, not %g",
             t->field[f].name, (double)D);
  t->field[f].D = D;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetFieldDecay(GepTissue t, PetscInt f, PetscReal k)
{
  PetscFunctionBegin;
  CheckNotSetUp(t);
  CheckField(t, f);
  PetscCheck(k >= 0 && !PetscIsInfOrNanReal(k), t->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-tissue_decay: the decay rate of %s must be finite and non-negative, not %g", t->field[f].name,
             (double)k);
  t->field[f].decay = k;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetFieldBoundary(GepTissue t, PetscInt f, GepTissueFace face, GepTissueBoundaryType type,
                                         PetscReal value)
{
  PetscFunctionBegin;
  CheckNotSetUp(t);
  CheckField(t, f);
  PetscCheck(!PetscIsInfOrNanReal(value), t->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-tissue_boundary: the value on %s of %s is not finite", GepTissueFaces[face], t->field[f].name);
  t->field[f].bc[face]      = type;
  t->field[f].bcvalue[face] = value;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetFieldInitial(GepTissue t, PetscInt f, PetscReal value)
{
  PetscFunctionBegin;
  CheckNotSetUp(t);
  CheckField(t, f);
  PetscCheck(value >= 0 && !PetscIsInfOrNanReal(value), t->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-tissue_field_initial: the value of %s must be finite and non-negative, not %g", t->field[f].name,
             (double)value);
  t->field[f].initial = value;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetModel(GepTissue t, GepModel m)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(t, GEPTISSUE_CLASSID, 1);
  CheckNotSetUp(t);
  PetscCall(PetscObjectReference((PetscObject)m));
  PetscCall(GepModelDestroy(&t->model));
  t->model = m;
  PetscFunctionReturn(0);
}

static PetscErrorCode SetText(GepTissue t, char **dst, const char value[])
{
  PetscFunctionBegin;
  CheckNotSetUp(t);
  PetscCall(PetscFree(*dst));
  PetscCall(PetscStrallocpy(value, dst));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetInitial(GepTissue t, const char spec[])
{
  PetscFunctionBegin;
  PetscCall(SetText(t, &t->initial, spec));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetExtracellularCompartment(GepTissue t, const char id[])
{
  PetscFunctionBegin;
  PetscCall(SetText(t, &t->ext_compartment, id));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetVessels(GepTissue t, const char spec[])
{
  PetscFunctionBegin;
  CheckNotSetUp(t);
  PetscCall(SetText(t, &t->vessels, spec));
  PetscFunctionReturn(0);
}

/* before set-up, or after it (the organism's plasma): the held value changes at once */
PetscErrorCode GepTissueSetVesselValue(GepTissue t, PetscInt f, PetscReal V)
{
  PetscFunctionBegin;
  CheckField(t, f);
  PetscCheck(V >= 0 && !PetscIsInfOrNanReal(V), t->comm, PETSC_ERR_ARG_OUTOFRANGE,
             "-tissue_vessel_value: the value of %s must be finite and non-negative, not %g", t->field[f].name,
             (double)V);
  if (!t->vessel_value) {
    PetscCheck(!t->setup, t->comm, PETSC_ERR_ORDER, "-tissue_vessel_value: the vessels hold no field");
    PetscCall(PetscMalloc1(t->nfield, &t->vessel_value));
    for (PetscInt g = 0; g < t->nfield; g++) t->vessel_value[g] = NAN;
  }
  PetscCheck(!t->setup || !PetscIsNanReal(t->vessel_value[f]), t->comm, PETSC_ERR_ORDER,
             "-tissue_vessel_value: the vessels do not hold %s", t->field[f].name);
  t->vessel_value[f] = V;
  if (t->setup) PetscCall(GepTissueUpdateVesselTerms(t));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetSeed(GepTissue t, PetscInt seed)
{
  PetscFunctionBegin;
  CheckNotSetUp(t);
  t->seed = seed;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetTimes(GepTissue t, PetscReal dt, PetscReal tfinal)
{
  PetscFunctionBegin;
  PetscCheck(dt > 0, t->comm, PETSC_ERR_ARG_OUTOFRANGE, "-tissue_dt: must be positive, not %g", (double)dt);
  t->dt     = dt;
  t->tfinal = tfinal;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetDiffusionScheme(GepTissue t, GepTissueDiffusionScheme s)
{
  PetscFunctionBegin;
  CheckNotSetUp(t);
  t->scheme = s;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetFromOptions(GepTissue t)
{
  PetscInt  n[3] = {t->n[0], t->n[1], t->n[2]}, nn = 3, no = 3, nf = 64;
  PetscReal h = t->h, origin[3] = {t->origin[0], t->origin[1], t->origin[2]}, dt = t->dt, tfinal = t->tfinal;
  char     *names[64], spec[4096];
  PetscBool set, gset, hset;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(t, GEPTISSUE_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)t);
  PetscCall(PetscOptionsIntArray("-tissue_grid", "Voxels along x, y[, z]", "GepTissueSetGrid", n, &nn, &gset));
  PetscCall(PetscOptionsReal("-tissue_voxel_size", "Voxel edge (um)", "GepTissueSetGrid", h, &h, &hset));
  if (gset || hset) PetscCall(GepTissueSetGrid(t, gset ? nn : t->dim, n, h));
  PetscCall(
    PetscOptionsRealArray("-tissue_origin", "Lower corner of the grid (um)", "GepTissueSetOrigin", origin, &no, &set));
  if (set) {
    PetscCheck(no == t->dim, t->comm, PETSC_ERR_USER,
               "-tissue_origin: %" PetscInt_FMT " values for a %" PetscInt_FMT "-D grid", no, t->dim);
    PetscCall(GepTissueSetOrigin(t, origin));
  }
  PetscCall(PetscOptionsStringArray("-tissue_fields", "Extracellular fields (species ids)", "GepTissueSetFields", names,
                                    &nf, &set));
  if (set) {
    PetscCall(GepTissueSetFields(t, nf, (const char *const *)names));
    for (PetscInt f = 0; f < nf; f++) PetscCall(PetscFree(names[f]));
  }
  PetscCall(PetscOptionsString("-tissue_diffusion", "FIELD:D,... (um^2/min)", "GepTissueSetFieldDiffusion", "", spec,
                               sizeof(spec), &set));
  if (set) PetscCall(GepTissueParseFieldValues(t, "-tissue_diffusion", spec, GepTissueSetFieldDiffusion));
  PetscCall(
    PetscOptionsString("-tissue_decay", "FIELD:k,... (1/min)", "GepTissueSetFieldDecay", "", spec, sizeof(spec), &set));
  if (set) PetscCall(GepTissueParseFieldValues(t, "-tissue_decay", spec, GepTissueSetFieldDecay));
  PetscCall(PetscOptionsString("-tissue_field_initial", "FIELD:VALUE,... (uniform initial values)",
                               "GepTissueSetFieldInitial", "", spec, sizeof(spec), &set));
  if (set) PetscCall(GepTissueParseFieldValues(t, "-tissue_field_initial", spec, GepTissueSetFieldInitial));
  PetscCall(PetscOptionsString("-tissue_boundary", "FIELD:FACE:dirichlet:V|noflux|periodic,...",
                               "GepTissueSetFieldBoundary", "", spec, sizeof(spec), &set));
  if (set) PetscCall(GepTissueParseBoundaries(t, "-tissue_boundary", spec));
  PetscCall(PetscOptionsString("-tissue_vessels", "Vessel voxels: none, random:DENSITY or file:CSV (i,j[,k] a line)",
                               "GepTissueSetVessels", t->vessels ? t->vessels : "none", spec, sizeof(spec), &set));
  if (set) PetscCall(GepTissueSetVessels(t, spec));
  PetscCall(PetscOptionsString("-tissue_vessel_value", "FIELD:V,...: the value vessels hold", "GepTissueSetVesselValue",
                               "", spec, sizeof(spec), &set));
  if (set) PetscCall(GepTissueParseFieldValues(t, "-tissue_vessel_value", spec, GepTissueSetVesselValue));
  PetscCall(PetscOptionsString("-tissue_initial", "Initial cells: none, disc:R, ball:R (um), random:FRACTION, file:CSV",
                               "GepTissueSetInitial", t->initial ? t->initial : "none", spec, sizeof(spec), &set));
  if (set) PetscCall(GepTissueSetInitial(t, spec));
  PetscCall(PetscOptionsString(
    "-tissue_extracellular_compartment", "The model's compartment whose species are the fields",
    "GepTissueSetExtracellularCompartment", t->ext_compartment ? t->ext_compartment : "", spec, sizeof(spec), &set));
  if (set) PetscCall(GepTissueSetExtracellularCompartment(t, spec));
  PetscCall(PetscOptionsReal("-tissue_volume_unit", "The model's volume of 1 um^3 (1e-15: litres)", "GepTissueSetUp",
                             t->volume_unit, &t->volume_unit, NULL));
  PetscCheck(t->volume_unit > 0, t->comm, PETSC_ERR_USER, "-tissue_volume_unit: must be positive");
  PetscCall(PetscOptionsInt("-tissue_chunk_size", "Cells per TS in the reaction step", "GepTissueSetUp", t->chunk,
                            &t->chunk, NULL));
  PetscCheck(t->chunk >= 1, t->comm, PETSC_ERR_USER, "-tissue_chunk_size: must be at least 1");
  PetscCall(PetscOptionsInt("-tissue_seed", "Seed of every random draw (counter-based)", "GepTissueSetSeed", t->seed,
                            &t->seed, NULL));
  PetscCall(PetscOptionsReal("-tissue_dt", "Coupling step (min)", "GepTissueSetTimes", dt, &dt, NULL));
  PetscCall(PetscOptionsReal("-tissue_tfinal", "End time (min)", "GepTissueSetTimes", tfinal, &tfinal, NULL));
  PetscCall(GepTissueSetTimes(t, dt, tfinal));
  PetscCall(PetscOptionsEnum("-tissue_diffusion_scheme", "Time integrator of diffusion-decay",
                             "GepTissueSetDiffusionScheme", GepTissueDiffusionSchemes, (PetscEnum)t->scheme,
                             (PetscEnum *)&t->scheme, NULL));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetUp(GepTissue t)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(t, GEPTISSUE_CLASSID, 1);
  if (t->setup) PetscFunctionReturn(0);
  PetscCheck(t->nfield > 0, t->comm, PETSC_ERR_USER, "-tissue_fields: the tissue needs at least one field");
  PetscCall(PetscLogEventBegin(GEP_TissueSetUp, t, 0, 0, 0));
  PetscCall(GepTissueSetUpDiffusion(t));
  PetscCall(GepTissueSetUpCells(t));
  t->setup = PETSC_TRUE;
  PetscCall(PetscLogEventEnd(GEP_TissueSetUp, t, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* Without a model the fields only diffuse and decay: one time integration from t to tfinal in steps of
   dt (a multistep scheme keeps its history over the whole run). With one, Strang splitting: half a
   step of diffusion-decay, the cells' reactions over the whole step, the other half. */
typedef struct {
  GepTissue t;
  PetscReal t0, t1;
} ReactCtx;

static PetscErrorCode ReactShared(void *ctx)
{
  ReactCtx *r = (ReactCtx *)ctx;

  PetscFunctionBegin;
  PetscCall(GepTissueReact(r->t, r->t0, r->t1));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSolve(GepTissue t)
{
  ReactCtx react = {.t = t};

  PetscFunctionBegin;
  PetscCall(GepTissueSetUp(t));
  if (!t->model) {
    if (t->tfinal > t->t) PetscCall(GepTissueDiffuse(t, t->tfinal - t->t));
    PetscFunctionReturn(0);
  }
  while (t->t < t->tfinal - 1e-12 * PetscMax(1, PetscAbsReal(t->tfinal))) {
    PetscReal t0 = t->t, dt = PetscMin(t->dt, t->tfinal - t0), save = t->dt;

    t->dt = dt / 2; /* one solve per half step */
    PetscCall(GepTissueDiffuse(t, dt / 2));
    react.t0 = t0;
    react.t1 = t0 + dt;
    PetscCall(GepRunShared(t->comm, ReactShared, &react)); /* a cell's failure on one rank stops every rank */
    PetscCall(GepTissueDiffuse(t, dt / 2));
    t->dt = save;
    t->t  = t0 + dt;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueView(GepTissue t, PetscViewer v)
{
  PetscBool ascii;

  PetscFunctionBegin;
  if (!v) PetscCall(PetscViewerASCIIGetStdout(t->comm, &v));
  PetscCall(PetscObjectTypeCompare((PetscObject)v, PETSCVIEWERASCII, &ascii));
  if (!ascii) PetscFunctionReturn(0);
  PetscCall(PetscViewerASCIIPrintf(v, "GepTissue: %" PetscInt_FMT " x %" PetscInt_FMT, t->n[0], t->n[1]));
  if (t->dim == 3) PetscCall(PetscViewerASCIIPrintf(v, " x %" PetscInt_FMT, t->n[2]));
  PetscCall(PetscViewerASCIIPrintf(v, " voxels of %g um, diffusion %s, %" PetscInt_FMT " multigrid levels\n",
                                   (double)t->h, GepTissueDiffusionSchemes[t->scheme], t->nlevels));
  for (PetscInt f = 0; f < t->nfield; f++)
    PetscCall(PetscViewerASCIIPrintf(v, "  field %s: D %g um^2/min, decay %g /min\n", t->field[f].name,
                                     (double)t->field[f].D, (double)t->field[f].decay));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueDestroy(GepTissue *tissue)
{
  GepTissue t;

  PetscFunctionBegin;
  if (!*tissue) PetscFunctionReturn(0);
  t       = *tissue;
  *tissue = NULL;
  if (--((PetscObject)t)->refct > 0) PetscFunctionReturn(0);
  PetscCall(GepTissueDestroyDiffusion(t));
  PetscCall(DestroyFields(t));
  PetscCall(GepTissueDestroyCells(t));
  PetscCall(PetscFree(t->initial));
  PetscCall(PetscFree(t->ext_compartment));
  PetscCall(PetscFree(t->vessels));
  PetscCall(PetscFree(t->vessel_value));
  PetscCall(PetscFree(t->vessel));
  PetscCall(GepModelDestroy(&t->model));
  PetscCall(PetscHeaderDestroy(&t));
  PetscFunctionReturn(0);
}

#define CheckSetUp(t) PetscCheck((t)->setup, (t)->comm, PETSC_ERR_ORDER, "Call GepTissueSetUp() first")

PetscErrorCode GepTissueGetDM(GepTissue t, DM *da)
{
  PetscFunctionBegin;
  CheckSetUp(t);
  *da = t->da;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueGetFields(GepTissue t, Vec *u)
{
  PetscFunctionBegin;
  CheckSetUp(t);
  *u = t->u;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueGetNumFields(GepTissue t, PetscInt *n)
{
  PetscFunctionBegin;
  *n = t->nfield;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueFindField(GepTissue t, const char name[], PetscInt *f)
{
  PetscFunctionBegin;
  for (*f = 0; *f < t->nfield; (*f)++)
    if (!strcmp(t->field[*f].name, name)) PetscFunctionReturn(0);
  *f = -1;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueGetTime(GepTissue t, PetscReal *time)
{
  PetscFunctionBegin;
  *time = t->t;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueSetTime(GepTissue t, PetscReal time)
{
  PetscFunctionBegin;
  t->t = time;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueGetVoxelCenter(GepTissue t, PetscInt i, PetscInt j, PetscInt k, PetscReal x[])
{
  const PetscInt idx[3] = {i, j, k};

  PetscFunctionBegin;
  for (PetscInt d = 0; d < t->dim; d++) x[d] = t->origin[d] + ((PetscReal)idx[d] + 0.5) * t->h;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueGetCells(GepTissue t, PetscInt *n, PetscInt *nstates, const PetscReal **states)
{
  PetscFunctionBegin;
  CheckSetUp(t);
  *n = t->ncell;
  if (nstates) *nstates = t->ns;
  if (states) *states = t->cstate;
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueGetFieldTotals(GepTissue t, PetscReal totals[])
{
  PetscReal vol = t->h * t->h * t->h;

  PetscFunctionBegin;
  CheckSetUp(t);
  PetscCall(VecStrideSumAll(t->u, totals));
  for (PetscInt f = 0; f < t->nfield; f++) totals[f] *= vol;
  PetscFunctionReturn(0);
}
