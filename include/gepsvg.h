/* gepsim: SVG figures written by gepsim itself (no plotting dependency). */
#pragma once
#include <petscsys.h>

typedef struct {
  const char      *label;
  const PetscReal *y;       /* n values: the line (e.g. the median) */
  const PetscReal *lo, *hi; /* optional band (e.g. 5 % and 95 % quantiles), or NULL */
  const PetscReal *marks;   /* optional points drawn as dots (NaN: none at that x), or NULL */
} GepSVGSeries;

/* A line plot of series over x, one colour each, with axes, ticks and a legend.
   Serial: call it on one rank. Written under a temporary name, then renamed. */
PETSC_EXTERN PetscErrorCode GepSVGLinePlot(const char path[], const char title[], const char xlabel[],
                                           const char ylabel[], PetscInt n, const PetscReal x[], PetscInt nseries,
                                           const GepSVGSeries series[]);

/* A heatmap of nr x nc values (row-major), white to blue up to the largest value,
   each cell labelled with its value. Serial. */
PETSC_EXTERN PetscErrorCode GepSVGHeatmap(const char path[], const char title[], PetscInt nr, PetscInt nc,
                                          const char *const rows[], const char *const cols[], const PetscReal values[]);
/* The same for signed values: blue below 0, white at 0, red above, symmetric (synergy, interaction). */
PETSC_EXTERN PetscErrorCode GepSVGHeatmapDiverging(const char path[], const char title[], PetscInt nr, PetscInt nc,
                                                   const char *const rows[], const char *const cols[],
                                                   const PetscReal values[]);
/* A scatter plot of n points coloured by category (cat[i] in 0..ncat-1, or -1:
   grey, "unknown"), with a legend. Serial. */
PETSC_EXTERN PetscErrorCode GepSVGScatter(const char path[], const char title[], const char xlabel[],
                                          const char ylabel[], PetscInt n, const PetscReal x[], const PetscReal y[],
                                          const PetscInt cat[], PetscInt ncat, const char *const catlabels[]);
