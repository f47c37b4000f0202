/* The GepGNN layer and stack passes in single precision (passes_real.h):
   -gnn_precision single, float32 as PyTorch trains MOGONET. */
#include "gnnimpl.h"

#define GEP_REAL     float
#define GEP_SINGLE   1
#define GEP_RNAME(x) x##Single
#define GEP_F(x)     x##_s
#include "passes_real.h"
