/* The GepGNN layer and stack passes in double precision (passes_real.h): the
   default, and what the gradient checks run. */
#include "gnnimpl.h"

#define GEP_REAL     PetscReal
#define GEP_SINGLE   0
#define GEP_RNAME(x) x
#define GEP_F(x)     x
#include "passes_real.h"
