/* Row-major GEMM on BLAS, for the dense blocks of GepFA and GepGNN. */
#include "gepsys.h"
#include <petscblaslapack.h>

/* the BLAS integers of a GEMM's sizes m, n, k, lda, ldb, ldc */
static PetscErrorCode BLASSizes(const PetscInt in[6], PetscBLASInt out[6])
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < 6; i++) PetscCall(PetscBLASIntCast(in[i], &out[i]));
  PetscFunctionReturn(0);
}

/* the m rows of n entries (leading dimension ldc, elem bytes each) of a row-major C set to 0 before a GEMM with beta
   = 1: OpenBLAS zeroes C for beta = 0 in a scalar pass of its own, and memset's vector stores take about two thirds
   of its time on C that is in cache (perf: the views' float GEMMs on AMD EPYC; the same for a C bound by memory) */
static PetscErrorCode ZeroC(PetscInt m, PetscInt n, PetscInt ldc, size_t elem, void *C)
{
  PetscFunctionBegin;
  if (ldc == n) PetscCall(PetscMemzero(C, (size_t)(m * n) * elem));
  else
    for (PetscInt i = 0; i < m; i++) PetscCall(PetscMemzero((char *)C + (size_t)(i * ldc) * elem, (size_t)n * elem));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGemm(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, PetscReal alpha, const PetscReal *A,
                       PetscInt lda, const PetscReal *B, PetscInt ldb, PetscReal beta, PetscReal *C, PetscInt ldc)
{
  const PetscInt sizes[6] = {m, n, k, lda, ldb, ldc};
  PetscBLASInt   b[6];

  PetscFunctionBegin;
  if (m == 0 || n == 0) PetscFunctionReturn(0);
  if (k == 0) { /* BLAS would do this too, but some reject lda < 1 */
    for (PetscInt i = 0; i < m; i++)
      for (PetscInt j = 0; j < n; j++) C[i * ldc + j] = beta == 0.0 ? 0.0 : beta * C[i * ldc + j];
    PetscFunctionReturn(0);
  }
  PetscCall(BLASSizes(sizes, b));
  if (beta == 0.0) {
    PetscCall(ZeroC(m, n, ldc, sizeof(PetscReal), C));
    beta = 1.0;
  }
  /* row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T */
  PetscCallBLAS("BLASgemm", BLASgemm_(&tb, &ta, &b[1], &b[0], &b[2], &alpha, B, &b[4], A, &b[3], &beta, C, &b[5]));
  PetscCall(PetscLogFlops(2.0 * m * n * k));
  PetscFunctionReturn(0);
}

/* BLAS's float32 GEMM: petscblaslapack.h names only the precision PETSc is built for */
extern void sgemm_(const char *, const char *, const PetscBLASInt *, const PetscBLASInt *, const PetscBLASInt *,
                   const float *, const float *, const PetscBLASInt *, const float *, const PetscBLASInt *,
                   const float *, float *, const PetscBLASInt *);

PetscErrorCode GepGemmSingle(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, float alpha, const float *A,
                             PetscInt lda, const float *B, PetscInt ldb, float beta, float *C, PetscInt ldc)
{
  const PetscInt sizes[6] = {m, n, k, lda, ldb, ldc};
  PetscBLASInt   b[6];

  PetscFunctionBegin;
  if (m == 0 || n == 0) PetscFunctionReturn(0);
  if (k == 0) {
    for (PetscInt i = 0; i < m; i++)
      for (PetscInt j = 0; j < n; j++) C[i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[i * ldc + j];
    PetscFunctionReturn(0);
  }
  PetscCall(BLASSizes(sizes, b));
  if (beta == 0.0f) {
    PetscCall(ZeroC(m, n, ldc, sizeof(float), C));
    beta = 1.0f;
  }
  PetscCallBLAS("sgemm", sgemm_(&tb, &ta, &b[1], &b[0], &b[2], &alpha, B, &b[4], A, &b[3], &beta, C, &b[5]));
  PetscCall(PetscLogFlops(2.0 * m * n * k));
  PetscFunctionReturn(0);
}

/* OpenBLAS's Haswell/Zen sgemm kernel prefetches past the panels it has packed, into pages of its work buffer that
   no call has touched yet, and a prefetch into an untouched page can cost a failed page walk: small GEMMs then run
   well below peak until one call has packed a block big enough to touch those pages (docs/benchmarks.md). One such
   call (BLAS's column-major m = 1024, n = 64, k = 512) once per process does it. */
PetscErrorCode GepGemmSingleWarmUp(void)
{
  static PetscBool done = PETSC_FALSE;
  const PetscInt   m = 64, n = 1024, k = 512; /* row-major here: BLAS sees the transpose, 1024 x 64 */
  float           *A, *B, *C;

  PetscFunctionBegin;
  if (done) PetscFunctionReturn(0);
  PetscCall(PetscCalloc3(m * k, &A, k * n, &B, m * n, &C));
  PetscCall(GepGemmSingle('N', 'N', m, n, k, 1.0f, A, k, B, n, 0.0f, C, n));
  PetscCall(PetscFree3(A, B, C));
  done = PETSC_TRUE;
  PetscFunctionReturn(0);
}
