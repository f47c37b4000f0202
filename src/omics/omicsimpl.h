/* GepOmics internals. */
#pragma once
#include <stdio.h>
#include "gepomics.h"
#include "gepsys.h"

struct _p_GepOmics {
  MPI_Comm    comm;
  char       *file;
  PetscBool   loaded;
  PetscInt    M, G, N, nloc, first;
  char      **views, **groups;
  PetscInt   *D;            /* features per view */
  char     ***features;     /* per view */
  char      **samples;      /* all N, group by group */
  PetscInt   *gstart;       /* G + 1 global offsets of the groups */
  PetscInt   *sgroup;       /* group of each local sample */
  PetscReal **data;         /* per view: nloc x D[m] */
  /* delimited-text input: one file per view */
  char      **csv, **viewnames, *longfile;
  PetscInt    ncsv, nviewnames;
  PetscBool   samples_in_rows;
};

PETSC_INTERN PetscErrorCode GepOmicsReadMOFA(GepOmics);
PETSC_INTERN PetscErrorCode GepOmicsReadCSV(GepOmics);
PETSC_INTERN PetscErrorCode GepOmicsReadLong(GepOmics);
/* next line of a text file without its end-of-line characters; its length, or -1 at the end */
static inline ssize_t GepGetLine(FILE *fp, char **line, size_t *cap)
{
  ssize_t len = getline(line, cap, fp);

  while (len > 0 && ((*line)[len - 1] == '\n' || (*line)[len - 1] == '\r')) (*line)[--len] = 0;
  return len;
}

/* split a line of a delimited file in place into fields (quotes removed) */
PETSC_INTERN PetscErrorCode GepSplitLine(char *line, char delim, char ***fields, PetscInt *n, PetscInt *cap);
