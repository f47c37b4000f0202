/* Parallel HDF5 writing: collective MPI-IO, errors named by the failing call. */
#include <hdf5.h>
#include "geph5.h"
#include "gepsys.h"

struct _n_GepH5 {
  MPI_Comm comm;
  hid_t    file;
  char    *path, *tmp;
};

PetscErrorCode GepH5Create(MPI_Comm comm, const char path[], GepH5 *h5)
{
  GepH5 h;
  hid_t fapl;
  char  tmp[PETSC_MAX_PATH_LEN];

  PetscFunctionBegin;
  PetscCall(PetscNew(&h));
  h->comm = comm;
  PetscCall(PetscStrallocpy(path, &h->path));
  PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.part", path));
  PetscCall(PetscStrallocpy(tmp, &h->tmp));
  PetscCall(GepTempFileRegister(tmp));
  GepCallHDF5Return(fapl, H5Pcreate, (H5P_FILE_ACCESS));
  GepCallHDF5(H5Pset_fapl_mpio, (fapl, comm, MPI_INFO_NULL));
  h->file = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  GepCallHDF5(H5Pclose, (fapl));
  PetscCheck(h->file >= 0, comm, PETSC_ERR_FILE_OPEN, "output %s: cannot create (H5Fcreate)", tmp);
  *h5 = h;
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5Commit(GepH5 *h5)
{
  GepH5 h = *h5;

  PetscFunctionBegin;
  GepCallHDF5(H5Fclose, (h->file));
  PetscCall(GepTempFileCommit(h->comm, h->tmp, h->path));
  PetscCall(PetscFree(h->path));
  PetscCall(PetscFree(h->tmp));
  PetscCall(PetscFree(*h5));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5CreateGroup(GepH5 h, const char name[])
{
  hid_t g;

  PetscFunctionBegin;
  GepCallHDF5Return(g, H5Gcreate2, (h->file, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  GepCallHDF5(H5Gclose, (g));
  PetscFunctionReturn(0);
}

/* A dataset of rank ndims; this rank writes the block [start, start + count), in
   collective writes of at most about 64 MB each (every rank takes part in as many
   as the rank with the most rows needs): MPI-IO's buffers then stay that size
   instead of growing with the rank's share (0.65 times it in one write). */
static PetscErrorCode WriteSlab(GepH5 h, const char name[], hid_t type, PetscInt ndims, const PetscInt dims[],
                                const PetscInt first[], const PetscInt n[], const void *data)
{
  hsize_t     gdims[4], start[4], count[4];
  hid_t       fspace, mspace, dset, dxpl;
  size_t      rowbytes = H5Tget_size(type);
  PetscInt    rows     = n[0], per, pieces, allpieces;
  PetscBool   empty    = PETSC_FALSE;
  const char *bytes    = (const char *)data;

  PetscFunctionBegin;
  PetscCheck(ndims >= 1 && ndims <= 4, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "1 to 4 dimensions");
  for (PetscInt d = 0; d < ndims; d++) {
    gdims[d] = (hsize_t)dims[d];
    start[d] = (hsize_t)first[d];
    count[d] = (hsize_t)n[d];
    if (!n[d]) empty = PETSC_TRUE;
    if (d) rowbytes *= (size_t)n[d];
  }
  per    = (PetscInt)PetscMax((size_t)1, ((size_t)64 << 20) / PetscMax(rowbytes, (size_t)1));
  pieces = empty ? 0 : (rows + per - 1) / per;
  PetscCallMPI(MPI_Allreduce(&pieces, &allpieces, 1, MPIU_INT, MPI_MAX, h->comm));
  GepCallHDF5Return(fspace, H5Screate_simple, ((int)ndims, gdims, NULL));
  GepCallHDF5Return(dset, H5Dcreate2, (h->file, name, type, fspace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  GepCallHDF5Return(dxpl, H5Pcreate, (H5P_DATASET_XFER));
  GepCallHDF5(H5Pset_dxpl_mpio, (dxpl, H5FD_MPIO_COLLECTIVE));
  /* an empty dataset (a model with no outputs) has no pieces on any rank: created, not written */
  for (PetscInt p = 0; p < allpieces; p++) {
    PetscInt r0 = p * per, nr = p < pieces ? PetscMin(per, rows - r0) : 0;
    hsize_t  bstart[4], bcount[4];
    for (PetscInt d = 0; d < ndims; d++) {
      bstart[d] = start[d];
      bcount[d] = count[d];
    }
    bstart[0] = start[0] + (hsize_t)r0;
    bcount[0] = (hsize_t)nr;
    GepCallHDF5Return(mspace, H5Screate_simple, ((int)ndims, bcount, NULL));
    if (nr) GepCallHDF5(H5Sselect_hyperslab, (fspace, H5S_SELECT_SET, bstart, NULL, bcount, NULL));
    else {
      GepCallHDF5(H5Sselect_none, (fspace));
      GepCallHDF5(H5Sselect_none, (mspace));
    }
    PetscCheck(H5Dwrite(dset, type, mspace, fspace, dxpl, nr ? bytes + (size_t)r0 * rowbytes : data) >= 0,
               PETSC_COMM_SELF, PETSC_ERR_LIB, "HDF5 error in H5Dwrite of %s", name);
    GepCallHDF5(H5Sclose, (mspace));
  }
  GepCallHDF5(H5Pclose, (dxpl));
  GepCallHDF5(H5Sclose, (fspace));
  GepCallHDF5(H5Dclose, (dset));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5WriteReal(GepH5 h, const char name[], PetscInt ndims, const PetscInt dims[], PetscInt first,
                              PetscInt nlocal, const PetscReal data[])
{
  PetscInt start[4] = {0, 0, 0, 0}, count[4];

  PetscFunctionBegin;
  PetscCheck(ndims >= 1 && ndims <= 4, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "1 to 4 dimensions");
  for (PetscInt d = 0; d < ndims; d++) count[d] = dims[d];
  start[0] = first;
  count[0] = nlocal;
  PetscCall(WriteSlab(h, name, H5T_NATIVE_DOUBLE, ndims, dims, start, count, data));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5WriteRealReplicated(GepH5 h, const char name[], PetscInt ndims, const PetscInt dims[],
                                        const PetscReal data[])
{
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(h->comm, &rank));
  PetscCall(GepH5WriteReal(h, name, ndims, dims, 0, rank ? 0 : dims[0], data));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5WriteInt(GepH5 h, const char name[], PetscInt n, PetscInt first, PetscInt nlocal,
                             const PetscInt data[])
{
  PetscInt start = first;

  PetscFunctionBegin;
  PetscCall(
    WriteSlab(h, name, sizeof(PetscInt) == 8 ? H5T_NATIVE_INT64 : H5T_NATIVE_INT32, 1, &n, &start, &nlocal, data));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5WriteRealBlock(GepH5 h, const char name[], const PetscInt dims[2], const PetscInt start[2],
                                   const PetscInt count[2], const PetscReal data[])
{
  PetscFunctionBegin;
  PetscCall(WriteSlab(h, name, H5T_NATIVE_DOUBLE, 2, dims, start, count, data));
  PetscFunctionReturn(0);
}

/* Fixed-length strings (parallel HDF5 cannot write variable-length data),
   written by rank 0 with independent I/O. */
PetscErrorCode GepH5WriteStrings(GepH5 h, const char name[], PetscInt n, const char *const strs[])
{
  hsize_t     dim = (hsize_t)n;
  size_t      len = 1;
  hid_t       type, space, dset;
  PetscMPIInt rank;
  char       *buf;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(h->comm, &rank));
  for (PetscInt i = 0; i < n; i++) len = PetscMax(len, strlen(strs[i]) + 1);
  PetscCall(PetscCalloc1(len * (size_t)n + 1, &buf));
  for (PetscInt i = 0; i < n; i++) PetscCall(PetscStrncpy(buf + (size_t)i * len, strs[i], len));
  GepCallHDF5Return(type, H5Tcopy, (H5T_C_S1));
  GepCallHDF5(H5Tset_size, (type, len));
  GepCallHDF5(H5Tset_cset, (type, H5T_CSET_UTF8));
  GepCallHDF5Return(space, H5Screate_simple, (1, &dim, NULL));
  GepCallHDF5Return(dset, H5Dcreate2, (h->file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (rank == 0 && n > 0) GepCallHDF5(H5Dwrite, (dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf));
  GepCallHDF5(H5Dclose, (dset));
  GepCallHDF5(H5Sclose, (space));
  GepCallHDF5(H5Tclose, (type));
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteAttr(GepH5 h, const char obj[], const char name[], hid_t type, const void *value)
{
  hid_t space, attr, o;

  PetscFunctionBegin;
  GepCallHDF5Return(o, H5Oopen, (h->file, obj, H5P_DEFAULT));
  GepCallHDF5Return(space, H5Screate, (H5S_SCALAR));
  GepCallHDF5Return(attr, H5Acreate2, (o, name, type, space, H5P_DEFAULT, H5P_DEFAULT));
  GepCallHDF5(H5Awrite, (attr, type, value));
  GepCallHDF5(H5Aclose, (attr));
  GepCallHDF5(H5Sclose, (space));
  GepCallHDF5(H5Oclose, (o));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5WriteAttrString(GepH5 h, const char obj[], const char name[], const char value[])
{
  hid_t type;

  PetscFunctionBegin;
  GepCallHDF5Return(type, H5Tcopy, (H5T_C_S1));
  GepCallHDF5(H5Tset_size, (type, strlen(value) + 1));
  GepCallHDF5(H5Tset_cset, (type, H5T_CSET_UTF8));
  PetscCall(WriteAttr(h, obj, name, type, value));
  GepCallHDF5(H5Tclose, (type));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5WriteAttrReal(GepH5 h, const char obj[], const char name[], PetscReal value)
{
  double v = (double)value;

  PetscFunctionBegin;
  PetscCall(WriteAttr(h, obj, name, H5T_NATIVE_DOUBLE, &v));
  PetscFunctionReturn(0);
}

PetscErrorCode GepH5WriteAttrInt(GepH5 h, const char obj[], const char name[], PetscInt value)
{
  long long v = (long long)value;

  PetscFunctionBegin;
  PetscCall(WriteAttr(h, obj, name, H5T_NATIVE_LLONG, &v));
  PetscFunctionReturn(0);
}
