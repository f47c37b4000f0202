/* The results file of a screen, written by rank 0 while the screen runs (rows arrive
   in any order, so collective writes would make every rank wait for the slowest
   unit). Kill-safety by layout: the file and all its datasets are made at the start,
   contiguous and allocated (filled with NaN, status 0 = not run); after that only raw
   rows are written, never metadata, so the file stays one that h5dump reads whenever
   the run is killed. A commit writes the finished units' rows, their status last,
   flushes, then appends the units to a journal (PATH.part.journal) and syncs it.
   The file is PATH.part until the screen is complete, then renamed to PATH. */
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "screenimpl.h"
#include "gepdeck.h"

static PetscErrorCode Dataset(hid_t file, const char name[], hid_t type, int rank, const hsize_t dims[],
                              const void *fill, hid_t *ds)
{
  hid_t space, dcpl;

  PetscFunctionBegin;
  GepCallHDF5Return(space, H5Screate_simple, (rank, dims, NULL));
  GepCallHDF5Return(dcpl, H5Pcreate, (H5P_DATASET_CREATE));
  GepCallHDF5(H5Pset_layout, (dcpl, H5D_CONTIGUOUS));
  GepCallHDF5(H5Pset_alloc_time, (dcpl, H5D_ALLOC_TIME_EARLY));
  GepCallHDF5(H5Pset_fill_time, (dcpl, H5D_FILL_TIME_ALLOC));
  if (fill) GepCallHDF5(H5Pset_fill_value, (dcpl, type, fill));
  GepCallHDF5(H5Pset_obj_track_times, (dcpl, 0)); /* no time stamps: writes touch raw data only */
  GepCallHDF5Return(*ds, H5Dcreate2, (file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT));
  GepCallHDF5(H5Pclose, (dcpl));
  GepCallHDF5(H5Sclose, (space));
  PetscFunctionReturn(0);
}

/* rows [first, first + n) of a dataset of width columns (1 for a vector) */
static PetscErrorCode WriteRows(hid_t ds, hid_t memtype, hsize_t first, hsize_t n, hsize_t width, const void *buf)
{
  hid_t   fspace, mspace;
  hsize_t start[2] = {first, 0}, count[2] = {n, width};
  int     rank;

  PetscFunctionBegin;
  if (!n) PetscFunctionReturn(0);
  GepCallHDF5Return(fspace, H5Dget_space, (ds));
  GepCallHDF5Return(rank, H5Sget_simple_extent_ndims, (fspace));
  GepCallHDF5(H5Sselect_hyperslab, (fspace, H5S_SELECT_SET, start, NULL, count, NULL));
  GepCallHDF5Return(mspace, H5Screate_simple, (rank, count, NULL));
  GepCallHDF5(H5Dwrite, (ds, memtype, mspace, fspace, H5P_DEFAULT, buf));
  GepCallHDF5(H5Sclose, (mspace));
  GepCallHDF5(H5Sclose, (fspace));
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenStringType(size_t len, hid_t *t)
{
  PetscFunctionBegin;
  GepCallHDF5Return(*t, H5Tcopy, (H5T_C_S1));
  GepCallHDF5(H5Tset_size, (*t, len));
  GepCallHDF5(H5Tset_strpad, (*t, H5T_STR_NULLTERM));
  PetscFunctionReturn(0);
}

/* a small dataset of names, written at once */
/* n strings packed as fixed-length (the longest + 1) HDF5 strings */
static PetscErrorCode PackStrings(PetscInt n, const char *const s[], hid_t *t, char **buf)
{
  size_t len = 2;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < n; i++) len = PetscMax(len, strlen(s[i]) + 1);
  PetscCall(PetscCalloc1(len * (size_t)n + 1, buf));
  for (PetscInt i = 0; i < n; i++) PetscCall(PetscStrncpy(*buf + (size_t)i * len, s[i], len));
  PetscCall(GepScreenStringType(len, t));
  PetscFunctionReturn(0);
}

static PetscErrorCode Names(hid_t file, const char name[], PetscInt n, const char *const s[])
{
  hid_t   t, ds;
  hsize_t dims = (hsize_t)n;
  char   *buf;

  PetscFunctionBegin;
  PetscCall(PackStrings(n, s, &t, &buf));
  PetscCall(Dataset(file, name, t, 1, &dims, NULL, &ds));
  PetscCall(WriteRows(ds, t, 0, dims, 1, buf));
  GepCallHDF5(H5Dclose, (ds));
  GepCallHDF5(H5Tclose, (t));
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}

static PetscErrorCode AttrString(hid_t obj, const char name[], const char value[])
{
  hid_t t, space, a;

  PetscFunctionBegin;
  PetscCall(GepScreenStringType(strlen(value) + 1, &t));
  GepCallHDF5Return(space, H5Screate, (H5S_SCALAR));
  GepCallHDF5Return(a, H5Acreate2, (obj, name, t, space, H5P_DEFAULT, H5P_DEFAULT));
  GepCallHDF5(H5Awrite, (a, t, value));
  GepCallHDF5(H5Aclose, (a));
  GepCallHDF5(H5Sclose, (space));
  GepCallHDF5(H5Tclose, (t));
  PetscFunctionReturn(0);
}

/* n strings as an attribute of obj (the readouts' texts: one per column) */
static PetscErrorCode AttrNames(hid_t obj, const char name[], PetscInt n, const char *const s[])
{
  hid_t   t, space, a;
  hsize_t dims = (hsize_t)n;
  char   *buf;

  PetscFunctionBegin;
  PetscCall(PackStrings(n, s, &t, &buf));
  GepCallHDF5Return(space, H5Screate_simple, (1, &dims, NULL));
  GepCallHDF5Return(a, H5Acreate2, (obj, name, t, space, H5P_DEFAULT, H5P_DEFAULT));
  GepCallHDF5(H5Awrite, (a, t, buf));
  GepCallHDF5(H5Aclose, (a));
  GepCallHDF5(H5Sclose, (space));
  GepCallHDF5(H5Tclose, (t));
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}

static PetscErrorCode AttrInt(hid_t obj, const char name[], PetscInt value)
{
  hid_t     space, a;
  long long v = value;

  PetscFunctionBegin;
  GepCallHDF5Return(space, H5Screate, (H5S_SCALAR));
  GepCallHDF5Return(a, H5Acreate2, (obj, name, H5T_NATIVE_LLONG, space, H5P_DEFAULT, H5P_DEFAULT));
  GepCallHDF5(H5Awrite, (a, H5T_NATIVE_LLONG, &v));
  GepCallHDF5(H5Aclose, (a));
  GepCallHDF5(H5Sclose, (space));
  PetscFunctionReturn(0);
}

/* the conditions: indices into the name lists, the swept values, the replicate */
static PetscErrorCode WriteConditions(GepScreen s, hid_t file)
{
  PetscInt     ng, ne, *gi, *ei, *ri;
  PetscReal   *sw;
  const char **names;
  hid_t        ds;
  hsize_t      N = (hsize_t)s->N, dims[2] = {(hsize_t)s->N, (hsize_t)s->nsweep};

  PetscFunctionBegin;
  PetscCall(PetscMalloc4(s->N, &gi, s->N, &ei, s->N, &ri, s->N * s->nsweep + 1, &sw));
  for (PetscInt c = 0; c < s->N; c++) {
    PetscInt pt;
    PetscCall(GepScreenConditionIndices(s, c, &gi[c], &ei[c], &pt, &ri[c]));
    for (PetscInt j = 0; j < s->nsweep; j++) sw[c * s->nsweep + j] = s->point[pt * s->nsweep + j];
  }
  PetscCall(Dataset(file, "/screen/conditions/genotype", H5T_NATIVE_LLONG, 1, &N, NULL, &ds));
  PetscCall(WriteRows(ds, sizeof(PetscInt) == 8 ? H5T_NATIVE_LLONG : H5T_NATIVE_INT, 0, N, 1, gi));
  GepCallHDF5(H5Dclose, (ds));
  PetscCall(Dataset(file, "/screen/conditions/environment", H5T_NATIVE_LLONG, 1, &N, NULL, &ds));
  PetscCall(WriteRows(ds, sizeof(PetscInt) == 8 ? H5T_NATIVE_LLONG : H5T_NATIVE_INT, 0, N, 1, ei));
  GepCallHDF5(H5Dclose, (ds));
  PetscCall(Dataset(file, "/screen/conditions/replicate", H5T_NATIVE_LLONG, 1, &N, NULL, &ds));
  PetscCall(WriteRows(ds, sizeof(PetscInt) == 8 ? H5T_NATIVE_LLONG : H5T_NATIVE_INT, 0, N, 1, ri));
  GepCallHDF5(H5Dclose, (ds));
  if (s->nsweep) {
    PetscCall(Dataset(file, "/screen/conditions/swept", H5T_NATIVE_DOUBLE, 2, dims, NULL, &ds));
    PetscCall(WriteRows(ds, H5T_NATIVE_DOUBLE, 0, N, dims[1], sw));
    GepCallHDF5(H5Dclose, (ds));
  }
  PetscCall(PetscFree4(gi, ei, ri, sw));
  PetscCall(GepPerturbationGetNumGenotypes(s->pert, &ng));
  PetscCall(GepPerturbationGetNumEnvironments(s->pert, &ne));
  PetscCall(PetscMalloc1(PetscMax(PetscMax(ng, ne), PetscMax(s->nsweep, s->nread)) + 1, &names));
  for (PetscInt g = 0; g < ng; g++) PetscCall(GepPerturbationGetGenotypeName(s->pert, g, &names[g]));
  PetscCall(Names(file, "/screen/genotype_names", ng, names));
  for (PetscInt e = 0; e < ne; e++) PetscCall(GepPerturbationGetEnvironmentName(s->pert, e, &names[e]));
  PetscCall(Names(file, "/screen/environment_names", ne, names));
  for (PetscInt j = 0; j < s->nsweep; j++) names[j] = s->sweep[j].name;
  PetscCall(Names(file, "/screen/sweep_names", s->nsweep, names));
  for (PetscInt j = 0; j < s->nread; j++) names[j] = s->read[j].text;
  PetscCall(Names(file, "/screen/readout_names", s->nread, names));
  PetscCall(PetscFree(names));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteAttributes(GepScreen s, hid_t file)
{
  const char *deck, *text, *model;
  char       *options;
  PetscMPIInt size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(s->comm, &size));
  PetscCall(GepDeckGetText(&deck, &text));
  PetscCall(GepModelGetFile(s->model, &model));
  PetscCall(PetscOptionsGetAll(NULL, &options));
  PetscCall(AttrString(file, "gepsim_version", GEPSIM_VERSION));
  PetscCall(AttrString(file, "command", "screen"));
  PetscCall(AttrString(file, "model_file", model));
  PetscCall(AttrString(file, "deck_file", deck ? deck : ""));
  PetscCall(AttrString(file, "deck_text", text ? text : ""));
  PetscCall(AttrString(file, "options", options));
  PetscCall(AttrInt(file, "ranks", size));
  PetscCall(AttrInt(file, "conditions", s->N));
  PetscCall(AttrInt(file, "unit_size", s->unit));
  PetscCall(PetscFree(options));
  PetscFunctionReturn(0);
}

static PetscErrorCode CreateFile(GepScreen s, GepWriter *w, const char fingerprint[])
{
  hid_t        g, t;
  hsize_t      N = (hsize_t)s->N, dims[2] = {(hsize_t)s->N, (hsize_t)s->nread};
  const char **texts;
  double       nan  = (double)NAN;
  long long    zero = 0;

  PetscFunctionBegin;
  w->file = H5Fcreate(w->part, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  PetscCheck(w->file >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "output %s: cannot create (H5Fcreate)", w->part);
  GepCallHDF5Return(g, H5Gcreate2, (w->file, "/screen", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  GepCallHDF5(H5Gclose, (g));
  GepCallHDF5Return(g, H5Gcreate2, (w->file, "/screen/conditions", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  GepCallHDF5(H5Gclose, (g));
  PetscCall(WriteAttributes(s, w->file));
  PetscCall(AttrString(w->file, "screen_fingerprint", fingerprint));
  PetscCall(WriteConditions(s, w->file));
  PetscCall(Dataset(w->file, "/screen/readouts", H5T_NATIVE_DOUBLE, 2, dims, &nan, &w->readouts));
  PetscCall(PetscMalloc1(s->nread + 1, &texts));
  for (PetscInt j = 0; j < s->nread; j++) texts[j] = s->read[j].text;
  PetscCall(AttrNames(w->readouts, "names", s->nread, texts));
  PetscCall(PetscFree(texts));
  PetscCall(Dataset(w->file, "/screen/status", H5T_NATIVE_LLONG, 1, &N, &zero, &w->status));
  PetscCall(AttrString(w->status, "meaning", "0 not run, 1 ok, 2 failed (see /screen/reason)"));
  PetscCall(GepScreenStringType(GEP_REASON_LEN, &t));
  PetscCall(Dataset(w->file, "/screen/reason", t, 1, &N, NULL, &w->reason));
  GepCallHDF5(H5Tclose, (t));
  PetscCall(Dataset(w->file, "/screen/wall_time", H5T_NATIVE_DOUBLE, 1, &N, &nan, &w->wall));
  PetscCall(AttrString(w->wall, "meaning", "seconds: the wall time of the condition's unit over its conditions"));
  w->ss = -1;
  if (s->has_ss) {
    PetscCall(Dataset(w->file, "/screen/ss_reached", H5T_NATIVE_LLONG, 1, &N, &zero, &w->ss));
    PetscCall(AttrString(w->ss, "meaning", "1 if every ss() readout settled (-screen_ss_rtol) by -screen_ss_tmax"));
  }
  GepCallHDF5(H5Fflush, (w->file, H5F_SCOPE_GLOBAL));
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenWriterOpen(GepScreen s)
{
  GepWriter     *w;
  char          *fingerprint;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(PetscNew(&w));
  s->writer = w;
  PetscCall(PetscSNPrintf(w->part, sizeof(w->part), "%s.part", s->out));
  PetscCall(PetscSNPrintf(w->journal_path, sizeof(w->journal_path), "%s.part.journal", s->out));
  PetscCall(PetscCalloc1(s->nunit + 1, &w->pending));
  PetscCall(PetscMalloc1(s->N * s->nread + 1, &s->table));
  PetscCall(PetscMalloc1(s->N + 1, &s->wall));
  PetscCall(PetscCalloc1(s->N + 1, &s->status));
  PetscCall(PetscCalloc1(s->N + 1, &s->ss_reached));
  PetscCall(PetscCalloc1(s->N + 1, &s->reason));
  for (PetscInt i = 0; i < s->N * s->nread; i++) s->table[i] = (PetscReal)NAN;
  for (PetscInt i = 0; i < s->N; i++) s->wall[i] = (PetscReal)NAN;
  PetscCall(GepScreenFingerprint(s, &fingerprint));
  if (s->resume && !access(w->part, F_OK) && !access(w->journal_path, F_OK)) {
    ierr = GepScreenReopen(s, w, fingerprint);
    PetscCall(PetscFree(fingerprint));
    PetscCall(ierr);
    w->journal = fopen(w->journal_path, "a");
  } else {
    ierr = CreateFile(s, w, fingerprint);
    PetscCall(PetscFree(fingerprint));
    PetscCall(ierr);
    w->journal = fopen(w->journal_path, "w");
    if (w->journal)
      fprintf(w->journal, "# gepsim screen journal: units of %" PetscInt_FMT " conditions committed to %s\n", s->unit,
              w->part);
  }
  PetscCheck(w->journal, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "output %s: cannot write its journal %s", s->out,
             w->journal_path);
  PetscFunctionReturn(0);
}

/* a unit's rows (readouts, status, ss_reached, wall) and reasons ("i<TAB>reason" lines, i within the unit) */
PetscErrorCode GepScreenWriterStore(GepScreen s, PetscInt u, const PetscReal rows[], const char reasons[])
{
  GepWriter *w     = (GepWriter *)s->writer;
  PetscInt   first = u * s->unit, n = PetscMin(s->unit, s->N - first), W = s->nread + GEP_SCREEN_NEXTRA;

  PetscFunctionBegin;
  PetscCheck(u >= 0 && u < s->nunit && !s->unit_done[u], PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "Unit %" PetscInt_FMT " delivered twice or out of range", u);
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(PetscArraycpy(s->table + (first + i) * s->nread, rows + i * W, s->nread));
    s->status[first + i]     = (PetscInt)rows[i * W + s->nread];
    s->ss_reached[first + i] = (PetscInt)rows[i * W + s->nread + 1];
    s->wall[first + i]       = rows[i * W + s->nread + 2];
  }
  for (const char *p = reasons; p && *p;) {
    const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
    PetscInt    i = (PetscInt)atol(p);
    if (!tab || !nl) break;
    PetscCheck(i >= 0 && i < n, PETSC_COMM_SELF, PETSC_ERR_PLIB, "A reason for a condition outside the unit");
    PetscCall(PetscFree(s->reason[first + i]));
    PetscCall(PetscMalloc1((size_t)(nl - tab), &s->reason[first + i]));
    PetscCall(PetscStrncpy(s->reason[first + i], tab + 1, (size_t)(nl - tab)));
    p = nl + 1;
  }
  s->unit_done[u] = PETSC_TRUE;
  w->pending[u]   = PETSC_TRUE;
  PetscFunctionReturn(0);
}

static PetscErrorCode CommitUnit(GepScreen s, GepWriter *w, PetscInt u, char *rbuf, long long *ibuf)
{
  PetscInt first = u * s->unit, n = PetscMin(s->unit, s->N - first);

  PetscFunctionBegin;
  PetscCall(WriteRows(w->readouts, H5T_NATIVE_DOUBLE, (hsize_t)first, (hsize_t)n, (hsize_t)s->nread,
                      s->table + first * s->nread));
  PetscCall(WriteRows(w->wall, H5T_NATIVE_DOUBLE, (hsize_t)first, (hsize_t)n, 1, s->wall + first));
  for (PetscInt i = 0; i < n; i++) {
    const char *why = s->reason[first + i] ? s->reason[first + i] : "";
    PetscCall(PetscStrncpy(rbuf + i * GEP_REASON_LEN, why, GEP_REASON_LEN));
  }
  {
    hid_t t;
    PetscCall(GepScreenStringType(GEP_REASON_LEN, &t));
    PetscCall(WriteRows(w->reason, t, (hsize_t)first, (hsize_t)n, 1, rbuf));
    GepCallHDF5(H5Tclose, (t));
  }
  if (s->has_ss) {
    for (PetscInt i = 0; i < n; i++) ibuf[i] = s->ss_reached[first + i];
    PetscCall(WriteRows(w->ss, H5T_NATIVE_LLONG, (hsize_t)first, (hsize_t)n, 1, ibuf));
  }
  for (PetscInt i = 0; i < n; i++) ibuf[i] = s->status[first + i];
  PetscCall(WriteRows(w->status, H5T_NATIVE_LLONG, (hsize_t)first, (hsize_t)n, 1, ibuf)); /* last: done means done */
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenWriterCommit(GepScreen s)
{
  GepWriter *w = (GepWriter *)s->writer;
  char      *rbuf;
  long long *ibuf;
  PetscBool  any = PETSC_FALSE;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(GEP_ScreenCommit, 0, 0, 0, 0));
  PetscCall(PetscMalloc2(s->unit * GEP_REASON_LEN, &rbuf, s->unit, &ibuf));
  for (PetscInt u = 0; u < s->nunit; u++) {
    if (!w->pending[u]) continue;
    PetscCall(CommitUnit(s, w, u, rbuf, ibuf));
    any = PETSC_TRUE;
  }
  PetscCall(PetscFree2(rbuf, ibuf));
  if (any) {
    GepCallHDF5(H5Fflush, (w->file, H5F_SCOPE_GLOBAL));
    for (PetscInt u = 0; u < s->nunit; u++)
      if (w->pending[u]) {
        fprintf(w->journal, "%" PetscInt_FMT "\n", u);
        w->pending[u] = PETSC_FALSE;
      }
    PetscCheck(fflush(w->journal) == 0 && fsync(fileno(w->journal)) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE,
               "output %s: cannot write its journal", s->out);
  }
  PetscCall(PetscLogEventEnd(GEP_ScreenCommit, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode GepScreenWriterClose(GepScreen s)
{
  GepWriter *w = (GepWriter *)s->writer;

  PetscFunctionBegin;
  PetscCall(GepScreenWriterCommit(s));
  GepCallHDF5(H5Dclose, (w->readouts));
  GepCallHDF5(H5Dclose, (w->status));
  GepCallHDF5(H5Dclose, (w->reason));
  GepCallHDF5(H5Dclose, (w->wall));
  if (w->ss >= 0) GepCallHDF5(H5Dclose, (w->ss));
  GepCallHDF5(H5Fclose, (w->file));
  if (s->interrupted) fprintf(w->journal, "# stopped by SIGTERM\n"); /* for batch scripts: not an error */
  fclose(w->journal);
  PetscFunctionReturn(0);
}

/* after the rename: the journal has served */
PetscErrorCode GepScreenWriterDestroy(GepScreen s)
{
  GepWriter *w = (GepWriter *)s->writer;

  PetscFunctionBegin;
  if (!w) PetscFunctionReturn(0);
  (void)unlink(w->journal_path);
  PetscCall(PetscFree(w->pending));
  PetscCall(PetscFree(s->writer));
  PetscFunctionReturn(0);
}

/* a stopped screen: the file and its journal stay for -screen_resume */
PetscErrorCode GepScreenWriterForget(GepScreen s)
{
  GepWriter *w = (GepWriter *)s->writer;

  PetscFunctionBegin;
  if (!w) PetscFunctionReturn(0);
  PetscCall(PetscFree(w->pending));
  PetscCall(PetscFree(s->writer));
  PetscFunctionReturn(0);
}
