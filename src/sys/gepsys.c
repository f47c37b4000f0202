/* gepsim system layer: package registration, log events, one-line errors. */
#include <unistd.h>
#include "gepsys.h"

PetscLogEvent GEP_ModelLoad, GEP_ModelCompile, GEP_ModelRHS, GEP_ModelJacobian, GEP_ModelInit, GEP_EnsembleSolve, GEP_Output;

static PetscBool    gep_package_initialized = PETSC_FALSE;
static PetscBool    gep_error_quiet         = PETSC_FALSE;
static char         gep_last_error[1024];
static PetscClassId GEP_CLASSID;

PetscErrorCode GepInitializePackage(void)
{
  PetscFunctionBegin;
  if (gep_package_initialized) PetscFunctionReturn(0);
  gep_package_initialized = PETSC_TRUE;
  PetscCall(PetscClassIdRegister("gepsim", &GEP_CLASSID));
  PetscCall(PetscLogEventRegister("GepModelLoad", GEP_CLASSID, &GEP_ModelLoad));
  PetscCall(PetscLogEventRegister("GepModelCompile", GEP_CLASSID, &GEP_ModelCompile));
  PetscCall(PetscLogEventRegister("GepModelInit", GEP_CLASSID, &GEP_ModelInit));
  PetscCall(PetscLogEventRegister("GepModelRHS", GEP_CLASSID, &GEP_ModelRHS));
  PetscCall(PetscLogEventRegister("GepModelJacobian", GEP_CLASSID, &GEP_ModelJacobian));
  PetscCall(PetscLogEventRegister("GepEnsembleSolve", GEP_CLASSID, &GEP_EnsembleSolve));
  PetscCall(PetscLogEventRegister("GepOutput", GEP_CLASSID, &GEP_Output));
  PetscFunctionReturn(0);
}

/* Print the first (innermost) message of an error once, on one line, instead of
   PETSc's traceback. Input errors are collective (every rank reads the same
   input), so rank 0 speaks for all; internal errors are reported by every rank. */
static PetscErrorCode OneLineErrorHandler(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  PetscMPIInt rank = 0, init = 0;

  (void)comm; (void)line; (void)fun; (void)file; (void)ctx;
  if (p != PETSC_ERROR_INITIAL) return n;
  if (mess) (void)PetscStrncpy(gep_last_error, mess, sizeof(gep_last_error));
  else gep_last_error[0] = 0;
  if (gep_error_quiet) return n;
  MPI_Initialized(&init);
  if (init) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0 || n == PETSC_ERR_LIB || n == PETSC_ERR_PLIB || n == PETSC_ERR_MEM) {
    if (mess && mess[0]) fprintf(stderr, "gepsim: error: %s\n", mess);
    else {
      const char *text;
      PetscErrorMessage(n, &text, NULL);
      fprintf(stderr, "gepsim: error: %s (in %s)\n", text ? text : "unknown error", fun);
    }
    fflush(stderr);
  }
  return n;
}

PetscErrorCode GepPushErrorHandler(void)
{
  PetscFunctionBegin;
  PetscCall(PetscPushErrorHandler(OneLineErrorHandler, NULL));
  PetscFunctionReturn(0);
}

/* Batch drivers report errors themselves: quiet mode, and the last message. */
void GepErrorSetQuiet(PetscBool quiet)
{
  gep_error_quiet = quiet;
}

const char *GepErrorGetLast(void)
{
  return gep_last_error;
}

PetscErrorCode GepCheckFileReadable(const char what[], const char path[])
{
  PetscFunctionBegin;
  PetscCheck(path && path[0], PETSC_COMM_SELF, PETSC_ERR_USER, "%s: no file name given", what);
  PetscCheck(access(path, F_OK) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s %s: file not found", what, path);
  PetscCheck(access(path, R_OK) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s %s: file not readable", what, path);
  PetscFunctionReturn(0);
}
