/* GepPerturbation internals. */
#pragma once
#include <petsc/private/petscimpl.h>
#include "gepperturb.h"
#include "gepsys.h"

PETSC_INTERN PetscLogEvent GEP_PerturbSetUp;

/* every operation is one of three: knockout is scale 0, overexpress is scale by the value */
typedef enum { GEP_EDIT_SET, GEP_EDIT_SCALE, GEP_EDIT_ADD } GepEditOp;

typedef struct {
  PetscInt  param; /* GepModel parameter index */
  GepEditOp op;
  PetscReal value;
} GepEdit;

typedef struct {
  char    *name;
  GepEdit *edit;
  PetscInt nedit;
} GepVariant;

typedef struct {
  char     *name;
  PetscInt *variant, *dosage;
  PetscInt  nvariant;
} GepGenotype;

typedef struct {
  char    *name;
  GepEdit *edit;
  PetscInt nedit;
  GepDose *dose; /* in time order */
  PetscInt ndose;
} GepEnvironment;

/* one row of a TSV table: its fields and its line number */
typedef struct {
  char   **field;
  PetscInt nfield, line;
} GepTableRow;

typedef struct {
  const char  *path;
  char        *text; /* the file, its lines cut in place */
  GepTableRow *row;  /* the data rows (not the header), blank and # lines left out */
  PetscInt     nrow;
} GepTable;

/* what reads the variant, genotype and environment tables (TSV) */
typedef struct _GepPerturbationOps *GepPerturbationOps;
struct _GepPerturbationOps {
  PetscErrorCode (*read)(GepPerturbation);
};

struct _p_GepPerturbation {
  PETSCHEADER(struct _GepPerturbationOps);
  MPI_Comm        comm;
  GepModel        model;
  char           *file_variants, *file_genotypes, *file_environments;
  PetscBool       setup;
  GepVariant     *var;
  PetscInt        nvar;
  GepGenotype    *geno; /* 0: wt */
  PetscInt        ngeno, capgeno;
  GepEnvironment *env; /* 0: ref */
  PetscInt        nenv;
};

PETSC_INTERN PetscErrorCode GepTableRead(const char path[], const char *const columns[], PetscInt nrequired,
                                         PetscInt ncolumns, GepTable *);
PETSC_INTERN PetscErrorCode GepTableDestroy(GepTable *);
PETSC_INTERN PetscErrorCode GepPerturbationRead_TSV(GepPerturbation);
PETSC_INTERN PetscErrorCode GepPerturbationReadEnvironments(GepPerturbation);
PETSC_INTERN PetscErrorCode GepPerturbationParseEdit(GepPerturbation, const char path[], PetscInt line,
                                                     const char target[], const char op[], const char value[],
                                                     GepEdit *);
/* the index of the variant NAME, or -1 */
PETSC_INTERN PetscErrorCode GepPerturbationFindVariant(GepPerturbation, const char name[], PetscInt *);
PETSC_INTERN PetscErrorCode GepPerturbationAddGenotype(GepPerturbation, const char name[], PetscInt *);
