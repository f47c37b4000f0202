#!/usr/bin/python3
"""The peer for bench/gnn.sh: MOGONET's model and schedule in PyTorch (CPU,
float32 as MOGONET, one thread), written for this benchmark from the paper's
description: per view three graph convolutions A (X W) + b (LeakyReLU 0.25,
dropout 0.5 between them) over the cosine sample graph (k edges per node),
a linear classifier, the VCDN on the outer product of the views' sigmoid
scores; Adam; pre-training then joint training; class-frequency sample
weights. Prints the time per epoch of each phase and the test scores.
The graph is a sparse tensor (torch.sparse.mm), as MOGONET's code has it;
--dense-adjacency makes it a dense matrix, as the re-implementation the issue
quotes (30 ms a pre-training epoch) had it.
usage: mogonet_torch.py [--dense-adjacency] DATADIR PRETRAIN EPOCHS SEED [OUT.npy]"""
import sys, time
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

torch.set_num_threads(1)
dense = "--dense-adjacency" in sys.argv
argv = [x for x in sys.argv if x != "--dense-adjacency"]
d, pre, epochs, seed = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
torch.manual_seed(seed)
np.random.seed(seed)
k, hidden, C = 2, [200, 200, 100], 2
ytr = np.loadtxt(f"{d}/labels_tr.csv").astype(int)
yte = np.loadtxt(f"{d}/labels_te.csv").astype(int)
Ntr, Nte = len(ytr), len(yte)

def cosine_dist(a, b):
    an = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-8)
    bn = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-8)
    return 1 - an @ bn.T

def graph(x, t, ntrain):
    n = len(x)
    dist = cosine_dist(x, x)
    keep = dist <= t
    np.fill_diagonal(keep, False)
    if ntrain < n:  # prediction graph: training <-> new only
        side = np.arange(n) < ntrain
        keep &= side[:, None] != side[None, :]
    a = np.where(keep, 1 - dist, 0) + np.eye(n)
    a /= a.sum(1, keepdims=True)
    a = torch.tensor(a, dtype=torch.float32)
    return a if dense else a.to_sparse()

views = []
for v in (1, 2, 3):
    xtr = np.loadtxt(f"{d}/{v}_tr.csv", delimiter=",")
    xte = np.loadtxt(f"{d}/{v}_te.csv", delimiter=",")
    t = np.sort(cosine_dist(xtr, xtr).ravel())[k * Ntr]
    xall = np.vstack([xtr, xte])
    views.append(dict(xtr=torch.tensor(xtr, dtype=torch.float32), xall=torch.tensor(xall, dtype=torch.float32),
                      atr=graph(xtr, t, Ntr), aall=graph(xall, t, Ntr)))

class GCN(torch.nn.Module):
    def __init__(self, fin, sizes):
        super().__init__()
        dims = [fin] + sizes
        self.W = torch.nn.ParameterList([torch.nn.Parameter(torch.nn.init.xavier_normal_(torch.empty(dims[i], dims[i + 1]))) for i in range(len(sizes))])
        self.b = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(dims[i + 1])) for i in range(len(sizes))])
        self.clf = torch.nn.Linear(sizes[-1], C)
        torch.nn.init.xavier_normal_(self.clf.weight); torch.nn.init.zeros_(self.clf.bias)
    def forward(self, x, a):
        for i in range(len(self.W)):
            x = F.leaky_relu((a @ (x @ self.W[i]) if dense else torch.sparse.mm(a, x @ self.W[i])) + self.b[i], 0.25)
            if i < len(self.W) - 1:
                x = F.dropout(x, 0.5, self.training)
        return self.clf(x)

class VCDN(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.l1, self.l2 = torch.nn.Linear(C ** m, C ** m), torch.nn.Linear(C ** m, C)
        for l in (self.l1, self.l2):
            torch.nn.init.xavier_normal_(l.weight); torch.nn.init.zeros_(l.bias)
    def forward(self, zs):
        s = [torch.sigmoid(z) for z in zs]
        x = s[0]
        for si in s[1:]:
            x = (x.unsqueeze(-1) * si.unsqueeze(1)).reshape(x.shape[0], -1)
        return self.l2(F.leaky_relu(self.l1(x), 0.25))

nets = [GCN(v["xtr"].shape[1], hidden) for v in views]
vcdn = VCDN(len(views))
count = np.bincount(ytr, minlength=C)
w = torch.tensor(count[ytr] / Ntr, dtype=torch.float32)
y = torch.tensor(ytr)
def loss_of(z): return torch.mean(F.cross_entropy(z, y, reduction="none") * w)

times = {}
for phase, n, lr in (("pre-training", pre, 1e-3), ("joint", epochs, 5e-4)):
    opts = [torch.optim.Adam(net.parameters(), lr=lr) for net in nets]
    optc = torch.optim.Adam(vcdn.parameters(), lr=1e-3)
    t0 = time.perf_counter()
    for e in range(n):
        for net, v, o in zip(nets, views, opts):
            net.train(); o.zero_grad()
            l = loss_of(net(v["xtr"], v["atr"])); l.backward(); o.step()
        if phase == "joint":
            optc.zero_grad()
            l = loss_of(vcdn([net(v["xtr"], v["atr"]) for net, v in zip(nets, views)])); l.backward(); optc.step()
    times[phase] = (time.perf_counter() - t0) / max(n, 1)
with torch.no_grad():
    for net in nets: net.eval()
    p = F.softmax(vcdn([net(v["xall"], v["aall"]) for net, v in zip(nets, views)]), 1)[Ntr:].numpy()
pred = p.argmax(1)
print("torch: pre-training %.2f ms per epoch, joint %.2f ms per epoch" % (1e3 * times["pre-training"], 1e3 * times["joint"]))
print("torch: test ACC %.4f F1 %.4f AUC %.4f" % (accuracy_score(yte, pred), f1_score(yte, pred), roc_auc_score(yte, p[:, 1])))
if len(argv) > 5: np.save(argv[5], p)
