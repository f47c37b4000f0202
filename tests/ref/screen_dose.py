"""The dose summaries of a screen of inputs/models/two_inhibitors.xml (usage:
screen_dose.py OUT.h5, with OUT-dose-response.csv and OUT-synergy.csv beside it,
readout 0 = ss(P), -screen_dose A, -screen_drugs A,B). Truth from the model's values
and the dose genotypes (inputs/screen/dose-*.tsv, dosage rule of docs/formats.md):
P = (k/d) / ((1 + (A/KA)^nA) (1 + (B/KB)^nB)), so each curve along A is a Hill curve
with bottom 0, top (k/d)/(1 + (B/KB)^nB), IC50 KA (x 1 + dose/2 (4 - 1) for the
variant) and h nA, to 1e-6; the Bliss excess is 0 (abs 1e-8) and the HSA excess is
f_ab - max(f_a, f_b) of the closed form (abs 1e-8)."""
import csv, sys

k, d, KA, nA, KB, nB = 10.0, 0.5, 0.8, 1.5, 3.0, 1.0
factor = {"wt": 1.0, "resistant": 4.0, "het_resistant": 2.5}
base = sys.argv[1][:-3]
bad, rows = 0, 0
for r in csv.DictReader(open(base + "-dose-response.csv")):
    rows += 1
    B = float(r["B"])
    want = {"bottom": 0.0, "top": (k / d) / (1 + (B / KB) ** nB), "IC50": KA * factor[r["genotype"]], "hill": nA}
    for key, w in want.items():
        got = float(r[key])
        if abs(got - w) > 1e-6 * max(abs(w), k / d if key == "bottom" else 0):
            print("FAIL: %s B=%g %s = %.10g, closed form %.10g" % (r["genotype"], B, key, got, w)); bad += 1
    if r["converged"] != "1":
        print("FAIL: %s B=%g: the fit did not converge" % (r["genotype"], B)); bad += 1
if rows != 3 * 8:
    print("FAIL: %d dose-response rows, expected 24 (3 genotypes x 8 doses of B)" % rows); bad += 1
rows = 0
for r in csv.DictReader(open(base + "-synergy.csv")):
    rows += 1
    A, B, ka = float(r["A"]), float(r["B"]), KA * factor[r["genotype"]]
    fa, fb = 1 - 1 / (1 + (A / ka) ** nA), 1 - 1 / (1 + (B / KB) ** nB)
    fab = 1 - (1 - fa) * (1 - fb)
    if abs(float(r["bliss_excess"])) > 1e-8 or abs(float(r["hsa_excess"]) - (fab - max(fa, fb))) > 1e-8 \
            or abs(float(r["effect"]) - fab) > 1e-8:
        print("FAIL: %s A=%g B=%g: effect %s bliss %s hsa %s; closed form %.10g 0 %.10g"
              % (r["genotype"], A, B, r["effect"], r["bliss_excess"], r["hsa_excess"], fab, fab - max(fa, fb)))
        bad += 1
if rows != 3 * 64:
    print("FAIL: %d synergy rows, expected 192" % rows); bad += 1
sys.exit(1 if bad else 0)
