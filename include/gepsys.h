/* gepsim: system layer — initialisation, log events, error handling, wrappers. */
#pragma once
#include <stdint.h>
#include <petsc.h>

#define GEPSIM_VERSION "0.1.0"

/* Writing outputs, a phase of every package (each package registers its own events). */
PETSC_EXTERN PetscLogEvent GEP_Output;

PETSC_EXTERN PetscErrorCode GepInitializePackage(void);
PETSC_EXTERN PetscErrorCode GepPushErrorHandler(void);
PETSC_EXTERN PetscBool      GepErrorSetQuiet(PetscBool);
PETSC_EXTERN const char    *GepErrorGetLast(void);
PETSC_EXTERN PetscErrorCode GepErrorShare(MPI_Comm, PetscErrorCode);
/* Run fn(ctx), whose errors may arise on some ranks only, with this rank's
   messages held back; then every rank of comm raises the first failing rank's error. */
PETSC_EXTERN PetscErrorCode GepRunShared(MPI_Comm, PetscErrorCode (*fn)(void *), void *ctx);

/* Reproducible random numbers: the same sequence on every rank for a seed. */
PETSC_EXTERN PetscErrorCode GepRandomCreateSeeded(PetscInt seed, PetscRandom *);
PETSC_EXTERN PetscErrorCode GepRandomNormal(PetscRandom, PetscReal *);
/* counter-based: a 64-bit hash, or a uniform on [0, 1), of the key (seed, id, step, purpose) alone
   (src/sys/counter_random.c): draws that do not depend on which rank makes them, or in what order */
PETSC_EXTERN uint64_t GepCounterHash(uint64_t seed, uint64_t id, uint64_t step, uint64_t purpose);
PETSC_EXTERN double   GepCounterUniform(uint64_t seed, uint64_t id, uint64_t step, uint64_t purpose);

/* Wrap an HDF5 call: a negative status becomes a PETSc error naming the call. */
#define GepCallHDF5(func, args)                                                                   \
  do {                                                                                            \
    PetscStackPushExternal(#func);                                                                \
    long long gep_hdf5_status_ = (long long)(func args);                                          \
    PetscStackPop;                                                                                \
    PetscCheck(gep_hdf5_status_ >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "HDF5 error in %s", #func); \
  } while (0)

/* Same, for calls that return an hid_t that must be kept. */
#define GepCallHDF5Return(ret, func, args)                                                        \
  do {                                                                                            \
    PetscStackPushExternal(#func);                                                                \
    ret = func args;                                                                              \
    PetscStackPop;                                                                                \
    PetscCheck((long long)(ret) >= 0, PETSC_COMM_SELF, PETSC_ERR_LIB, "HDF5 error in %s", #func); \
  } while (0)

/* Relative-path-safe file existence check with a clear one-line error; the file is
   registered as an input of the run. */
PETSC_EXTERN PetscErrorCode GepCheckFileReadable(const char what[], const char path[]);
/* Input files by device and inode (src/sys/inputs.c); collective: an error when the
   output is one of the inputs any rank registered. */
PETSC_EXTERN PetscErrorCode GepInputFileRegister(const char path[]);
PETSC_EXTERN PetscErrorCode GepOutputCheckNotInput(MPI_Comm, const char output[]);
/* Collective, before any work: the output's directory exists and is writable. */
PETSC_EXTERN PetscErrorCode GepOutputCheckWritable(MPI_Comm, const char output[]);
/* Output files are written under a temporary name; on failure the program removes them (src/sys/tempfiles.c). */
PETSC_EXTERN PetscErrorCode GepTempFileRegister(const char tmp[]);
PETSC_EXTERN PetscErrorCode GepTempFileCommit(MPI_Comm, const char tmp[], const char final[]);
PETSC_EXTERN PetscErrorCode GepTempFileForget(const char tmp[]);
PETSC_EXTERN void           GepTempFilesRemoveAll(void);
PETSC_EXTERN void           GepTempFilesKeep(void);
PETSC_EXTERN void           GepTempFilesCatchSignals(void);
PETSC_EXTERN void           GepTempFilesRecordParent(void);
/* an error if the process that started this run is gone (mpirun killed): nothing more is written */
PETSC_EXTERN PetscErrorCode GepCheckParentAlive(const char output[]);
/* the exit status of a run that ended without an error (0 unless a command sets one, e.g. a screen
   stopped by SIGTERM: 75) */
PETSC_EXTERN void GepSetExitStatus(int);
PETSC_EXTERN int  GepGetExitStatus(void);
/* path = base without a trailing ".h5", then suffix (figures beside an output) */
PETSC_EXTERN PetscErrorCode GepSiblingPath(const char base[], const char suffix[], char path[], size_t len);

/* a solver's private options database: gepsim's defaults under the global options of its
   prefix (src/sys/solver_options.c); what the solver read is then marked read globally */
PETSC_EXTERN PetscErrorCode GepSolverOptionsCreate(const char prefix[], const char defaults[], PetscOptions *);
PETSC_EXTERN PetscErrorCode GepSolverOptionsMarkUsed(PetscOptions);

/* next line of a text file without its end-of-line characters; its length, or -1 at the end */
static inline ssize_t GepGetLine(FILE *fp, char **line, size_t *cap)
{
  ssize_t len = getline(line, cap, fp);

  while (len > 0 && ((*line)[len - 1] == '\n' || (*line)[len - 1] == '\r')) (*line)[--len] = 0;
  return len;
}

/* an error naming FILE when two of the names are equal: "WHAT 'x' appears twice (WHERE i and j)", i, j counted from
 * first */
PETSC_EXTERN PetscErrorCode GepCheckUniqueNames(const char file[], const char what[], const char where[],
                                                PetscInt first, PetscInt n, const char *const names[]);
/* a field of a numeric data file: NaN for a missing value (empty, NA, NaN, NULL), else a finite number; the error
   names PATH:LINE and the column */
PETSC_EXTERN PetscErrorCode GepParseValue(const char path[], PetscInt line, PetscInt column, const char *s,
                                          PetscReal *x);
/* the non-empty lines of a list file (names, one per line), trimmed of blanks and quotes; an empty file is an error */
PETSC_EXTERN PetscErrorCode GepReadNameList(const char what[], const char path[], PetscInt *n, char ***names);
/* split a line of a delimited file in place into fields (quotes removed) */
PETSC_EXTERN PetscErrorCode GepSplitLine(char *line, char delim, char ***fields, PetscInt *n, PetscInt *cap);
/* row-major C = alpha op(A) op(B) + beta C on BLAS, op = 'N' or 'T' (src/sys/dense.c) */
PETSC_EXTERN PetscErrorCode GepGemm(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, PetscReal alpha,
                                    const PetscReal *A, PetscInt lda, const PetscReal *B, PetscInt ldb, PetscReal beta,
                                    PetscReal *C, PetscInt ldc);
/* the same in float32 (BLAS's sgemm; PETSc here is built for double): GepGNN's single-precision passes */
PETSC_EXTERN PetscErrorCode GepGemmSingle(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, float alpha,
                                          const float *A, PetscInt lda, const float *B, PetscInt ldb, float beta,
                                          float *C, PetscInt ldc);
/* one sgemm big enough to touch all of BLAS's work buffer, once per process: see dense.c */
PETSC_EXTERN PetscErrorCode GepGemmSingleWarmUp(void);
