#!/usr/bin/python3
"""A regression task on real data in MOGONET's layout, for gepsim train -gnn_loss mse:
the CLL cohort's (../shared/data/cll-partial) response to one drug, the mean
viability over its five concentrations, predicted from two views of the same
patients: the mutations (69 binary features: IGHV status, trisomy 12, ...)
and the responses to every other drug (305 features). Patients whose target is
missing are left out; a random 70/30 split (numpy, SEED). A missing feature
value is the training samples' mean of that feature (the missing-value rates
are 8 % and 34 %). Writes OUTDIR/{1,2}_{tr,te}.csv, {1,2}_featname.csv and
labels_{tr,te}.csv (the targets; feature names: drug_concentration, from
drugs.txt), then prints the split's sizes.
usage: /usr/bin/python3 scripts/cll_drug_regression.py CLLDIR OUTDIR [DRUG] [SEED]
       (DRUG: a drug id, D_002 = ibrutinib by default; SEED 1)"""
import csv
import os
import sys
import numpy as np

src, out = sys.argv[1], sys.argv[2]
drug = sys.argv[3] if len(sys.argv) > 3 else "D_002"
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1


def table(path):
    rows = list(csv.reader(open(path)))
    names = [r[0] for r in rows[1:]]
    x = np.array([[float(v) if v not in ("NA", "") else np.nan for v in r[1:]] for r in rows[1:]])
    return rows[0][1:], names, x.T  # samples x features


samples, dnames, drugs = table(os.path.join(src, "cll_drugs.csv"))
msamples, mnames, muts = table(os.path.join(src, "cll_mutations.csv"))
assert samples == msamples, "the two tables list other patients"
target_cols = [j for j, n in enumerate(dnames) if n.startswith(drug + "_")]
assert len(target_cols) == 5, "%s: %d concentrations" % (drug, len(target_cols))
y = drugs[:, target_cols].mean(axis=1)
keep = ~np.isnan(y)
other = [j for j in range(len(dnames)) if j not in target_cols]
drug_names = {r[0]: r[1] for r in list(csv.reader(open(os.path.join(src, "drugs.txt"))))[1:]}  # D_002 -> ibrutinib


def drug_name(col):  # D_002_3 -> ibrutinib_3 (the third concentration)
    d, c = col.rsplit("_", 1)
    return "%s_%s" % (drug_names.get(d, d), c)


views = [(muts[keep], mnames), (drugs[keep][:, other], [drug_name(dnames[j]) for j in other])]
y = y[keep]
n = len(y)
perm = np.random.default_rng(seed).permutation(n)
ntr = int(round(0.7 * n))
tr, te = np.sort(perm[:ntr]), np.sort(perm[ntr:])
os.makedirs(out, exist_ok=True)
for v, (x, names) in enumerate(views, start=1):
    mu = np.nanmean(x[tr], axis=0)
    mu = np.where(np.isnan(mu), 0.0, mu)
    x = np.where(np.isnan(x), mu[None, :], x)
    np.savetxt(os.path.join(out, "%d_tr.csv" % v), x[tr], delimiter=",", fmt="%.10g")
    np.savetxt(os.path.join(out, "%d_te.csv" % v), x[te], delimiter=",", fmt="%.10g")
    with open(os.path.join(out, "%d_featname.csv" % v), "w") as f:
        f.write("\n".join(names) + "\n")
np.savetxt(os.path.join(out, "labels_tr.csv"), y[tr], fmt="%.10g")
np.savetxt(os.path.join(out, "labels_te.csv"), y[te], fmt="%.10g")
print("%s (%s): %d patients with a response, %d training, %d test; target mean %.4f, sd %.4f" % (drug, drug_names.get(drug, "?"), n, len(tr), len(te), y.mean(), y.std()))
