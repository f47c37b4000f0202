/* Synthetic multi-omics data with known factors, in MOFA+'s layout (what
   gepsim factor reads): Y_m = Z W_m^T + noise, K true factors, each active in
   a distinct subset of at least two views with a fraction -sparsity (0.2) of
   its features;
   entries and whole views per sample removed at random. The truth goes to
   /truth/Z (K x N) and /truth/W/<view> (K x D). Options: -o FILE -n N
   -d D1,D2,... -k K -noise SD -sparsity FRACTION -decay D (factor k's weights
   scaled by D^k) -missing FRACTION -missing_views FRACTION -seed S; bad input
   for tests: -constant_view M (view M constant), -short_view M (one sample
   fewer in view M). */
#include "gepsim.h"

int main(int argc, char **argv)
{
  char        out[PETSC_MAX_PATH_LEN] = "synthetic.h5", name[256], **snames, **fnames;
  PetscInt    constant = -1, shortv = -1, N = 200, K = 5, D[16] = {300, 200, 100}, M = 16, seed = 1;
  PetscReal   noise = 0.5, miss = 0.0, missv = 0.0, sparsity = 0.2, decay = 0.8, *Z, *W, *Y, *Zt;
  PetscRandom r;
  GepH5       h5;
  const char *views[16], *group[1] = {"group_0"};
  char        vbuf[16][32];

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(GepPushErrorHandler());
  PetscCall(PetscOptionsGetString(NULL, NULL, "-o", out, sizeof(out), NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &N, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-k", &K, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-seed", &seed, NULL));
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-d", D, &M, NULL));
  if (M == 16) M = 3;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-noise", &noise, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-sparsity", &sparsity, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-decay", &decay, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-constant_view", &constant, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-short_view", &shortv, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-missing", &miss, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-missing_views", &missv, NULL));
  /* factor k is active in the views of the k-th bit pattern with at least two
     views (one view if M = 1): shared factors with distinct patterns, so that
     ARD identifies the rotation and a sample missing one view keeps every factor */
  PetscInt masks[64], nmasks = 0;
  for (PetscInt b = 1; b < (1 << M) && nmasks < 64; b++)
    if (M == 1 || __builtin_popcount((unsigned)b) >= 2) masks[nmasks++] = b;
  PetscCall(GepRandomCreateSeeded(seed, &r));
  PetscCall(PetscMalloc2(N * K, &Z, K * N, &Zt));
  for (PetscInt i = 0; i < N * K; i++) PetscCall(GepRandomNormal(r, &Z[i]));
  for (PetscInt n = 0; n < N; n++)
    for (PetscInt k = 0; k < K; k++) Zt[k * N + n] = Z[n * K + k];
  PetscCall(GepH5Create(PETSC_COMM_SELF, out, &h5));
  const char *top[] = {"/data", "/views", "/groups", "/samples", "/features", "/truth", "/truth/W"};
  for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) PetscCall(GepH5CreateGroup(h5, top[i]));
  for (PetscInt m = 0; m < M; m++) {
    PetscCall(PetscSNPrintf(vbuf[m], sizeof(vbuf[m]), "view_%" PetscInt_FMT, m));
    views[m] = vbuf[m];
  }
  PetscCall(GepH5WriteStrings(h5, "/views/views", M, views));
  PetscCall(GepH5WriteStrings(h5, "/groups/groups", 1, group));
  PetscCall(PetscMalloc1(N, &snames));
  for (PetscInt n = 0; n < N; n++) {
    PetscCall(PetscSNPrintf(name, sizeof(name), "sample%" PetscInt_FMT, n + 1));
    PetscCall(PetscStrallocpy(name, &snames[n]));
  }
  PetscCall(GepH5WriteStrings(h5, "/samples/group_0", N, (const char *const *)snames));
  {
    PetscInt dims[2] = {K, N};
    PetscCall(GepH5WriteReal(h5, "/truth/Z", 2, dims, 0, K, Zt));
  }
  for (PetscInt m = 0; m < M; m++) {
    PetscInt dims[2];

    PetscCall(PetscMalloc2(K * D[m], &W, N * D[m], &Y));
    for (PetscInt k = 0; k < K; k++) {
      PetscReal scale = PetscPowReal(decay, (PetscReal)k); /* factors explain decreasing variance, as in real data */
      PetscBool active = (PetscBool)((masks[k % nmasks] >> m) & 1);
      for (PetscInt d = 0; d < D[m]; d++) {
        PetscReal w = 0, on;
        PetscCall(GepRandomNormal(r, &w));
        PetscCall(PetscRandomGetValueReal(r, &on));
        W[k * D[m] + d] = active && on < sparsity ? scale * w : 0.0;
      }
    }
    for (PetscInt n = 0; n < N; n++) {
      PetscReal vmiss;
      PetscCall(PetscRandomGetValueReal(r, &vmiss));
      for (PetscInt d = 0; d < D[m]; d++) {
        PetscReal y = 0, e, x;
        for (PetscInt k = 0; k < K; k++) y += Z[n * K + k] * W[k * D[m] + d];
        PetscCall(GepRandomNormal(r, &e));
        PetscCall(PetscRandomGetValueReal(r, &x));
        Y[n * D[m] + d] = (vmiss < missv || x < miss) ? (PetscReal)NAN : m == constant ? 1.0 : y + noise * e;
      }
    }
    PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s", views[m]));
    PetscCall(GepH5CreateGroup(h5, name));
    PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s/group_0", views[m]));
    dims[0] = m == shortv ? N - 1 : N;
    dims[1] = D[m];
    PetscCall(GepH5WriteReal(h5, name, 2, dims, 0, dims[0], Y));
    dims[0] = K;
    PetscCall(PetscSNPrintf(name, sizeof(name), "/truth/W/%s", views[m]));
    PetscCall(GepH5WriteReal(h5, name, 2, dims, 0, K, W));
    PetscCall(PetscMalloc1(D[m], &fnames));
    for (PetscInt d = 0; d < D[m]; d++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "%s_f%" PetscInt_FMT, views[m], d + 1));
      PetscCall(PetscStrallocpy(name, &fnames[d]));
    }
    PetscCall(PetscSNPrintf(name, sizeof(name), "/features/%s", views[m]));
    PetscCall(GepH5WriteStrings(h5, name, D[m], (const char *const *)fnames));
    for (PetscInt d = 0; d < D[m]; d++) PetscCall(PetscFree(fnames[d]));
    PetscCall(PetscFree(fnames));
    PetscCall(PetscFree2(W, Y));
  }
  PetscCall(GepH5Commit(&h5));
  for (PetscInt n = 0; n < N; n++) PetscCall(PetscFree(snames[n]));
  PetscCall(PetscFree(snames));
  PetscCall(PetscFree2(Z, Zt));
  PetscCall(PetscRandomDestroy(&r));
  PetscCall(PetscFinalize());
  return 0;
}
