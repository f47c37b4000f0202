/* gepsim system layer: package registration, log events, one-line errors. */
#include <math.h>
#include <unistd.h>
#include <sys/stat.h>
#include "gepsys.h"

PetscLogEvent GEP_Output;

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
  PetscCall(PetscLogEventRegister("GepOutput", GEP_CLASSID, &GEP_Output));
  PetscFunctionReturn(0);
}

/* Print the first (innermost) message of an error once, on one line, instead of
   PETSc's traceback. Input errors are collective (every rank reads the same
   input), so rank 0 speaks for all; internal errors are reported by every rank. */
static PetscErrorCode OneLineErrorHandler(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode n,
                                          PetscErrorType p, const char *mess, void *ctx)
{
  PetscMPIInt rank = 0, init = 0;

  (void)comm;
  (void)line;
  (void)fun;
  (void)file;
  (void)ctx;
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

static PetscErrorCode PopErrorHandler(void)
{
  PetscFunctionBegin;
  PetscCall(PetscPopErrorHandler());
  PetscFunctionReturn(0);
}

/* The handler is popped in PetscFinalize (a registered finalizer), before PETSc
   lists what is still allocated (-malloc_dump). */
PetscErrorCode GepPushErrorHandler(void)
{
  PetscFunctionBegin;
  PetscCall(PetscPushErrorHandler(OneLineErrorHandler, NULL));
  PetscCall(PetscRegisterFinalize(PopErrorHandler));
  PetscFunctionReturn(0);
}

/* Batch drivers report errors themselves: quiet mode (the previous mode is returned), and the last message. */
PetscBool GepErrorSetQuiet(PetscBool quiet)
{
  PetscBool was   = gep_error_quiet;
  gep_error_quiet = quiet;
  return was;
}

/* Turn an error raised on some ranks only (run in quiet mode) into the same
   error on every rank of comm, with the message of the lowest failing rank, so
   that rank 0 reports it once and no rank waits in a later collective. */
PetscErrorCode GepErrorShare(MPI_Comm comm, PetscErrorCode ierr)
{
  PetscMPIInt rank, size, mine, lowest;
  int         code = (int)ierr;
  char        msg[sizeof(gep_last_error)];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  mine = ierr ? rank : size;
  PetscCallMPI(MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, comm));
  if (lowest == size) PetscFunctionReturn(0);
  PetscCall(PetscStrncpy(msg, gep_last_error, sizeof(msg)));
  PetscCallMPI(MPI_Bcast(msg, (PetscMPIInt)sizeof(msg), MPI_CHAR, lowest, comm));
  PetscCallMPI(MPI_Bcast(&code, 1, MPI_INT, lowest, comm));
  SETERRQ(comm, (PetscErrorCode)code, "%s", msg);
}

PetscErrorCode GepRunShared(MPI_Comm comm, PetscErrorCode (*fn)(void *), void *ctx)
{
  PetscErrorCode ierr;
  PetscBool      quiet = gep_error_quiet;

  PetscFunctionBegin;
  gep_error_quiet = PETSC_TRUE;
  ierr            = fn(ctx);
  gep_error_quiet = quiet;
  PetscCall(GepErrorShare(comm, ierr));
  PetscFunctionReturn(0);
}

const char *GepErrorGetLast(void)
{
  return gep_last_error;
}

PetscErrorCode GepCheckFileReadable(const char what[], const char path[])
{
  struct stat st;

  PetscFunctionBegin;
  PetscCheck(path && path[0], PETSC_COMM_SELF, PETSC_ERR_USER, "%s: no file name given", what);
  PetscCheck(access(path, F_OK) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s %s: file not found", what, path);
  PetscCheck(access(path, R_OK) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "%s %s: file not readable", what, path);
  PetscCheck(stat(path, &st) == 0 && !S_ISDIR(st.st_mode), PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN,
             "%s %s: is a directory, not a file", what, path);
  PetscCall(GepInputFileRegister(path));
  PetscFunctionReturn(0);
}

PetscErrorCode GepRandomCreateSeeded(PetscInt seed, PetscRandom *r)
{
  PetscFunctionBegin;
  PetscCall(PetscRandomCreate(PETSC_COMM_SELF, r));
  PetscCall(PetscRandomSetType(*r, PETSCRAND48));
  PetscCall(PetscRandomSetSeed(*r, (unsigned long)seed));
  PetscCall(PetscRandomSeed(*r));
  PetscFunctionReturn(0);
}

/* A standard normal from two uniforms (Box-Muller, one of the pair). */
PetscErrorCode GepRandomNormal(PetscRandom r, PetscReal *z)
{
  PetscReal u1, u2;

  PetscFunctionBegin;
  do PetscCall(PetscRandomGetValueReal(r, &u1));
  while (u1 <= 0);
  PetscCall(PetscRandomGetValueReal(r, &u2));
  *z = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
  PetscFunctionReturn(0);
}
