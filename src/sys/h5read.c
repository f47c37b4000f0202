/* Parallel HDF5 reading: every rank opens the file (MPI-IO), reads the rows it
   owns collectively, and small metadata (names) in full. Errors name the file
   and the dataset; HDF5's own error stack is silenced (one-line errors). */
#include <stdlib.h>
#include <string.h>
#include <hdf5.h>
#include "geph5.h"
#include "gepsys.h"

struct _n_GepH5File {
  MPI_Comm comm;
  hid_t    file;
  char    *path;
};

PetscErrorCode GepH5Open(MPI_Comm comm, const char path[], GepH5File *h5)
{
  GepH5File h;
  hid_t     fapl;
  htri_t    ok;

  PetscFunctionBegin;
  PetscCall(GepCheckFileReadable("HDF5 file", path));
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  ok = H5Fis_hdf5(path);
  PetscCheck(ok > 0, comm, PETSC_ERR_FILE_UNEXPECTED, "%s: not an HDF5 file (or truncated)", path);
  PetscCall(PetscNew(&h));
  h->comm = comm;
  PetscCall(PetscStrallocpy(path, &h->path));
  GepCallHDF5Return(fapl, H5Pcreate, (H5P_FILE_ACCESS));
  GepCallHDF5(H5Pset_fapl_mpio, (fapl, comm, MPI_INFO_NULL));
  h->file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
  GepCallHDF5(H5Pclose, (fapl));
  PetscCheck(h->file >= 0, comm, PETSC_ERR_FILE_OPEN, "%s: cannot open as HDF5 (truncated or damaged?)", path);
  *h5 = h;
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5Close(GepH5File *h5)
{
  PetscFunctionBegin;
  if (!*h5) PetscFunctionReturn(0);
  if ((*h5)->file >= 0) GepCallHDF5(H5Fclose, ((*h5)->file));
  PetscCall(PetscFree((*h5)->path));
  PetscCall(PetscFree(*h5));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5GetPath(GepH5File h, const char **path)
{
  PetscFunctionBegin;
  *path = h->path;
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5Exists(GepH5File h, const char name[], PetscBool *exists)
{
  char   part[PETSC_MAX_PATH_LEN];
  size_t len;

  PetscFunctionBegin;
  *exists = PETSC_FALSE;
  PetscCall(PetscStrlen(name, &len));
  /* every prefix must exist before H5Lexists may be asked about the next */
  for (size_t i = 1; i <= len; i++) {
    if (i < len && name[i] != '/') continue;
    PetscCheck(i < sizeof(part), PETSC_COMM_SELF, PETSC_ERR_ARG_SIZ, "%s: name too long: %s", h->path, name);
    PetscCall(PetscStrncpy(part, name, i + 1));
    if (H5Lexists(h->file, part, H5P_DEFAULT) <= 0) PetscFunctionReturn(0);
  }
  *exists = PETSC_TRUE;
  PetscFunctionReturn(0);
}

static PetscErrorCode OpenDataset(GepH5File h, const char name[], hid_t *dset)
{
  PetscBool exists;

  PetscFunctionBegin;
  PetscCall(GepH5Exists(h, name, &exists));
  PetscCheck(exists, h->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: no dataset %s", h->path, name);
  *dset = H5Dopen2(h->file, name, H5P_DEFAULT);
  PetscCheck(*dset >= 0, h->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s is not a dataset", h->path, name);
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5GetDims(GepH5File h, const char name[], PetscInt *ndims, PetscInt dims[])
{
  hid_t   dset, space;
  hsize_t d[4];
  int     nd;

  PetscFunctionBegin;
  PetscCall(OpenDataset(h, name, &dset));
  GepCallHDF5Return(space, H5Dget_space, (dset));
  GepCallHDF5Return(nd, H5Sget_simple_extent_ndims, (space));
  PetscCheck(nd <= 4, h->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s has %d dimensions (at most 4 expected)", h->path,
             name, nd);
  GepCallHDF5(H5Sget_simple_extent_dims, (space, d, NULL));
  for (int i = 0; i < nd; i++) dims[i] = (PetscInt)d[i];
  *ndims = nd;
  GepCallHDF5(H5Sclose, (space));
  GepCallHDF5(H5Dclose, (dset));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5ReadRealRows(GepH5File h, const char name[], PetscInt first, PetscInt n, PetscReal data[])
{
  hid_t   dset, fspace, mspace, dxpl, type;
  hsize_t d[4], start[4] = {0, 0, 0, 0}, count[4];
  int     nd;

  PetscFunctionBegin;
  PetscCall(OpenDataset(h, name, &dset));
  GepCallHDF5Return(type, H5Dget_type, (dset));
  PetscCheck(H5Tget_class(type) == H5T_FLOAT || H5Tget_class(type) == H5T_INTEGER, h->comm, PETSC_ERR_FILE_UNEXPECTED,
             "%s: %s is not numeric", h->path, name);
  GepCallHDF5(H5Tclose, (type));
  GepCallHDF5Return(fspace, H5Dget_space, (dset));
  GepCallHDF5Return(nd, H5Sget_simple_extent_ndims, (fspace));
  PetscCheck(nd >= 1 && nd <= 4, h->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s has %d dimensions", h->path, name, nd);
  GepCallHDF5(H5Sget_simple_extent_dims, (fspace, d, NULL));
  PetscCheck(n == 0 || (first >= 0 && first + n <= (PetscInt)d[0]), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
             "%s: %s has %llu rows, rows %" PetscInt_FMT "..%" PetscInt_FMT " requested", h->path, name,
             (unsigned long long)d[0], first, first + n);
  for (int i = 0; i < nd; i++) count[i] = d[i];
  start[0] = (hsize_t)first;
  count[0] = (hsize_t)n;
  GepCallHDF5Return(mspace, H5Screate_simple, (nd, count, NULL));
  if (n > 0) GepCallHDF5(H5Sselect_hyperslab, (fspace, H5S_SELECT_SET, start, NULL, count, NULL));
  else {
    GepCallHDF5(H5Sselect_none, (fspace));
    GepCallHDF5(H5Sselect_none, (mspace));
  }
  GepCallHDF5Return(dxpl, H5Pcreate, (H5P_DATASET_XFER));
  GepCallHDF5(H5Pset_dxpl_mpio, (dxpl, H5FD_MPIO_COLLECTIVE));
  if (H5Dread(dset, H5T_NATIVE_DOUBLE, mspace, fspace, dxpl, data) < 0)
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read %s (truncated file?)", h->path, name);
  GepCallHDF5(H5Pclose, (dxpl));
  GepCallHDF5(H5Sclose, (mspace));
  GepCallHDF5(H5Sclose, (fspace));
  GepCallHDF5(H5Dclose, (dset));
  PetscFunctionReturn(0);
}

/* A 1-D dataset of strings, fixed or variable length, into n allocated strings
   (free with PetscStrArrayDestroy). Every rank reads all of it. */
PetscErrorCode GepH5ReadStrings(GepH5File h, const char name[], PetscInt *n, char ***strs)
{
  hid_t   dset, space, type, mtype;
  hsize_t d[4];
  int     nd;
  char  **out;

  PetscFunctionBegin;
  PetscCall(OpenDataset(h, name, &dset));
  GepCallHDF5Return(type, H5Dget_type, (dset));
  PetscCheck(H5Tget_class(type) == H5T_STRING, h->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s is not a dataset of strings",
             h->path, name);
  GepCallHDF5Return(space, H5Dget_space, (dset));
  GepCallHDF5Return(nd, H5Sget_simple_extent_ndims, (space));
  PetscCheck(nd == 1, h->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: %s should be 1-D, has %d dimensions", h->path, name, nd);
  GepCallHDF5(H5Sget_simple_extent_dims, (space, d, NULL));
  PetscCall(PetscCalloc1((size_t)d[0] + 1, &out));
  if (H5Tis_variable_str(type) > 0) {
    char **buf;

    PetscCall(PetscCalloc1((size_t)d[0] + 1, &buf));
    GepCallHDF5Return(mtype, H5Tcopy, (H5T_C_S1));
    GepCallHDF5(H5Tset_size, (mtype, H5T_VARIABLE));
    GepCallHDF5(H5Tset_cset, (mtype, H5Tget_cset(type)));
    if (d[0] && H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
      SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read %s", h->path, name);
    for (hsize_t i = 0; i < d[0]; i++) PetscCall(PetscStrallocpy(buf[i] ? buf[i] : "", &out[i]));
    if (d[0]) GepCallHDF5(H5Dvlen_reclaim, (mtype, space, H5P_DEFAULT, buf));
    PetscCall(PetscFree(buf));
  } else {
    size_t len = H5Tget_size(type);
    char  *buf;

    PetscCall(PetscCalloc1(len * (size_t)d[0] + 1, &buf));
    GepCallHDF5Return(mtype, H5Tcopy, (H5T_C_S1));
    GepCallHDF5(H5Tset_size, (mtype, len));
    GepCallHDF5(H5Tset_cset, (mtype, H5Tget_cset(type)));
    if (d[0] && H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
      SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read %s", h->path, name);
    for (hsize_t i = 0; i < d[0]; i++) {
      PetscCall(PetscMalloc1(len + 1, &out[i]));
      PetscCall(PetscMemcpy(out[i], buf + i * len, len));
      out[i][len] = 0;
      for (size_t c = len; c > 0 && (out[i][c - 1] == ' '); c--) out[i][c - 1] = 0; /* space padding */
    }
    PetscCall(PetscFree(buf));
  }
  GepCallHDF5(H5Tclose, (mtype));
  GepCallHDF5(H5Tclose, (type));
  GepCallHDF5(H5Sclose, (space));
  GepCallHDF5(H5Dclose, (dset));
  *n    = (PetscInt)d[0];
  *strs = out;
  PetscFunctionReturn(0);
}

typedef struct {
  PetscInt n, cap;
  char   **names;
} NameList;

static herr_t CollectName(hid_t g, const char *name, const H5L_info_t *info, void *ctx)
{
  NameList *l = (NameList *)ctx;

  (void)g;
  (void)info;
  if (l->n == l->cap) {
    char **more = (char **)realloc(l->names, sizeof(char *) * (size_t)(2 * l->cap + 8));
    if (!more) return -1;
    l->names = more;
    l->cap   = 2 * l->cap + 8;
  }
  l->names[l->n] = strdup(name);
  if (!l->names[l->n]) return -1;
  l->n++;
  return 0;
}

/* Names of a group's members in alphabetical order (free with PetscStrArrayDestroy). */
PetscErrorCode GepH5ListGroup(GepH5File h, const char name[], PetscInt *n, char ***names)
{
  NameList  l = {0, 0, NULL};
  PetscBool exists;
  herr_t    st;

  PetscFunctionBegin;
  PetscCall(GepH5Exists(h, name, &exists));
  PetscCheck(exists, h->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: no group %s", h->path, name);
  st = H5Literate_by_name(h->file, name, H5_INDEX_NAME, H5_ITER_INC, NULL, CollectName, &l, H5P_DEFAULT);
  PetscCheck(st >= 0, h->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: cannot list %s", h->path, name);
  PetscCall(PetscCalloc1(l.n + 1, names));
  for (PetscInt i = 0; i < l.n; i++) {
    PetscCall(PetscStrallocpy(l.names[i], &(*names)[i]));
    free(l.names[i]);
  }
  free(l.names);
  *n = l.n;
  PetscFunctionReturn(0);
}
