/* The tissue options' lists: FIELD:VALUE,... and FIELD:FACE:TYPE[:VALUE],... Errors name the option
   and the entry. */
#include <stdlib.h>
#include <string.h>
#include "tissueimpl.h"

static PetscErrorCode FieldIndex(GepTissue t, const char option[], const char entry[], const char name[], PetscInt *f)
{
  PetscFunctionBegin;
  PetscCall(GepTissueFindField(t, name, f));
  PetscCheck(*f >= 0, t->comm, PETSC_ERR_USER, "%s: '%s' names no field of -tissue_fields", option, entry);
  PetscFunctionReturn(0);
}

static PetscErrorCode Number(GepTissue t, const char option[], const char entry[], const char s[], PetscReal *x)
{
  char *end;

  PetscFunctionBegin;
  *x = strtod(s, &end);
  PetscCheck(s[0] && !*end && !PetscIsInfOrNanReal(*x), t->comm, PETSC_ERR_USER, "%s: '%s': '%s' is not a number",
             option, entry, s);
  PetscFunctionReturn(0);
}

/* FIELD:VALUE,...: set(t, field, value) for each */
PetscErrorCode GepTissueParseFieldValues(GepTissue t, const char option[], const char spec[],
                                         PetscErrorCode (*set)(GepTissue, PetscInt, PetscReal))
{
  char *copy, *save, *entry;

  PetscFunctionBegin;
  PetscCall(PetscStrallocpy(spec, &copy));
  for (entry = strtok_r(copy, ",", &save); entry; entry = strtok_r(NULL, ",", &save)) {
    char     *colon = strrchr(entry, ':');
    PetscInt  f;
    PetscReal x;

    PetscCheck(colon, t->comm, PETSC_ERR_USER, "%s: '%s' is not FIELD:VALUE", option, entry);
    *colon = 0;
    PetscCall(FieldIndex(t, option, entry, entry, &f));
    *colon = ':';
    PetscCall(Number(t, option, entry, colon + 1, &x));
    PetscCall(set(t, f, x));
  }
  PetscCall(PetscFree(copy));
  PetscFunctionReturn(0);
}

/* FIELD:FACE:dirichlet:V, FIELD:FACE:noflux, FIELD:FACE:periodic; FIELD may be * (every field) */
PetscErrorCode GepTissueParseBoundaries(GepTissue t, const char option[], const char spec[])
{
  char *copy, *save, *entry;

  PetscFunctionBegin;
  PetscCall(PetscStrallocpy(spec, &copy));
  for (entry = strtok_r(copy, ",", &save); entry; entry = strtok_r(NULL, ",", &save)) {
    char                 *part[5] = {NULL}, *psave, text[512];
    PetscInt              np = 0, face = -1, f0, f1;
    GepTissueBoundaryType type;
    PetscReal             value = 0;

    PetscCall(PetscStrncpy(text, entry, sizeof(text)));
    for (char *p = strtok_r(entry, ":", &psave); p && np < 5; p = strtok_r(NULL, ":", &psave)) part[np++] = p;
    PetscCheck(np >= 3, t->comm, PETSC_ERR_USER, "%s: '%s' is not FIELD:FACE:dirichlet:V|noflux|periodic", option,
               text);
    for (PetscInt k = 0; k < 6; k++)
      if (!strcmp(part[1], GepTissueFaces[k])) face = k;
    PetscCheck(face >= 0, t->comm, PETSC_ERR_USER, "%s: '%s': unknown face '%s' (xmin, xmax, ymin, ymax, zmin, zmax)",
               option, text, part[1]);
    PetscCheck(face < 2 * t->dim, t->comm, PETSC_ERR_USER, "%s: '%s': a %" PetscInt_FMT "-D grid has no face %s",
               option, text, t->dim, part[1]);
    if (!strcmp(part[2], "dirichlet")) {
      PetscCheck(np == 4, t->comm, PETSC_ERR_USER, "%s: '%s': dirichlet needs a value (FIELD:FACE:dirichlet:V)", option,
                 text);
      PetscCall(Number(t, option, text, part[3], &value));
      type = GEP_BOUNDARY_DIRICHLET;
    } else if (!strcmp(part[2], "noflux") || !strcmp(part[2], "periodic")) {
      PetscCheck(np == 3, t->comm, PETSC_ERR_USER, "%s: '%s': %s takes no value", option, text, part[2]);
      type = part[2][0] == 'n' ? GEP_BOUNDARY_NOFLUX : GEP_BOUNDARY_PERIODIC;
    } else
      SETERRQ(t->comm, PETSC_ERR_USER, "%s: '%s': unknown condition '%s' (dirichlet, noflux, periodic)", option, text,
              part[2]);
    if (!strcmp(part[0], "*")) {
      f0 = 0;
      f1 = t->nfield;
    } else {
      PetscCall(FieldIndex(t, option, text, part[0], &f0));
      f1 = f0 + 1;
    }
    for (PetscInt f = f0; f < f1; f++) PetscCall(GepTissueSetFieldBoundary(t, f, (GepTissueFace)face, type, value));
  }
  PetscCall(PetscFree(copy));
  PetscFunctionReturn(0);
}

PetscErrorCode GepTissueParseCSVNumbers(const char line[], PetscInt max, PetscReal v[], PetscInt *n, const char **rest)
{
  const char *p = line;
  char       *end;

  PetscFunctionBegin;
  while (*p == ' ' || *p == '\t') p++;
  *n    = -1;
  *rest = p;
  if (!*p || *p == '#') PetscFunctionReturn(0);
  for (*n = 0; *n < max;) {
    v[*n] = strtod(p, &end);
    if (end == p) break;
    (*n)++;
    p = end;
    while (*p == ' ' || *p == '\t') p++;
    if (*p != ',') break;
    p++;
  }
  *rest = p;
  PetscFunctionReturn(0);
}
