#!/usr/bin/python3
"""Reference for gepsim's linear baseline (gepsim train -gnn_model linear):
scikit-learn's L2 logistic regression (C = 0.01, lbfgs) on the standardised
(StandardScaler fitted on the training samples), concatenated views of a
MOGONET-layout data set. Prints ACC, F1 (class 1), F1 weighted, F1 macro, AUC on the test
split and the test probabilities of class 1 (first -n).
usage: logistic_baseline.py DATADIR [C] [n]"""
import sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

d = sys.argv[1]
C = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
n = int(sys.argv[3]) if len(sys.argv) > 3 else 5
tr = np.hstack([np.loadtxt(f"{d}/{v}_tr.csv", delimiter=",") for v in (1, 2, 3)])
te = np.hstack([np.loadtxt(f"{d}/{v}_te.csv", delimiter=",") for v in (1, 2, 3)])
ytr = np.loadtxt(f"{d}/labels_tr.csv").astype(int)
yte = np.loadtxt(f"{d}/labels_te.csv").astype(int)
sc = StandardScaler().fit(tr)
m = LogisticRegression(C=C, max_iter=10000, tol=1e-10).fit(sc.transform(tr), ytr)
p = m.predict_proba(sc.transform(te))
pred = p.argmax(1)
print("ACC %.12f F1 %.12f F1w %.12f F1m %.12f AUC %.12f" % (accuracy_score(yte, pred), f1_score(yte, pred), f1_score(yte, pred, average="weighted"),
      f1_score(yte, pred, average="macro"), roc_auc_score(yte, p[:, 1])))
if n > 0:
    print("p1", " ".join("%.12f" % x for x in p[:n, 1]))
