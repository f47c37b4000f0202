"""Reference for tests/unit/test_gnn_graph.c: MOGONET's training-sample graph
(cosine distance; threshold = the (k N)-th smallest of the N^2 distances;
edges where the distance is at most the threshold, off the diagonal, weighted
by the similarity 1 - distance; symmetrised by the larger weight; identity
added; rows scaled to unit L1 norm), written from the MOGONET paper's
description with numpy. Prints what the test asserts.
With NEW.csv: the prediction-time graph over the training and new samples
(edges only between a training and a new sample, at most the training
threshold), as MOGONET builds it for its test set.
usage: /usr/bin/python3 tests/ref/mogonet_sample_graph.py DATA.csv K [NEW.csv]"""
import sys
import numpy as np

X = np.loadtxt(sys.argv[1], delimiter=",")
k = int(sys.argv[2])
N = X.shape[0]
nrm = np.linalg.norm(X, axis=1)
dist = 1.0 - (X @ X.T) / np.maximum(np.outer(nrm, nrm), 1e-8)
t = np.sort(dist.reshape(-1))[k * N]
if len(sys.argv) > 3:
    Xn = np.loadtxt(sys.argv[3], delimiter=",")
    X = np.vstack([X, Xn])
    ntr, N = N, X.shape[0]
    nrm = np.linalg.norm(X, axis=1)
    dist = 1.0 - (X @ X.T) / np.maximum(np.outer(nrm, nrm), 1e-8)
    cross = np.zeros((N, N), dtype=bool)
    cross[:ntr, ntr:] = True
    cross[ntr:, :ntr] = True
    g = ((dist <= t) & cross).astype(float)
else:
    g = (dist <= t).astype(float)
np.fill_diagonal(g, 0.0)
A = (1.0 - dist) * g
A = np.maximum(A, A.T) + np.eye(N)
A = A / np.abs(A).sum(axis=1, keepdims=True)
off = A.copy()
np.fill_diagonal(off, 0.0)
print("threshold %.12e" % t)
print("edges %d" % int((off != 0).sum()))
print("sum_of_squares %.12e" % (A ** 2).sum())
print("trace %.12e" % np.trace(A))
