/* Shared by the GNN tests: MOGONET-style headerless numeric CSVs (samples x
   features) read into row blocks. */
#pragma once
#include <stdio.h>
#include <stdlib.h>
#include <petscsys.h>

/* this rank's block (row-major, rows [*first, *first + *nloc)) of the rows of
   headerless numeric CSVs, one after the other; every rank reads the files */
static inline PetscErrorCode TestReadCSVRows(MPI_Comm comm, PetscInt nf, char paths[][PETSC_MAX_PATH_LEN], PetscInt *N,
                                             PetscInt *D, PetscInt *nloc, PetscInt *first, PetscReal **X)
{
  char     line[65536];
  PetscInt rows = 0, cols = 0, rstart = 0, r = 0;

  PetscFunctionBegin;
  for (PetscInt f = 0; f < nf; f++) {
    FILE *fp = fopen(paths[f], "r");
    PetscCheck(fp, comm, PETSC_ERR_FILE_OPEN, "%s: cannot open", paths[f]);
    while (fgets(line, sizeof(line), fp)) {
      if (rows == 0)
        for (char *c = line; *c; c++) cols += *c == ',';
      rows++;
    }
    fclose(fp);
  }
  cols++;
  *N    = rows;
  *D    = cols;
  *nloc = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(comm, nloc, N));
  PetscCallMPI(MPI_Scan(nloc, &rstart, 1, MPIU_INT, MPI_SUM, comm));
  rstart -= *nloc;
  PetscCall(PetscMalloc1(*nloc * cols + 1, X));
  for (PetscInt f = 0; f < nf; f++) {
    FILE *fp = fopen(paths[f], "r");
    while (fgets(line, sizeof(line), fp)) {
      char *p = line, *end;
      if (r >= rstart && r < rstart + *nloc)
        for (PetscInt d = 0; d < cols; d++) {
          (*X)[(r - rstart) * cols + d] = strtod(p, &end);
          PetscCheck(end != p, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
                     "%s: row %" PetscInt_FMT ", field %" PetscInt_FMT " is not a number", paths[f], r + 1, d + 1);
          p = end + (*end == ',');
        }
      r++;
    }
    fclose(fp);
  }
  *first = rstart;
  PetscFunctionReturn(0);
}
