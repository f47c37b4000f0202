#!/usr/bin/python3
"""Reference for gepsim's linear model with -gnn_loss mse: scikit-learn's Ridge
(ALPHA; the intercept not penalised) on the standardised (StandardScaler fitted
on the training samples), concatenated views of a MOGONET-layout data set whose
labels are real targets. Prints RMSE, MAE, R^2 and Pearson's r on the test split
and the first N test predictions.
usage: ridge_baseline.py DATADIR VIEWS [ALPHA] [N]   (VIEWS: how many views, files 1.._tr.csv)"""
import sys
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import mean_squared_error, mean_absolute_error, r2_score

d, nv = sys.argv[1], int(sys.argv[2])
alpha = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
n = int(sys.argv[4]) if len(sys.argv) > 4 else 5
tr = np.hstack([np.loadtxt(f"{d}/{v}_tr.csv", delimiter=",", ndmin=2) for v in range(1, nv + 1)])
te = np.hstack([np.loadtxt(f"{d}/{v}_te.csv", delimiter=",", ndmin=2) for v in range(1, nv + 1)])
ytr = np.loadtxt(f"{d}/labels_tr.csv")
yte = np.loadtxt(f"{d}/labels_te.csv")
sc = StandardScaler().fit(tr)
p = Ridge(alpha=alpha).fit(sc.transform(tr), ytr).predict(sc.transform(te))
print("RMSE %.12f MAE %.12f R2 %.12f r %.12f" % (np.sqrt(mean_squared_error(yte, p)), mean_absolute_error(yte, p), r2_score(yte, p), np.corrcoef(yte, p)[0, 1]))
if n > 0:
    print("p", " ".join("%.12f" % x for x in p[:n]))
