/* GepScreen: life cycle, options, set-up (readouts, sweeps, conditions) and queries. */
#include <stdlib.h>
#include <string.h>
#include "screenimpl.h"

PetscErrorCode GepScreenCreate(MPI_Comm comm, GepScreen *screen)
{
  GepScreen s;

  PetscFunctionBegin;
  PetscValidPointer(screen, 2);
  PetscCall(GepScreenInitializePackage());
  PetscCall(PetscHeaderCreate(s, GEPSCREEN_CLASSID, "GepScreen", "In-silico screen", "GepScreen", comm,
                              GepScreenDestroy, GepScreenView));
  s->comm            = PetscObjectComm((PetscObject)s);
  s->nrep            = 1;
  s->lhs_samples     = 10;
  s->seed            = 1;
  s->chunk           = 500;
  s->ranks_per       = 1;
  s->steps           = 100;
  s->t0              = 0;
  s->tfinal          = 100;
  s->ss_rtol         = 1e-6;
  s->ss_atol         = 1e-12;
  s->ss_tmax         = -1; /* t0 + 1024 (tfinal - t0) */
  s->commit_interval = 10;
  s->progress        = PETSC_TRUE;
  s->nslice          = 1;
  s->ops->rununit    = GepScreenRunUnit_Ensemble;
  PetscCall(PetscObjectChangeTypeName((PetscObject)s, "ensemble"));
  *screen = s;
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenSetModel(GepScreen s, GepModel m)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, GEPSCREEN_CLASSID, 1);
  PetscCall(PetscObjectReference((PetscObject)m));
  PetscCall(GepModelDestroy(&s->model));
  s->model = m;
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenSetPerturbation(GepScreen s, GepPerturbation p)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, GEPSCREEN_CLASSID, 1);
  PetscCall(PetscObjectReference((PetscObject)p));
  PetscCall(GepPerturbationDestroy(&s->pert));
  s->pert = p;
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenSetOutput(GepScreen s, const char path[])
{
  PetscFunctionBegin;
  PetscCall(PetscFree(s->out));
  PetscCall(PetscStrallocpy(path, &s->out));
  PetscFunctionReturn(0);
}

static PetscErrorCode OptionText(PetscOptionItems *PetscOptionsObject, const char name[], const char help[], char **dst)
{
  char      buf[4096];
  PetscBool set;

  PetscFunctionBegin;
  PetscCall(PetscOptionsString(name, help, "GepScreenSetFromOptions", *dst ? *dst : "", buf, sizeof(buf), &set));
  if (set) {
    PetscCall(PetscFree(*dst));
    PetscCall(PetscStrallocpy(buf, dst));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenSetFromOptions(GepScreen s)
{
  PetscBool set;
  PetscInt  nmax = 256;

  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, GEPSCREEN_CLASSID, 1);
  PetscObjectOptionsBegin((PetscObject)s);
  PetscCall(
    OptionText(PetscOptionsObject, "-screen_genotypes", "Genotypes screened: A,B,... or all", &s->sel_genotypes));
  PetscCall(OptionText(PetscOptionsObject, "-screen_environments", "Environments screened: E,F,... or all",
                       &s->sel_environments));
  PetscCall(OptionText(PetscOptionsObject, "-screen_sweep",
                       "Swept parameters NAME:list:A,B,...|NAME:lin:LO:HI:N|NAME:log:LO:HI:N|NAME:lhs:LO:HI, comma "
                       "separated",
                       &s->sweep_text));
  PetscCall(OptionText(PetscOptionsObject, "-screen_knockouts",
                       "Single knockouts of each genotype: all (every reaction) or ID,...", &s->knockouts));
  PetscCall(PetscOptionsBool("-screen_pairs", "Every pair of the knockouts too", NULL, s->pairs, &s->pairs, NULL));
  PetscCall(OptionText(PetscOptionsObject, "-screen_readouts",
                       "Readouts: formulas over X@T, max(X), min(X), auc(X), ss(X), tthresh(X,LEVEL), comma separated",
                       &s->readout_text));
  PetscCall(PetscOptionsInt("-screen_replicates", "Replicates of each condition (varied by -screen_vary)", NULL,
                            s->nrep, &s->nrep, NULL));
  PetscCall(PetscMalloc1(nmax, &s->vary_spec));
  s->nvary_spec = nmax;
  PetscCall(PetscOptionsStringArray("-screen_vary",
                                    "Replicate variation NAME:DIST:ARGS,... (as -ensemble_vary; replicate r draws "
                                    "the same factors in every condition)",
                                    NULL, s->vary_spec, &s->nvary_spec, &set));
  if (!set) s->nvary_spec = 0;
  PetscCall(
    PetscOptionsInt("-screen_seed", "Seed of the hypercube and of -screen_vary", NULL, s->seed, &s->seed, NULL));
  PetscCall(PetscOptionsInt("-screen_lhs_samples", "Latin hypercube samples of the lhs sweeps", NULL, s->lhs_samples,
                            &s->lhs_samples, NULL));
  PetscCall(PetscOptionsReal("-screen_t0", "Start time", NULL, s->t0, &s->t0, NULL));
  PetscCall(PetscOptionsReal("-screen_tfinal", "End time of the readouts' window", NULL, s->tfinal, &s->tfinal, NULL));
  PetscCall(PetscOptionsInt("-screen_steps", "Output intervals on [t0, tfinal] (max, min, auc, tthresh read them)",
                            NULL, s->steps, &s->steps, NULL));
  PetscCall(PetscOptionsReal("-screen_ss_rtol", "ss(): relative change over an interval that counts as settled", NULL,
                             s->ss_rtol, &s->ss_rtol, NULL));
  PetscCall(
    PetscOptionsReal("-screen_ss_atol", "ss(): absolute part of that change", NULL, s->ss_atol, &s->ss_atol, NULL));
  PetscCall(PetscOptionsReal("-screen_ss_tmax", "ss(): the latest time (default t0 + 1024 (tfinal - t0))", NULL,
                             s->ss_tmax, &s->ss_tmax, NULL));
  PetscCall(PetscOptionsInt("-screen_chunk_size", "Conditions per time stepper (an ensemble chunk)", NULL, s->chunk,
                            &s->chunk, NULL));
  PetscCall(PetscOptionsInt("-screen_ranks_per_condition", "Ranks that integrate a unit of conditions together", NULL,
                            s->ranks_per, &s->ranks_per, NULL));
  PetscCall(OptionText(PetscOptionsObject, "-screen_csv", "The results table as CSV too", &s->csv));
  PetscCall(OptionText(PetscOptionsObject, "-screen_summary_readout",
                       "The readout of the summaries (its text, or its position from 0; default the first)",
                       &s->summary_readout));
  PetscCall(OptionText(
    PetscOptionsObject, "-screen_dose",
    "A swept parameter that is a dose: dose-response curves and Hill fits (NAME-dose-response.csv, .svg)", &s->dose));
  PetscCall(
    OptionText(PetscOptionsObject, "-screen_drugs",
               "Two swept parameters that are drugs: Bliss and HSA synergy on their grid (-synergy.csv, -bliss.svg, "
               "-hsa.svg)",
               &s->drugs));
  PetscCall(PetscOptionsReal("-screen_commit_interval", "Seconds between commits of results to the file", NULL,
                             s->commit_interval, &s->commit_interval, NULL));
  PetscCall(PetscOptionsBool("-screen_progress", "Progress lines", NULL, s->progress, &s->progress, NULL));
  {
    char      slice[64] = "";
    PetscBool set;
    PetscCall(PetscOptionsString("-screen_slice",
                                 "This run's share I/N of the units (I = 0 .. N-1; a job array's task): "
                                 "combine the N files with gepsim screen-merge",
                                 "GepScreenSetFromOptions", slice, slice, sizeof(slice), &set));
    if (set) {
      char *end;
      long  i = strtol(slice, &end, 10), n = *end == '/' ? strtol(end + 1, &end, 10) : 0;
      PetscCheck(!*end && n >= 1 && i >= 0 && i < n, s->comm, PETSC_ERR_USER,
                 "-screen_slice '%s': expected I/N with 0 <= I < N", slice);
      s->slice  = (PetscInt)i;
      s->nslice = (PetscInt)n;
    }
  }
  PetscCall(PetscOptionsBool("-screen_resume",
                             "Go on with OUTPUT.part of a screen that stopped (killed, or SIGTERM): its done units are "
                             "kept; without that file the screen starts",
                             NULL, s->resume, &s->resume, NULL));
  PetscCall(PetscOptionsName("-screen_view", "View the screen after set-up", "GepScreenView", NULL));
  PetscOptionsEnd();
  PetscCheck(s->nrep >= 1, s->comm, PETSC_ERR_USER, "-screen_replicates must be at least 1");
  PetscCheck(s->lhs_samples >= 1, s->comm, PETSC_ERR_USER, "-screen_lhs_samples must be at least 1");
  PetscCheck(s->chunk >= 1, s->comm, PETSC_ERR_USER, "-screen_chunk_size must be at least 1");
  PetscCheck(s->steps >= 1, s->comm, PETSC_ERR_USER, "-screen_steps must be at least 1");
  PetscCheck(s->tfinal > s->t0, s->comm, PETSC_ERR_USER, "-screen_tfinal must be greater than -screen_t0");
  PetscCheck(s->ss_rtol >= 0 && s->ss_atol >= 0, s->comm, PETSC_ERR_USER, "-screen_ss_rtol and _atol must be >= 0");
  PetscFunctionReturn(0);
}

static PetscErrorCode SetUpLocal(void *ctx)
{
  GepScreen   s = (GepScreen)ctx;
  PetscMPIInt size;

  PetscFunctionBegin;
  PetscCall(GepModelLoad(s->model));
  PetscCall(GepScreenParseReadouts(s));
  PetscCall(GepModelSetOutputs(s->model, s->nout, (const char *const *)s->outname, NULL));
  PetscCall(GepModelSetUp(s->model));
  PetscCall(GepScreenCompileReadouts(s));
  PetscCall(GepScreenParseSweeps(s));
  {
    PetscInt r;
    PetscCall(GepScreenCheckSummaries(s, &r));
  }
  if (s->ss_tmax < 0) s->ss_tmax = s->t0 + 1024 * (s->tfinal - s->t0);
  PetscCheck(!s->has_ss || s->ss_tmax >= s->t0 + 2 * (s->tfinal - s->t0), PETSC_COMM_SELF, PETSC_ERR_USER,
             "-screen_ss_tmax %g leaves ss() no time after tfinal (at least t0 + 2 (tfinal - t0))", (double)s->ss_tmax);
  PetscCall(GepScreenOutputTimes(s));
  PetscCall(GepModelGetNumParameters(s->model, &s->np));
  PetscCall(PetscMalloc1(s->np, &s->nominal));
  PetscCall(GepModelGetParameterValues(s->model, s->nominal));
  PetscCallMPI(MPI_Comm_size(s->comm, &size));
  PetscCheck(s->ranks_per >= 1 && size % s->ranks_per == 0, PETSC_COMM_SELF, PETSC_ERR_USER,
             "-screen_ranks_per_condition %" PetscInt_FMT " must divide the %d ranks", s->ranks_per, size);
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenSetUp(GepScreen s)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, GEPSCREEN_CLASSID, 1);
  if (s->setup) PetscFunctionReturn(0);
  PetscCheck(s->model && s->pert, s->comm, PETSC_ERR_ORDER, "Set the screen's model and perturbation first");
  PetscCall(PetscLogEventBegin(GEP_ScreenSetUp, 0, 0, 0, 0));
  PetscCall(GepRunShared(s->comm, SetUpLocal, s)); /* every rank parses the same text */
  PetscCall(GepPerturbationSetUp(s->pert));
  PetscCall(GepScreenSelectConditions(s));
  s->unit  = s->chunk * s->ranks_per;
  s->nunit = (s->N + s->unit - 1) / s->unit;
  PetscCall(GepScreenCheckSolverOptions(s));
  PetscCall(PetscLogEventEnd(GEP_ScreenSetUp, 0, 0, 0, 0));
  s->setup = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenView(GepScreen s, PetscViewer v)
{
  PetscFunctionBegin;
  PetscValidHeaderSpecific(s, GEPSCREEN_CLASSID, 1);
  if (!v) PetscCall(PetscViewerASCIIGetStdout(s->comm, &v));
  PetscCall(PetscObjectPrintClassNamePrefixType((PetscObject)s, v));
  if (!s->setup) PetscFunctionReturn(0);
  PetscCall(PetscViewerASCIIPushTab(v));
  PetscCall(PetscViewerASCIIPrintf(v,
                                   "%" PetscInt_FMT " conditions = %" PetscInt_FMT " genotypes x %" PetscInt_FMT
                                   " environments x %" PetscInt_FMT " sweep points x %" PetscInt_FMT " replicates\n",
                                   s->N, s->ngeno, s->nenv, s->npoint, s->nrep));
  PetscCall(PetscViewerASCIIPrintf(v,
                                   "%" PetscInt_FMT " readouts over %" PetscInt_FMT " outputs at %" PetscInt_FMT
                                   " times (%" PetscInt_FMT " up to tfinal); units of %" PetscInt_FMT
                                   " conditions on groups of %" PetscInt_FMT " rank(s)\n",
                                   s->nread, s->nout, s->T, s->kfinal + 1, s->unit, s->ranks_per));
  for (PetscInt i = 0; i < s->nread; i++) PetscCall(PetscViewerASCIIPrintf(v, "readout %s\n", s->read[i].text));
  PetscCall(PetscViewerASCIIPopTab(v));
  PetscFunctionReturn(0);
}

PetscBool GepScreenInterrupted(GepScreen s)
{
  return s->interrupted;
}

PetscErrorCode GepScreenGetNumConditions(GepScreen s, PetscInt *N)
{
  PetscFunctionBegin;
  *N = s->N;
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenGetResults(GepScreen s, PetscInt *nread, const PetscReal **table, const PetscInt **status)
{
  PetscFunctionBegin;
  if (nread) *nread = s->nread;
  if (table) *table = s->table;
  if (status) *status = s->status;
  PetscFunctionReturn(0);
}

static PetscErrorCode FreeStrings(PetscInt n, char ***a)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < n && *a; i++) PetscCall(PetscFree((*a)[i]));
  PetscCall(PetscFree(*a));
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenDestroy(GepScreen *screen)
{
  GepScreen s = *screen;

  PetscFunctionBegin;
  if (!s) PetscFunctionReturn(0);
  PetscValidHeaderSpecific(s, GEPSCREEN_CLASSID, 1);
  if (--((PetscObject)s)->refct > 0) {
    *screen = NULL;
    PetscFunctionReturn(0);
  }
  for (PetscInt i = 0; i < s->nread; i++) {
    PetscCall(PetscFree(s->read[i].text));
    PetscCall(PetscFree(s->read[i].formula_text));
    PetscCall(PetscFree(s->read[i].prim));
    PetscCall(GepFormulaDestroy(&s->read[i].formula));
  }
  PetscCall(PetscFree(s->read));
  for (PetscInt j = 0; j < s->nsweep; j++) {
    PetscCall(PetscFree(s->sweep[j].name));
    PetscCall(PetscFree(s->sweep[j].values));
  }
  PetscCall(PetscFree(s->sweep));
  PetscCall(FreeStrings(s->nvary_spec, &s->vary_spec));
  PetscCall(FreeStrings(s->nout, &s->outname));
  PetscCall(FreeStrings(s->table ? s->N : 0, &s->reason));
  PetscCall(PetscFree(s->point));
  PetscCall(PetscFree(s->prim));
  PetscCall(PetscFree(s->times));
  PetscCall(PetscFree(s->blockbuf));
  PetscCall(PetscFree4(s->geno, s->ko_bg, s->ko_a, s->ko_b));
  PetscCall(FreeStrings(s->nko, &s->ko_target));
  PetscCall(PetscFree(s->summary_readout));
  PetscCall(PetscFree(s->dose));
  PetscCall(PetscFree(s->drugs));
  PetscCall(PetscFree(s->env));
  PetscCall(PetscFree(s->vary));
  PetscCall(PetscFree(s->repfactor));
  PetscCall(PetscFree(s->nominal));
  PetscCall(PetscFree(s->table));
  PetscCall(PetscFree(s->wall));
  PetscCall(PetscFree(s->status));
  PetscCall(PetscFree(s->ss_reached));
  PetscCall(PetscFree(s->unit_done));
  PetscCall(PetscFree(s->ubuf));
  PetscCall(PetscFree(s->ureason));
  PetscCall(PetscFree(s->sel_genotypes));
  PetscCall(PetscFree(s->sel_environments));
  PetscCall(PetscFree(s->knockouts));
  PetscCall(PetscFree(s->sweep_text));
  PetscCall(PetscFree(s->readout_text));
  PetscCall(PetscFree(s->out));
  PetscCall(PetscFree(s->csv));
  if (s->gcomm != MPI_COMM_NULL && s->gcomm) PetscCallMPI(MPI_Comm_free(&s->gcomm));
  PetscCall(GepPerturbationDestroy(&s->pert));
  PetscCall(GepModelDestroy(&s->model));
  PetscCall(PetscHeaderDestroy(screen));
  PetscFunctionReturn(0);
}
