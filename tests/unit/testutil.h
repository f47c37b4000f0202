/* Shared set-up of the ensemble tests: a model, parameters from a TSV, solved. */
#pragma once
#include "gepsim.h"

static inline PetscErrorCode TestSolveEnsemble(const char model_file[], const char params[], const char size[],
                                               const char batch[], const char tfinal[], const char steps[],
                                               PetscInt nout, const char *const outs[], GepModel *model,
                                               GepEnsemble *ens)
{
  PetscFunctionBegin;
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_parameters_file", params));
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_size", size));
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_batch_size", batch)); /* several batches per rank */
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_tfinal", tfinal));
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_steps", steps));
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_ts_rtol", "1e-9"));
  PetscCall(PetscOptionsSetValue(NULL, "-ensemble_ts_atol", "1e-12"));
  PetscCall(GepModelCreate(PETSC_COMM_WORLD, model));
  PetscCall(GepModelSetFile(*model, model_file));
  PetscCall(GepModelSetOutputs(*model, nout, outs, NULL));
  PetscCall(GepEnsembleCreate(PETSC_COMM_WORLD, ens));
  PetscCall(GepEnsembleSetModel(*ens, *model));
  PetscCall(GepEnsembleSetFromOptions(*ens));
  PetscCall(GepEnsembleSolve(*ens));
  PetscFunctionReturn(0);
}

/* A test that compares nothing must not pass: the members compared over all ranks must be
   the ensemble's size as the test set it, and each member's output times steps + 1. */
static inline PetscErrorCode TestCheckCounts(MPI_Comm comm, PetscInt members_compared, PetscInt expect_members,
                                             PetscInt T, PetscInt expect_T, PetscInt *failures)
{
  PetscInt total;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Allreduce(&members_compared, &total, 1, MPIU_INT, MPI_SUM, comm));
  if (total != expect_members) {
    (*failures)++;
    PetscCall(PetscPrintf(comm, "FAIL: %" PetscInt_FMT " members compared, the ensemble has %" PetscInt_FMT "\n", total,
                          expect_members));
  }
  if (T != expect_T) {
    (*failures)++;
    PetscCall(
      PetscPrintf(PETSC_COMM_SELF, "FAIL: %" PetscInt_FMT " output times, expected %" PetscInt_FMT "\n", T, expect_T));
  }
  PetscFunctionReturn(0);
}
