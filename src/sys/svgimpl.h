/* Shared pieces of gepsim's SVG figures. */
#pragma once
#include <stdio.h>
#include "gepsvg.h"
#include "gepsys.h"

PETSC_INTERN const char *const GepSVGPalette[10];
PETSC_INTERN PetscReal         GepSVGNiceStep(PetscReal range);
PETSC_INTERN void              GepSVGEscape(FILE *, const char *);
PETSC_INTERN void GepSVGFrame(FILE *, double L, double T, double R, double Bm, double W, double H, double ylabel_x,
                              const char *xlabel, const char *ylabel);
PETSC_INTERN PetscErrorCode GepSVGOpen(const char path[], const char title[], double W, double H, char tmp[],
                                       size_t len, FILE **);
PETSC_INTERN PetscErrorCode GepSVGClose(FILE *, const char tmp[], const char path[]);
