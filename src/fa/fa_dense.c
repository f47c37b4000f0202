/* GepFA dense kernels: digamma, reductions, and the
   products with the precision-weighted data of one view and group. For a
   gaussian view the precision of entry (n, d) is E[tau_gd] if observed and 0 if
   missing, so these are products with the data or the mask, columns scaled. */
#include <math.h>
#include "faimpl.h"
#include <petscblaslapack.h>

/* psi(x) for x > 0: recurrence up to x >= 6, then the asymptotic series (error < 1e-12) */
PetscReal GepDigamma(PetscReal x)
{
  PetscReal r = 0.0, f, f2;

  if (!(x > 0.0)) return (PetscReal)NAN;
  while (x < 6.0) {
    r -= 1.0 / x;
    x += 1.0;
  }
  f  = 1.0 / x;
  f2 = f * f;
  return r + PetscLogReal(x) - 0.5 * f -
         f2 * (1.0 / 12 - f2 * (1.0 / 120 - f2 * (1.0 / 252 - f2 * (1.0 / 240 - f2 * (1.0 / 132)))));
}

void GepFAFactorMoments(GepFA fa, PetscInt r0, PetscInt n, PetscReal *A)
{
  PetscInt K = fa->K;

  for (PetscInt i = 0; i < n; i++)
    for (PetscInt k = 0; k < K; k++) {
      PetscReal z          = fa->Zm[(r0 + i) * K + k];
      A[i * 2 * K + k]     = fa->ZE2[(r0 + i) * K + k];
      A[i * 2 * K + K + k] = z * z;
    }
}

PetscErrorCode GepFAAllreduce(GepFA fa, PetscReal *buf, PetscInt n)
{
  PetscMPIInt size, cnt;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(fa->comm, &size));
  if (size == 1 || n == 0) PetscFunctionReturn(0);
  PetscCall(PetscMPIIntCast(n, &cnt));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, buf, cnt, MPIU_REAL, MPIU_SUM, fa->comm));
  PetscFunctionReturn(0);
}

/* Cs (D x c) = diag(E[tau_g]) C, rows of C scaled by the precisions of group g; Cs may be C */
static PetscErrorCode ScaleByTau(GepFALayer *v, PetscInt g, PetscInt c, const PetscReal *C, PetscReal *Cs)
{
  PetscFunctionBegin;
  for (PetscInt d = 0; d < v->D; d++) {
    PetscReal t = GepFATau(v, g, d);
    for (PetscInt j = 0; j < c; j++) Cs[d * c + j] = t * C[d * c + j];
  }
  PetscFunctionReturn(0);
}

/* o[0..c) = base[0..c) - sum of the rows rows[0..n) of A (leading dimension lda).
   Four rows at a time: the accumulator row is read and written once per four. */
static inline void SubtractRows(PetscInt c, const PetscReal *PETSC_RESTRICT base, const PetscReal *PETSC_RESTRICT A,
                                PetscInt lda, const PetscInt *rows, PetscInt n, PetscReal *PETSC_RESTRICT o)
{
  PetscInt i = 0;

  for (PetscInt j = 0; j < c; j++) o[j] = base[j];
  for (; i + 4 <= n; i += 4) {
    const PetscReal *a0 = A + rows[i] * lda, *a1 = A + rows[i + 1] * lda, *a2 = A + rows[i + 2] * lda,
                    *a3 = A + rows[i + 3] * lda;
    for (PetscInt j = 0; j < c; j++) o[j] -= (a0[j] + a1[j]) + (a2[j] + a3[j]);
  }
  for (; i < n; i++) {
    const PetscReal *a = A + rows[i] * lda;
    for (PetscInt j = 0; j < c; j++) o[j] -= a[j];
  }
}

/* out (D x c) = O_g^T B (O the observation mask), B: the group's local rows x c.
   With few missing values: column sums of B, minus B's rows at the missing entries. */
PetscErrorCode GepFAObsTB(GepFA fa, PetscInt m, PetscInt g, PetscInt c, const PetscReal *B, PetscReal *out)
{
  GepFALayer *v  = &fa->v[m];
  PetscInt    r0 = fa->grow[g], ng = fa->grow[g + 1] - r0, D = v->D;

  PetscFunctionBegin;
  if (v->O && !v->mptr) PetscCall(GepGemm('T', 'N', D, c, ng, 1.0, v->O + r0 * D, D, B, c, 0.0, out, c));
  else {
    const PetscInt *ptr = v->cptr ? v->cptr + g * (D + 1) : NULL;
    PetscReal      *sum;

    PetscCall(PetscCalloc1(c, &sum));
    for (PetscInt n = 0; n < ng; n++)
      for (PetscInt j = 0; j < c; j++) sum[j] += B[n * c + j];
    for (PetscInt d = 0; d < D; d++)
      SubtractRows(c, sum, B, c, ptr ? v->cidx + ptr[d] : NULL, ptr ? ptr[d + 1] - ptr[d] : 0, out + d * c);
    PetscCall(PetscFree(sum));
  }
  PetscFunctionReturn(0);
}

/* out (rows x c) = O_rows C for local rows [r0, r0 + nr), C: D x c */
static PetscErrorCode ObsRowsC(GepFALayer *v, PetscInt r0, PetscInt nr, PetscInt c, const PetscReal *C, PetscReal *out)
{
  PetscInt D = v->D;

  PetscFunctionBegin;
  if (v->O && !v->mptr) PetscCall(GepGemm('N', 'N', nr, c, D, 1.0, v->O + r0 * D, D, C, c, 0.0, out, c));
  else if (nr > 0) {
    const PetscInt *ptr = v->mptr ? v->mptr + r0 : NULL;
    PetscReal      *sum;

    PetscCall(PetscCalloc1(c, &sum));
    for (PetscInt d = 0; d < D; d++)
      for (PetscInt j = 0; j < c; j++) sum[j] += C[d * c + j];
    for (PetscInt n = 0; n < nr; n++)
      SubtractRows(c, sum, C, c, ptr ? v->midx + ptr[n] : NULL, ptr ? ptr[n + 1] - ptr[n] : 0, out + n * c);
    PetscCall(PetscFree(sum));
  }
  PetscFunctionReturn(0);
}

/* out (D x c) = T_g^T B */
PetscErrorCode GepFATtB(GepFA fa, PetscInt m, PetscInt g, PetscInt c, const PetscReal *B, PetscReal *out)
{
  GepFALayer *v = &fa->v[m];

  PetscFunctionBegin;
  if (v->T) {
    PetscInt r0 = fa->grow[g], ng = fa->grow[g + 1] - r0;
    PetscCall(GepGemm('T', 'N', v->D, c, ng, 1.0, v->T + r0 * v->D, v->D, B, c, 0.0, out, c));
    PetscFunctionReturn(0);
  }
  PetscCall(GepFAObsTB(fa, m, g, c, B, out));
  PetscCall(ScaleByTau(v, g, c, out, out));
  PetscFunctionReturn(0);
}

PetscErrorCode GepFATC(GepFA fa, PetscInt m, PetscInt g, PetscInt c, const PetscReal *C, PetscReal *out)
{
  GepFALayer *v  = &fa->v[m];
  PetscInt    r0 = fa->grow[g], ng = fa->grow[g + 1] - r0, D = v->D;
  PetscReal  *Cs;

  PetscFunctionBegin;
  if (v->T) {
    PetscCall(GepGemm('N', 'N', ng, c, D, 1.0, v->T + r0 * D, D, C, c, 0.0, out, c));
    PetscFunctionReturn(0);
  }
  PetscCall(PetscMalloc1(D * c + 1, &Cs));
  PetscCall(ScaleByTau(v, g, c, C, Cs));
  PetscCall(ObsRowsC(v, r0, ng, c, Cs, out));
  PetscCall(PetscFree(Cs));
  PetscFunctionReturn(0);
}

/* out (D x c) = (T o Y)_g^T B */
PetscErrorCode GepFATYtB(GepFA fa, PetscInt m, PetscInt g, PetscInt c, const PetscReal *B, PetscReal *out)
{
  GepFALayer *v  = &fa->v[m];
  PetscInt    r0 = fa->grow[g], ng = fa->grow[g + 1] - r0, D = v->D;

  PetscFunctionBegin;
  if (v->TY) {
    PetscCall(GepGemm('T', 'N', D, c, ng, 1.0, v->TY + r0 * D, D, B, c, 0.0, out, c));
    PetscFunctionReturn(0);
  }
  PetscCall(GepGemm('T', 'N', D, c, ng, 1.0, v->Y + r0 * D, D, B, c, 0.0, out, c));
  PetscCall(ScaleByTau(v, g, c, out, out));
  PetscFunctionReturn(0);
}

/* out (group rows x c) = (T o Y)_g C */
PetscErrorCode GepFATYC(GepFA fa, PetscInt m, PetscInt g, PetscInt c, const PetscReal *C, PetscReal *out)
{
  GepFALayer *v  = &fa->v[m];
  PetscInt    r0 = fa->grow[g], ng = fa->grow[g + 1] - r0, D = v->D;
  PetscReal  *Cs;

  PetscFunctionBegin;
  if (v->TY) {
    PetscCall(GepGemm('N', 'N', ng, c, D, 1.0, v->TY + r0 * D, D, C, c, 0.0, out, c));
    PetscFunctionReturn(0);
  }
  PetscCall(PetscMalloc1(D * c + 1, &Cs));
  PetscCall(ScaleByTau(v, g, c, C, Cs));
  PetscCall(GepGemm('N', 'N', ng, c, D, 1.0, v->Y + r0 * D, D, Cs, c, 0.0, out, c));
  PetscCall(PetscFree(Cs));
  PetscFunctionReturn(0);
}

/* out (nloc x c) = O C over all local rows (O the observation mask), C: D x c */
PetscErrorCode GepFAObsC(GepFA fa, PetscInt m, PetscInt c, const PetscReal *C, PetscReal *out)
{
  PetscFunctionBegin;
  PetscCall(ObsRowsC(&fa->v[m], 0, fa->nloc, c, C, out));
  PetscFunctionReturn(0);
}
