/* Shared by the gradient-check tests: the verdict on a finite-difference
   comparison. num = sum (fd - g)^2, den = sum g^2 over the checked entries;
   passes when sqrt(num / den) <= rtol and the gradient is not all zero (a
   check of nothing is a failure). Prints one line; returns 1 on failure. */
#pragma once
#include <petscsys.h>

static inline PetscInt GradCheckReport(const char *what, PetscReal num, PetscReal den, PetscReal rtol)
{
  PetscReal rel  = den > 0 ? PetscSqrtReal(num / den) : 0;
  PetscBool good = (PetscBool)(rel <= rtol && den > 0);
  PetscCallAbort(PETSC_COMM_WORLD, PetscPrintf(PETSC_COMM_WORLD, "%s: relative error %.2e %s\n", what, (double)rel,
                                               good ? "ok" : "FAIL"));
  return good ? 0 : 1;
}
