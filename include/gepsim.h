/* gepsim umbrella header: every public header of libgepsim. */
#pragma once
#include "gepsys.h"
#include "gepdeck.h"
#include "geph5.h"
#include "gepsvg.h"
#include "gepmodel.h"
#include "gepensemble.h"
#include "gepperturb.h"
#include "gepscreen.h"
#include "gepomics.h"
#include "gepfa.h"
#include "gepgraph.h"
#include "gepgnn.h"
