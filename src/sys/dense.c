/* Row-major GEMM on BLAS, for the dense blocks of GepFA and GepGNN. */
#include "gepsys.h"
#include <petscblaslapack.h>

PetscErrorCode GepGemm(char ta, char tb, PetscInt m, PetscInt n, PetscInt k, PetscReal alpha, const PetscReal *A, PetscInt lda, const PetscReal *B, PetscInt ldb, PetscReal beta, PetscReal *C, PetscInt ldc)
{
  PetscBLASInt bm, bn, bk, blda, bldb, bldc;

  PetscFunctionBegin;
  if (m == 0 || n == 0) PetscFunctionReturn(0);
  if (k == 0) { /* BLAS would do this too, but some reject lda < 1 */
    for (PetscInt i = 0; i < m; i++)
      for (PetscInt j = 0; j < n; j++) C[i * ldc + j] = beta == 0.0 ? 0.0 : beta * C[i * ldc + j];
    PetscFunctionReturn(0);
  }
  PetscCall(PetscBLASIntCast(m, &bm));
  PetscCall(PetscBLASIntCast(n, &bn));
  PetscCall(PetscBLASIntCast(k, &bk));
  PetscCall(PetscBLASIntCast(lda, &blda));
  PetscCall(PetscBLASIntCast(ldb, &bldb));
  PetscCall(PetscBLASIntCast(ldc, &bldc));
  /* row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T */
  PetscCallBLAS("BLASgemm", BLASgemm_(&tb, &ta, &bn, &bm, &bk, &alpha, B, &bldb, A, &blda, &beta, C, &bldc));
  PetscCall(PetscLogFlops(2.0 * m * n * k));
  PetscFunctionReturn(0);
}
