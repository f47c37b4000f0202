/* Synthetic multi-omics data with known factors, in MOFA+'s layout (what
   gepsim factor reads): Y_m = Z W_m^T + noise, K true factors, each active in
   a distinct subset of at least two views with a fraction -sparsity (0.2) of
   its features;
   entries and whole views per sample removed at random. The truth goes to
   /truth/Z (K x N) and /truth/W/<view> (K x D). Options: -o FILE -n N
   -d D1,D2,... -k K -noise SD -sparsity FRACTION -decay D (factor k's weights
   scaled by D^k) -missing FRACTION -missing_views FRACTION -seed S; bad input
   for tests: -constant_view M (view M constant), -short_view M (one sample
   fewer in view M). -groups G splits the samples into G groups (each with its
   own feature offsets, which per-group centring removes; /truth/Zg/<group>
   holds each group's factors); -likelihoods gaussian,bernoulli,poisson draws
   view m as y ~ N(eta, noise^2), Bernoulli(sigmoid(eta)) or
   Poisson(log(1 + e^eta)), eta = z w (+ offset). */
#include <string.h>
#include "gepsim.h"

int main(int argc, char **argv)
{
  char        out[PETSC_MAX_PATH_LEN] = "synthetic.h5", name[256], **snames, **fnames;
  PetscInt    constant = -1, shortv = -1, N = 200, K = 5, D[16] = {300, 200, 100}, M = 16, seed = 1;
  PetscReal   noise = 0.5, miss = 0.0, missv = 0.0, sparsity = 0.2, decay = 0.8, *Z, *W, *Y, *Zt;
  PetscRandom r;
  GepH5       h5;
  const char *views[16], *groups[16];
  char        vbuf[16][32], gbuf[16][32], *liks[16];
  PetscInt    G = 1, nliks = 16, gs[17];

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
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-groups", &G, NULL));
  PetscCheck(G >= 1 && G <= 16 && G <= N, PETSC_COMM_SELF, PETSC_ERR_USER, "-groups: 1 to 16");
  PetscCall(PetscOptionsGetStringArray(NULL, NULL, "-likelihoods", liks, &nliks, NULL));
  if (nliks == 16) nliks = 0;
  for (PetscInt g = 0; g <= G; g++) gs[g] = g * N / G;
  for (PetscInt g = 0; g < G; g++) {
    PetscCall(PetscSNPrintf(gbuf[g], sizeof(gbuf[g]), "group_%" PetscInt_FMT, g));
    groups[g] = gbuf[g];
  }
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
  const char *top[] = {"/data", "/views", "/groups", "/samples", "/features", "/truth", "/truth/W", "/truth/Zg"};
  for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) PetscCall(GepH5CreateGroup(h5, top[i]));
  for (PetscInt m = 0; m < M; m++) {
    PetscCall(PetscSNPrintf(vbuf[m], sizeof(vbuf[m]), "view_%" PetscInt_FMT, m));
    views[m] = vbuf[m];
  }
  PetscCall(GepH5WriteStrings(h5, "/views/views", M, views));
  PetscCall(GepH5WriteStrings(h5, "/groups/groups", G, groups));
  PetscCall(PetscMalloc1(N, &snames));
  for (PetscInt n = 0; n < N; n++) {
    PetscCall(PetscSNPrintf(name, sizeof(name), "sample%" PetscInt_FMT, n + 1));
    PetscCall(PetscStrallocpy(name, &snames[n]));
  }
  {
    PetscInt   dims[2] = {K, N};
    PetscReal *zg;

    PetscCall(GepH5WriteReal(h5, "/truth/Z", 2, dims, 0, K, Zt));
    PetscCall(PetscMalloc1(K * N, &zg));
    for (PetscInt g = 0; g < G; g++) {
      PetscInt ng = gs[g + 1] - gs[g];
      PetscCall(PetscSNPrintf(name, sizeof(name), "/samples/%s", groups[g]));
      PetscCall(GepH5WriteStrings(h5, name, ng, (const char *const *)snames + gs[g]));
      for (PetscInt k = 0; k < K; k++)
        for (PetscInt n = 0; n < ng; n++) zg[k * ng + n] = Z[(gs[g] + n) * K + k];
      dims[1] = ng;
      PetscCall(PetscSNPrintf(name, sizeof(name), "/truth/Zg/%s", groups[g]));
      PetscCall(GepH5WriteReal(h5, name, 2, dims, 0, K, zg));
    }
    PetscCall(PetscFree(zg));
  }
  for (PetscInt m = 0; m < M; m++) {
    PetscInt   dims[2];
    PetscReal *off;

    PetscCall(PetscMalloc2(K * D[m], &W, N * D[m], &Y));
    for (PetscInt k = 0; k < K; k++) {
      PetscReal scale  = PetscPowReal(decay, (PetscReal)k); /* factors explain decreasing variance, as in real data */
      PetscBool active = (PetscBool)((masks[k % nmasks] >> m) & 1);
      for (PetscInt d = 0; d < D[m]; d++) {
        PetscReal w = 0, on;
        PetscCall(GepRandomNormal(r, &w));
        PetscCall(PetscRandomGetValueReal(r, &on));
        W[k * D[m] + d] = active && on < sparsity ? scale * w : 0.0;
      }
    }
    const char *lik = m < nliks ? liks[m] : "gaussian";
    PetscCall(PetscMalloc1(G * D[m], &off));
    for (PetscInt i = 0; i < G * D[m]; i++) {
      PetscCall(GepRandomNormal(r, &off[i]));
      off[i] = G > 1 && !strcmp(lik, "gaussian") ? 2.0 * off[i] : 0.0; /* group effects */
    }
    for (PetscInt n = 0, g = 0; n < N; n++) {
      PetscReal vmiss;
      while (n >= gs[g + 1]) g++;
      PetscCall(PetscRandomGetValueReal(r, &vmiss));
      for (PetscInt d = 0; d < D[m]; d++) {
        PetscReal y = off[g * D[m] + d], e, x, u;
        for (PetscInt k = 0; k < K; k++) y += Z[n * K + k] * W[k * D[m] + d];
        PetscCall(GepRandomNormal(r, &e));
        PetscCall(PetscRandomGetValueReal(r, &x));
        PetscCall(PetscRandomGetValueReal(r, &u));
        if (!strcmp(lik, "bernoulli")) y = u < 1.0 / (1.0 + PetscExpReal(-y)) ? 1.0 : 0.0;
        else if (!strcmp(lik, "poisson")) { /* inversion of the Poisson CDF */
          PetscReal rate = PetscLogReal(1.0 + PetscExpReal(y)), p = PetscExpReal(-rate), c = p;
          PetscInt  k = 0;
          while (u > c && k < 1000) {
            k++;
            p *= rate / k;
            c += p;
          }
          y = (PetscReal)k;
        } else y += noise * e;
        Y[n * D[m] + d] = (vmiss < missv || x < miss) ? (PetscReal)NAN : m == constant ? 1.0 : y;
      }
    }
    PetscCall(PetscFree(off));
    PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s", views[m]));
    PetscCall(GepH5CreateGroup(h5, name));
    for (PetscInt g = 0; g < G; g++) {
      PetscCall(PetscSNPrintf(name, sizeof(name), "/data/%s/%s", views[m], groups[g]));
      dims[0] = gs[g + 1] - gs[g] - (m == shortv ? 1 : 0);
      dims[1] = D[m];
      PetscCall(GepH5WriteReal(h5, name, 2, dims, 0, dims[0], Y + gs[g] * D[m]));
    }
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
  for (PetscInt m = 0; m < nliks; m++) PetscCall(PetscFree(liks[m]));
  PetscCall(PetscFinalize());
  return 0;
}
