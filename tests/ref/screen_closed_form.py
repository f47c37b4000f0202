"""Closed-form check of a gepsim screen of tests/data/screen/chain.xml.

usage: screen_closed_form.py RESULTS.h5 DIR N_EXPECTED TOL_SS TOL_T [CSV [GI.csv KNOCKOUTS.csv]]

TOL_SS: relative tolerance of the steady states; TOL_T: of the transient A(20),
which carries the integrator's error (its -ensemble_ts_rtol) past the doses.

The truth comes from the input files: the model's values (chain.xml), the
variants, genotypes and environments (TSV), with the dosage rule of
docs/formats.md (an edit at dosage d acts by d/2 of its homozygous effect) and
knockout genotypes named ko:X+Y or BACKGROUND/ko:X; swept values set the base
values; doses of A (schedules) add to A(20). For each condition, the
steady state A = m_syn ksyn / (m_conv kconv + m_degA kdegA), B = m_conv kconv A /
(m_degB kdegB), C = Rtot kon L / (kon L + koff) (0 without binding), and
A(20) = A (1 - exp(-lam 20)) + sum over doses of D exp(-lam (20 - t_d)),
lam = m_conv kconv + m_degA kdegA; with neither loss of A,
there is no steady state and ss_reached must be 0. Readouts must be
ss(A), ss(B), ss(C), ss(A)+2*ss(B), A@20, in that order."""
import csv, math, sys
import xml.etree.ElementTree as ET
import h5py

res, d, nexpect, tol_ss, tol_t = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
ns = {"s": "http://www.sbml.org/sbml/level3/version2/core"}
root = ET.parse(d + "/chain.xml").getroot()
nominal = {p.get("id"): float(p.get("value")) for p in root.iter("{%s}parameter" % ns["s"])}
for sp in root.iter("{%s}species" % ns["s"]):
    nominal[sp.get("id")] = float(sp.get("initialConcentration"))
for r in root.iter("{%s}reaction" % ns["s"]):
    nominal[r.get("id")] = 1.0  # a reaction's parameter: its rate multiplier


def rows(path):
    with open(path) as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    return [l.split("\t") for l in lines[1:]]


variants = {}
for v, scope, target, op, *val in rows(d + "/variants.tsv"):
    variants.setdefault(v, []).append((target, op, float(val[0]) if val and val[0] else None))
genotypes = {}
for g, v, dose in rows(d + "/genotypes.tsv"):
    genotypes.setdefault(g, []).append((v, int(dose)))
environments, doses = {}, {}
for e, target, op, val, *sched in rows(d + "/environments.tsv"):
    if sched and sched[0]:  # START:INTERVAL:COUNT:AMOUNT of a state (only A here)
        t0, dt, n, amount = sched[0].split(":")
        doses.setdefault(e, []).extend((float(t0) + i * float(dt), float(amount)) for i in range(int(n)))
    else:
        environments.setdefault(e, []).append((target, op, float(val)))


def edit(p, target, op, value, h):
    if op == "knockout":
        op, value = "scale", 0.0
    if op == "overexpress":
        op = "scale"
    if op == "set":
        p[target] += h * (value - p[target])
    elif op == "scale":
        p[target] *= 1 + h * (value - 1)
    elif op == "add":
        p[target] += h * value
    else:
        raise SystemExit("unknown operation " + op)


def params(gname, ename, swept):
    p = dict(nominal)
    p.update(swept)  # sweeps set the base values; the genotype and environment act on them
    background, kos = gname, []
    if gname.startswith("ko:"):
        background, kos = "wt", gname[3:].split("+")
    elif "/ko:" in gname:
        background, rest = gname.split("/ko:")
        kos = rest.split("+")
    for v, dose in genotypes.get(background, []):
        for target, op, value in variants[v]:
            edit(p, target, op, value, dose / 2)
    for k in kos:
        edit(p, k, "knockout", None, 1.0)
    for target, op, value in environments.get(ename, []):
        edit(p, target, op, value, 1.0)
    return p


def expected(p, pulses):
    lam = p["R_conv"] * p["kconv"] + p["R_degA"] * p["kdegA"]
    if lam == 0:  # A grows without bound: no steady state
        return None
    a = p["R_syn"] * p["ksyn"] / lam
    b = p["R_conv"] * p["kconv"] * a / (p["R_degB"] * p["kdegB"])
    kon, koff = p["R_bind"] * p["kon"], p["R_bind"] * p["koff"]
    c = p["Rc"] * kon * p["L"] / (kon * p["L"] + koff) if p["R_bind"] > 0 else 0.0
    a20 = a * (1 - math.exp(-lam * 20)) + sum(x * math.exp(-lam * (20 - t)) for t, x in pulses if t <= 20)
    return [a, b, c, a + 2 * b, a20]


f = h5py.File(res, "r")
s = f["screen"]
gnames = [x.decode() for x in s["genotype_names"][...]]
enames = [x.decode() for x in s["environment_names"][...]]
g, e = s["conditions/genotype"][...], s["conditions/environment"][...]
snames = [x.decode() for x in s["sweep_names"][...]]
swept = s["conditions/swept"][...] if snames else [[]] * len(g)
rep = s["conditions/replicate"][...]
out, status, reached = s["readouts"][...], s["status"][...], s["ss_reached"][...]
bad, seen = 0, set()
if len(g) != nexpect:
    print("FAIL: %d conditions, expected %d" % (len(g), nexpect)); bad += 1
for c in range(len(g)):
    key = (gnames[g[c]], enames[e[c]], tuple(swept[c]), rep[c])
    if key in seen:
        print("FAIL: condition %s twice" % (key,)); bad += 1
    seen.add(key)
    ref = expected(params(key[0], key[1], dict(zip(snames, swept[c]))), doses.get(key[1], []))
    if status[c] != 1 or reached[c] != (ref is not None):
        print("FAIL: condition %d %s: status %d, ss_reached %d" % (c, key, status[c], reached[c])); bad += 1
        continue
    if ref is None:
        continue
    for j, r in enumerate(ref):
        err = abs(out[c, j] - r) / max(abs(r), 1e-12)
        if err > (tol_t if j == 4 else tol_ss) and abs(out[c, j] - r) > 1e-13:
            print("FAIL: condition %d %s readout %d = %.15g, closed form %.15g (rel %.2e)" % (c, key, j, out[c, j], r, err))
            bad += 1
if len(sys.argv) > 6:  # the CSV holds the same table
    with open(sys.argv[6]) as fp:
        table = list(csv.reader(fp))
    if table[0][:5] != ["condition", "genotype", "environment", "replicate", "status"] or len(table) != len(g) + 1:
        print("FAIL: CSV header %s, %d rows" % (table[0], len(table) - 1)); bad += 1
    for c, row in enumerate(table[1:]):
        if (row[1], row[2]) != (gnames[g[c]], enames[e[c]]) or any(
                abs(float(row[5 + j]) - swept[c][j]) > 1e-15 * abs(swept[c][j]) for j in range(len(snames))) or any(
                abs(float(row[5 + len(snames) + j]) - out[c, j]) > 1e-15 * max(1.0, abs(out[c, j]))
                for j in range(out.shape[1]) if not math.isnan(out[c, j])):
            print("FAIL: CSV row %d differs from the HDF5 table" % c); bad += 1
            break
if len(sys.argv) <= 7:
    sys.exit(1 if bad else 0)
if len(sys.argv) > 7:  # OUT-gi.csv and OUT-knockouts.csv of readout 0, ss(A)
    def ssA(background, kos, env):
        name = ("" if background == "wt" else background + "/") + "ko:" + "+".join(kos) if kos else background
        ref = expected(params(name, env, {}), [])
        return None if ref is None else ref[0]
    n = 0
    for r in csv.DictReader(open(sys.argv[7])):
        a0, aa, ab, aab = (ssA(r["background"], k, r["environment"]) for k in ([], [r["a"]], [r["b"]], [r["a"], r["b"]]))
        if None in (a0, aa, ab, aab) or a0 == 0:
            continue  # no steady state, or 0/0
        n += 1
        eps = aab / a0 - (aa / a0) * (ab / a0)
        if abs(float(r["epsilon"]) - eps) > 1e-8 * max(1.0, abs(eps)):
            print("FAIL: GI %s %s+%s %s: %s, closed form %.12g" % (r["background"], r["a"], r["b"], r["environment"],
                                                                   r["epsilon"], eps)); bad += 1
    if n < 50:
        print("FAIL: only %d GI scores compared" % n); bad += 1
    n = 0
    for r in csv.DictReader(open(sys.argv[8])):
        a0, aa = ssA(r["background"], [], r["environment"]), ssA(r["background"], [r["knockout"]], r["environment"])
        if None in (a0, aa) or a0 == 0:
            continue
        n += 1
        if abs(float(r["ratio"]) - aa / a0) > 1e-8 * max(1.0, abs(aa / a0)):
            print("FAIL: knockout %s/%s %s: ratio %s, closed form %.12g" % (r["background"], r["knockout"],
                                                                            r["environment"], r["ratio"], aa / a0)); bad += 1
    if n < 50:
        print("FAIL: only %d knockout ratios compared" % n); bad += 1
    sys.exit(1 if bad else 0)
