/* GepGNN's data, through GepOmics: each view's training and test tables (headerless, MOGONET's layout, read in
   parallel by byte ranges) or one GepOmics HDF5 file whose groups hold the training and test samples (read by
   rows in parallel). Each rank holds a block of rows; GepGNNGatherData moves the entries a node set needs to
   where the networks want them. The networks need complete data: a missing value is an error naming file,
   sample and feature. Labels and targets are one value per line. */
#include <string.h>
#include <petscsf.h>
#include "gnnimpl.h"
#include "gepomics.h"

/* one value per line of a labels or targets file (GepParseValue; a missing one is an error) */
static PetscErrorCode ReadValues(const char what[], const char path[], PetscInt *N, PetscReal **x)
{
  char **lines;

  PetscFunctionBegin;
  PetscCall(GepReadNameList(what, path, N, &lines));
  PetscCall(PetscMalloc1(*N + 1, x));
  for (PetscInt i = 0; i < *N; i++) {
    PetscCheck(!strchr(lines[i], ',') && !strchr(lines[i], '\t'), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s:%" PetscInt_FMT ": more than one column; %s are one value per line", path, i + 1, what);
    PetscCall(GepParseValue(path, i + 1, 1, lines[i], &(*x)[i]));
    PetscCheck(!PetscIsNanReal((*x)[i]), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED,
               "%s:%" PetscInt_FMT ": a missing value ('%s')", path, i + 1, lines[i]);
  }
  PetscCall(PetscStrArrayDestroy(&lines));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNReadLabels(const char path[], PetscInt *N, PetscInt **y)
{
  PetscReal *x;

  PetscFunctionBegin;
  PetscCall(ReadValues("labels", path, N, &x));
  PetscCall(PetscMalloc1(*N + 1, y));
  for (PetscInt i = 0; i < *N; i++) {
    PetscCheck(x[i] >= 0 && x[i] == PetscFloorReal(x[i]) && x[i] < PETSC_MAX_INT, PETSC_COMM_SELF,
               PETSC_ERR_FILE_UNEXPECTED, "%s:%" PetscInt_FMT ": %g is not a class (an integer 0, 1, ...)", path, i + 1,
               (double)x[i]);
    (*y)[i] = (PetscInt)x[i];
  }
  PetscCall(PetscFree(x));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNReadTargets(const char path[], PetscInt *N, PetscReal **t)
{
  PetscFunctionBegin;
  PetscCall(ReadValues("targets", path, N, t));
  PetscFunctionReturn(0);
}

/* the training and test tables of the views, headerless, as two GepOmics */
static PetscErrorCode OpenTables(GepGNN g)
{
  const char *paths[GEP_GNN_MAX_VIEWS], *names[GEP_GNN_MAX_VIEWS], *featnames[GEP_GNN_MAX_VIEWS];

  PetscFunctionBegin;
  for (PetscInt m = 0; m < g->M; m++) {
    names[m]     = g->v[m].name;
    featnames[m] = g->v[m].featnames;
  }
  for (PetscInt s = 0; s < 2; s++) {
    for (PetscInt m = 0; m < g->M; m++) paths[m] = s ? g->v[m].test : g->v[m].train;
    PetscCall(GepOmicsCreate(g->comm, &g->data[s]));
    PetscCall(GepOmicsSetTables(g->data[s], g->M, paths));
    PetscCall(GepOmicsSetViewNames(g->data[s], g->M, names));
    if (featnames[0][0]) PetscCall(GepOmicsSetFeatureNameFiles(g->data[s], g->M, featnames)); /* both sets' */
    PetscCall(GepOmicsSetHeaderless(g->data[s], PETSC_TRUE));
    PetscCall(GepOmicsLoad(g->data[s]));
    g->data_off[s] = 0;
    PetscCall(GepOmicsGetSizes(g->data[s], NULL, NULL, &g->data_n[s], NULL, NULL));
  }
  PetscFunctionReturn(0);
}

/* one HDF5 file: its views are the GNN's, its groups -gnn_train_group and -gnn_test_group the samples */
static PetscErrorCode OpenFile(GepGNN g)
{
  const char *groups[2] = {g->group_tr, g->group_te};
  PetscInt    G, M;

  PetscFunctionBegin;
  PetscCall(GepOmicsCreate(g->comm, &g->data[0]));
  PetscCall(GepOmicsSetFile(g->data[0], g->omics_file));
  PetscCall(GepCheckFileReadable("omics file", g->omics_file));
  PetscCall(GepOmicsLoad(g->data[0]));
  PetscCall(GepOmicsGetSizes(g->data[0], &M, &G, NULL, NULL, NULL));
  PetscCheck(M <= GEP_GNN_MAX_VIEWS, g->comm, PETSC_ERR_USER, "%s: %" PetscInt_FMT " views, at most %d", g->omics_file,
             M, GEP_GNN_MAX_VIEWS);
  PetscCheck(!g->ngraphs || g->ngraphs == M, g->comm, PETSC_ERR_USER,
             "-gnn_graph names %" PetscInt_FMT " edge list(s) for the %" PetscInt_FMT " view(s) of %s", g->ngraphs, M,
             g->omics_file);
  g->M = M;
  for (PetscInt m = 0; m < M; m++) {
    const char *name;
    PetscCall(GepOmicsGetViewName(g->data[0], m, &name));
    PetscCall(PetscStrncpy(g->v[m].name, name, sizeof(g->v[m].name)));
    PetscCall(PetscStrncpy(g->v[m].train, g->omics_file, sizeof(g->v[m].train)));
    PetscCall(PetscStrncpy(g->v[m].test, g->omics_file, sizeof(g->v[m].test)));
  }
  PetscCall(PetscObjectReference((PetscObject)g->data[0]));
  g->data[1] = g->data[0];
  for (PetscInt s = 0; s < 2; s++) {
    PetscInt q = 0;
    for (; q < G; q++) {
      const char *name;
      PetscBool   same;
      PetscCall(GepOmicsGetGroupName(g->data[0], q, &name));
      PetscCall(PetscStrcmp(name, groups[s], &same));
      if (same) break;
    }
    PetscCheck(q < G, g->comm, PETSC_ERR_USER, "%s: no group %s (%s)", g->omics_file, groups[s],
               s ? "-gnn_test_group" : "-gnn_train_group");
    PetscCall(GepOmicsGetGroupRange(g->data[0], q, &g->data_off[s], &g->data_n[s]));
    g->data_n[s] -= g->data_off[s];
  }
  PetscFunctionReturn(0);
}

/* Opens the data, checks it against the labels (N0 training samples; the test count g->Nte, or -1 when the test
   file decides it) and takes the views' sizes and feature names. */
PetscErrorCode GepGNNOpenData(GepGNN g, PetscInt N0)
{
  const PetscInt *Nset = g->data_n; /* training and test samples */

  PetscFunctionBegin;
  if (g->omics_file[0]) PetscCall(OpenFile(g));
  else PetscCall(OpenTables(g));
  for (PetscInt m = 0; m < g->M; m++) {
    GepGNNViewData    *v = &g->v[m];
    PetscInt           D2;
    const char *const *feat;

    PetscCheck(Nset[0] == N0, g->comm, PETSC_ERR_USER,
               "data table %s: %" PetscInt_FMT " samples, but %s has %" PetscInt_FMT " labels", v->train, Nset[0],
               g->labels_tr, N0);
    PetscCall(GepOmicsGetView(g->data[0], m, &v->D, NULL));
    PetscCall(GepOmicsGetView(g->data[1], m, &D2, NULL));
    PetscCheck(D2 == v->D, g->comm, PETSC_ERR_USER,
               "data table %s: %" PetscInt_FMT " features, but the training table %s has %" PetscInt_FMT, v->test, D2,
               v->train, v->D);
    if (g->Nte < 0) g->Nte = Nset[1];
    PetscCheck(Nset[1] == g->Nte, g->comm, PETSC_ERR_USER,
               "data table %s: %" PetscInt_FMT " samples, but %s has %" PetscInt_FMT " labels", v->test, Nset[1],
               g->labels_te[0] ? g->labels_te : v->test, g->Nte);
    PetscCall(GepOmicsGetFeatureNames(g->data[0], m, &feat));
    PetscCall(PetscCalloc1(v->D + 1, &v->feat));
    for (PetscInt d = 0; d < v->D; d++) PetscCall(PetscStrallocpy(feat[d], &v->feat[d]));
  }
  for (PetscInt s = 0; s < 2 && (s == 0 || g->data[1] != g->data[0]); s++)
    PetscCall(GepOmicsCheckComplete(g->data[s], "the graph networks"));
  PetscFunctionReturn(0);
}

PetscErrorCode GepGNNCloseData(GepGNN g)
{
  PetscFunctionBegin;
  PetscCall(GepOmicsDestroy(&g->data[0]));
  PetscCall(GepOmicsDestroy(&g->data[1]));
  PetscFunctionReturn(0);
}

/* Entries (rows[i], d0 + j), i < n, j < nd, of view m into out[i * si + j * sj]: rows below the training
   samples' count N0 are training samples, the others test samples (row - N0). A PetscSF per GepOmics from its
   block-distributed data; collective. */
PetscErrorCode GepGNNGatherData(GepGNN g, PetscInt m, PetscInt N0, PetscInt n, const PetscInt rows[], PetscInt d0,
                                PetscInt nd, PetscInt si, PetscInt sj, PetscReal *out)
{
  PetscBool shared = g->data[1] == g->data[0] ? PETSC_TRUE : PETSC_FALSE;

  PetscFunctionBegin;
  for (PetscInt s = 0; s < (shared ? 1 : 2); s++) {
    PetscSF     sf;
    PetscLayout layout;
    PetscInt    D, nloc, nleaves = 0, *ilocal, *iremote;
    PetscReal  *X;

    PetscCall(GepOmicsGetView(g->data[s], m, &D, &X));
    PetscCall(GepOmicsGetSizes(g->data[s], NULL, NULL, NULL, &nloc, NULL));
    PetscCall(PetscLayoutCreateFromSizes(g->comm, nloc * D, PETSC_DECIDE, 1, &layout));
    PetscCall(PetscMalloc2(n * nd + 1, &ilocal, n * nd + 1, &iremote));
    for (PetscInt i = 0; i < n; i++) {
      PetscBool test = rows[i] >= N0 ? PETSC_TRUE : PETSC_FALSE;
      PetscInt  r    = test ? g->data_off[1] + rows[i] - N0 : g->data_off[0] + rows[i]; /* index in its GepOmics */

      if (!shared && test != (s == 1)) continue;
      for (PetscInt j = 0; j < nd; j++) {
        ilocal[nleaves]    = i * si + j * sj;
        iremote[nleaves++] = r * D + d0 + j; /* the blocks of samples hold the entries in this order */
      }
    }
    PetscCall(PetscSFCreate(g->comm, &sf));
    PetscCall(PetscSFSetGraphLayout(sf, layout, nleaves, ilocal, PETSC_USE_POINTER, iremote));
    PetscCall(PetscSFBcastBegin(sf, MPIU_REAL, X, out, MPI_REPLACE));
    PetscCall(PetscSFBcastEnd(sf, MPIU_REAL, X, out, MPI_REPLACE));
    PetscCall(PetscSFDestroy(&sf));
    PetscCall(PetscLayoutDestroy(&layout));
    PetscCall(PetscFree2(ilocal, iremote));
  }
  PetscFunctionReturn(0);
}
