/* The results table as CSV (rank 0): condition, genotype, environment, replicate,
   status, one column per swept parameter (its id), one per readout (its text as
   given, quoted where it holds a comma). Numbers with 17 digits: the HDF5 file's. */
#include <string.h>
#include "screenimpl.h"

static void Field(FILE *fp, const char *s)
{
  if (!strpbrk(s, ",\"\n")) {
    fputs(s, fp);
    return;
  }
  fputc('"', fp);
  for (; *s; s++) {
    if (*s == '"') fputc('"', fp);
    fputc(*s, fp);
  }
  fputc('"', fp);
}

PetscErrorCode GepScreenWriteCSV(GepScreen s)
{
  static const char *const status[] = {"not run", "ok", "failed"};
  char                     tmp[PETSC_MAX_PATH_LEN];
  FILE                    *fp;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_Output, 0, 0, 0, 0));
  PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.part", s->csv));
  PetscCall(GepTempFileRegister(tmp));
  fp = fopen(tmp, "w");
  PetscCheck(fp, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "-screen_csv %s: cannot create", s->csv);
  fputs("condition,genotype,environment,replicate,status", fp);
  for (PetscInt j = 0; j < s->nsweep; j++) {
    fputc(',', fp);
    Field(fp, s->sweep[j].name);
  }
  for (PetscInt j = 0; j < s->nread; j++) {
    fputc(',', fp);
    Field(fp, s->read[j].text);
  }
  fputc('\n', fp);
  for (PetscInt c = 0; c < s->N; c++) {
    PetscInt    g, e, pt, r;
    const char *gn, *en;
    PetscCall(GepScreenConditionIndices(s, c, &g, &e, &pt, &r));
    PetscCall(GepPerturbationGetGenotypeName(s->pert, g, &gn));
    PetscCall(GepPerturbationGetEnvironmentName(s->pert, e, &en));
    fprintf(fp, "%" PetscInt_FMT ",", c);
    Field(fp, gn);
    fputc(',', fp);
    Field(fp, en);
    fprintf(fp, ",%" PetscInt_FMT ",%s", r, status[PetscMax(0, PetscMin(2, s->status[c]))]);
    for (PetscInt j = 0; j < s->nsweep; j++) fprintf(fp, ",%.17g", (double)s->point[pt * s->nsweep + j]);
    for (PetscInt j = 0; j < s->nread; j++) fprintf(fp, ",%.17g", (double)s->table[c * s->nread + j]);
    fputc('\n', fp);
  }
  PetscCheck(fclose(fp) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "-screen_csv %s: cannot write", s->csv);
  PetscCall(GepTempFileCommit(PETSC_COMM_SELF, tmp, s->csv));
  PetscCall(PetscLogEventEnd(GEP_Output, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}
