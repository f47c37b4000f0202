"""Reference for the MOGONET-class model's prediction (tests/run.sh): the test
probabilities of a gepsim train output recomputed from its /model weights with
numpy, independently of gepsim's code. Per view: the prediction-time sample
graph over [training; test] (MOGONET's construction, as in
mogonet_sample_graph.py), then the graph layers, LeakyReLU(SLOPE) after each,
and the linear classifier; the views fused by VCDN (outer product of the
sigmoids, a hidden dense layer with LeakyReLU(SLOPE), a dense layer), softmax.
A regression (/training attribute loss_function "mse"): the views' outputs side by side through
the fusion's layers, then from z-scores back to the training targets' units
(/predictions/test/value).
A graph layer is a GCN, A (H W) + b, or, where the model has attention<l>, a
graph attention layer as PyTorch Geometric's GATConv(heads=1) defines it:
h = H W, e_ij = LeakyReLU_0.2(a_src . h_j + a_dst . h_i) over the graph's
nonzeros j of row i (self-loops included), alpha = softmax over j, then
sum_j alpha_ij h_j + b. Prints the largest difference from
/predictions/test/probability; exits 1 above TOL.
usage: /usr/bin/python3 tests/ref/gnn_forward.py MODEL.h5 DATADIR VIEWS K SLOPE TOL
       (VIEWS: comma-separated view names, in the deck's order; files DATADIR/<m>_tr.csv, <m>_te.csv)"""
import sys
import h5py
import numpy as np

path, datadir, views, k, slope, tol = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])


def leaky(x, s):
    return np.where(x >= 0, x, s * x)


def sample_graph(xtr, xte):
    def cosine(a):
        n = np.linalg.norm(a, axis=1)
        return 1.0 - (a @ a.T) / np.maximum(np.outer(n, n), 1e-8)
    ntr = xtr.shape[0]
    t = np.sort(cosine(xtr).reshape(-1))[k * ntr]
    x = np.vstack([xtr, xte])
    d = cosine(x)
    cross = np.zeros(d.shape, dtype=bool)
    cross[:ntr, ntr:] = True
    cross[ntr:, :ntr] = True
    g = ((d <= t) & cross).astype(float)
    np.fill_diagonal(g, 0.0)
    a = (1.0 - d) * g
    a = np.maximum(a, a.T) + np.eye(x.shape[0])
    return a / np.abs(a).sum(axis=1, keepdims=True)


def gat(a, h, att):
    es, ed = h @ att[0], h @ att[1]
    e = leaky(es[None, :] + ed[:, None], 0.2)
    e = np.where(a != 0, e, -np.inf)
    w = np.exp(e - e.max(axis=1, keepdims=True))
    return (w / w.sum(axis=1, keepdims=True)) @ h


with h5py.File(path, "r") as f:
    ntr = None
    loss = f["training"].attrs.get("loss_function", b"cross_entropy")
    regression = (loss.decode() if isinstance(loss, bytes) else str(loss)) == "mse"
    probs = []
    for m, name in enumerate(views):
        xtr = np.loadtxt("%s/%d_tr.csv" % (datadir, m + 1), delimiter=",")
        xte = np.loadtxt("%s/%d_te.csv" % (datadir, m + 1), delimiter=",")
        ntr = xtr.shape[0]
        a = sample_graph(xtr, xte)
        g = f["model/" + name]
        nl = len([key for key in g if key.startswith("W")])
        h = np.vstack([xtr, xte])
        for l in range(1, nl + 1):
            w, b = g["W%d" % l][...], g["b%d" % l][...]  # W stored fout x fin
            if l == nl:
                h = h @ w.T + b
            elif "attention%d" % l in g:
                h = leaky(gat(a, h @ w.T, g["attention%d" % l][...]) + b, slope)
            else:
                h = leaky(a @ (h @ w.T) + b, slope)
        probs.append(h if regression else 1.0 / (1.0 + np.exp(-h)))
    x = probs[0]
    if regression:  # the outputs side by side
        x = np.hstack(probs)
    else:
        for p in probs[1:]:  # index (c0 C + c1) C + ...
            x = (x[:, :, None] * p[:, None, :]).reshape(x.shape[0], -1)
    if len(views) > 1:
        v = f["model/vcdn"]
        nf = len([key for key in v if key.startswith("W")])
        for l in range(1, nf + 1):
            x = x @ v["W%d" % l][...].T + v["b%d" % l][...]
            if l < nf:
                x = leaky(x, slope)
    if regression:  # z-scores of the training targets back to their units
        t = np.loadtxt("%s/labels_tr.csv" % datadir)
        ref = (t.mean() + t.std() * x[:, 0])[ntr:]
        ours = f["predictions/test/value"][...]
    else:
        z = np.exp(x - x.max(axis=1, keepdims=True))
        ref = (z / z.sum(axis=1, keepdims=True))[ntr:]
        ours = f["predictions/test/probability"][...]
diff = np.abs(ref - ours).max()
print("largest difference from numpy's forward pass: %.3e (tolerance %.1e)" % (diff, tol))
sys.exit(0 if diff <= tol else 1)
