/* gepsim umbrella header. */
#pragma once
#include "gepsys.h"
#include "gepmodel.h"
#include "gepensemble.h"
#include "geph5.h"
#include "gepsvg.h"
#include "gepcli.h"
