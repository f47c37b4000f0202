/* The cells' reaction step: every cell of the rank is a member of one GepEnsemble on the rank
   (chunks of -tissue_chunk_size cells, one TS each), whose state is the cell's with its voxel's
   extracellular species as amounts (concentration x voxel volume). After the step the voxel takes
   the amounts back: uptake and secretion are the model's own reactions, and what leaves the voxel
   is what enters the cell. The cells' solver options are -tissue_ensemble_ts_..., tuned apart
   from -ensemble_ (a pathway ensemble) and -tissue_diffusion_ (the fields). */
#include "tissueimpl.h"

PetscErrorCode GepTissueReact(GepTissue t, PetscReal t0, PetscReal t1)
{
  GepEnsemble      ens;
  PetscReal       *p, vol = t->p0[t->ext_param], times[2] = {t0, t1};
  const PetscReal *xf;
  PetscScalar     *u;
  PetscInt         nf = t->nfield, ns = t->ns, nfailed;
  const char      *why;
  const PetscInt  *status;

  PetscFunctionBegin;
  if (!t->ncell) PetscFunctionReturn(0);
  PetscCall(PetscLogEventBegin(GEP_TissueReaction, t, 0, 0, 0));
  PetscCall(VecGetArray(t->u, &u));
  for (PetscInt c = 0; c < t->ncell; c++)
    for (PetscInt f = 0; f < nf; f++) t->cstate[c * ns + t->field_state[f]] = u[t->cell[c].voxel * nf + f] * vol;
  PetscCall(PetscMalloc1(t->ncell * t->np, &p));
  for (PetscInt c = 0; c < t->ncell; c++) PetscCall(PetscArraycpy(p + c * t->np, t->p0, t->np));
  PetscCall(GepEnsembleCreate(PETSC_COMM_SELF, &ens));
  PetscCall(GepEnsembleSetOptionsPrefix(ens, "tissue_"));
  PetscCall(GepEnsembleSetModel(ens, t->model));
  PetscCall(GepEnsembleSetChunkSize(ens, t->chunk));
  /* states are amounts, of the order of a concentration times the voxel's volume (1e-12 L for 20 um):
     the absolute tolerance is 1e-10 in concentration (-tissue_ensemble_ts_atol overrides it, in amounts) */
  PetscCall(GepEnsembleSetTolerances(ens, 1e-6, 1e-10 * vol));
  /* what leaves the voxel enters the cell: the model's conserved amounts must stay so to round-off */
  PetscCall(GepEnsembleSetConservative(ens, PETSC_TRUE));
  PetscCall(GepEnsembleSetOutputTimes(ens, 2, times));
  PetscCall(GepEnsembleSetParameters(ens, t->ncell, p));
  PetscCall(GepEnsembleSetInitialStates(ens, t->ncell, t->cstate));
  PetscCall(GepEnsembleSetErrorIfMemberFails(ens, PETSC_FALSE));
  PetscCall(GepEnsembleSolve(ens));
  PetscCall(GepEnsembleGetStatus(ens, &status, &nfailed, &why));
  PetscCheck(!nfailed, PETSC_COMM_SELF, PETSC_ERR_NOT_CONVERGED, "tissue: a cell's reactions failed at t = %g: %s",
             (double)t0, why);
  PetscCall(GepEnsembleGetFinalStates(ens, &xf));
  PetscCall(PetscArraycpy(t->cstate, xf, t->ncell * ns));
  for (PetscInt c = 0; c < t->ncell; c++)
    for (PetscInt f = 0; f < nf; f++) u[t->cell[c].voxel * nf + f] = t->cstate[c * ns + t->field_state[f]] / vol;
  PetscCall(VecRestoreArray(t->u, &u));
  PetscCall(GepEnsembleDestroy(&ens));
  PetscCall(PetscFree(p));
  PetscCall(PetscLogEventEnd(GEP_TissueReaction, t, 0, 0, 0));
  PetscFunctionReturn(0);
}
