/* gepsim: SVG figures written by gepsim itself (no plotting dependency). */
#pragma once
#include <petscsys.h>

typedef struct {
  const char      *label;
  const PetscReal *y;      /* n values: the line (e.g. the median) */
  const PetscReal *lo, *hi; /* optional band (e.g. 5 % and 95 % quantiles), or NULL */
} GepSVGSeries;

/* A line plot of series over x, one colour each, with axes, ticks and a legend.
   Serial: call it on one rank. Written under a temporary name, then renamed. */
PETSC_EXTERN PetscErrorCode GepSVGLinePlot(const char path[], const char title[], const char xlabel[], const char ylabel[], PetscInt n, const PetscReal x[], PetscInt nseries, const GepSVGSeries series[]);
