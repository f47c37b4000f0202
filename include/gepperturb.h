/* gepsim: GepPerturbation — the genotype x environment layer (docs/formats.md).
 *
 * A variant is one or more edits of model targets (set, scale, add, knockout,
 * overexpress) at a scope (only cell, the pathway model, exists yet). A genotype is
 * variants with a dosage 0, 1 or 2: an edit at dosage d acts by the fraction d/2 of
 * its homozygous effect (a scale s multiplies by 1 + d(s - 1)/2; a heterozygous
 * knockout halves the target). An environment is inputs: fixed edits and dose
 * schedules START:INTERVAL:COUNT:AMOUNT of a state. The wild type "wt" and the
 * reference environment "ref" always exist and change nothing.
 *
 * Options (prefix -perturb_): variants, genotypes, environments (TSV files). */
#pragma once
#include "gepmodel.h"
#include "gepensemble.h"

typedef struct _p_GepPerturbation *GepPerturbation;

PETSC_EXTERN PetscClassId   GEPPERTURBATION_CLASSID;
PETSC_EXTERN PetscErrorCode GepPerturbationInitializePackage(void);
PETSC_EXTERN PetscErrorCode GepPerturbationCreate(MPI_Comm, GepPerturbation *);
PETSC_EXTERN PetscErrorCode GepPerturbationSetModel(GepPerturbation, GepModel);
PETSC_EXTERN PetscErrorCode GepPerturbationSetFiles(GepPerturbation, const char variants[], const char genotypes[],
                                                    const char environments[]);
PETSC_EXTERN PetscErrorCode GepPerturbationGetFiles(GepPerturbation, const char **variants, const char **genotypes,
                                                    const char **environments);
PETSC_EXTERN PetscErrorCode GepPerturbationSetFromOptions(GepPerturbation);
/* reads the files and checks every id against the model (which it sets up) */
PETSC_EXTERN PetscErrorCode GepPerturbationSetUp(GepPerturbation);
PETSC_EXTERN PetscErrorCode GepPerturbationView(GepPerturbation, PetscViewer);
PETSC_EXTERN PetscErrorCode GepPerturbationDestroy(GepPerturbation *);

/* Genotypes (0 is wt) and environments (0 is ref), by index and by name (-1 if unknown). */
PETSC_EXTERN PetscErrorCode GepPerturbationGetNumGenotypes(GepPerturbation, PetscInt *);
PETSC_EXTERN PetscErrorCode GepPerturbationGetGenotypeName(GepPerturbation, PetscInt, const char **);
PETSC_EXTERN PetscErrorCode GepPerturbationFindGenotype(GepPerturbation, const char[], PetscInt *);
PETSC_EXTERN PetscErrorCode GepPerturbationGetNumEnvironments(GepPerturbation, PetscInt *);
PETSC_EXTERN PetscErrorCode GepPerturbationGetEnvironmentName(GepPerturbation, PetscInt, const char **);
PETSC_EXTERN PetscErrorCode GepPerturbationFindEnvironment(GepPerturbation, const char[], PetscInt *);
/* A genotype: background's variants, then a homozygous knockout of each target. Its name
   is ko:A+B on the wild type, BACKGROUND/ko:A+B otherwise. */
PETSC_EXTERN PetscErrorCode GepPerturbationAddKnockout(GepPerturbation, PetscInt background, PetscInt n,
                                                       const char *const targets[], PetscInt *genotype);

/* Edit a parameter vector (GepModelGetParameterValues' layout) for a genotype, then an environment. */
PETSC_EXTERN PetscErrorCode GepPerturbationApply(GepPerturbation, PetscInt genotype, PetscInt environment,
                                                 PetscReal p[]);
/* an environment's doses in time order (GepEnsembleSetDoses' records) */
PETSC_EXTERN PetscErrorCode GepPerturbationGetDoses(GepPerturbation, PetscInt environment, PetscInt *n,
                                                    const GepDose **doses);
