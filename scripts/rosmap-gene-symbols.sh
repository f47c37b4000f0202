#!/bin/bash
# The gene symbols of ROSMAP's mRNA features (MOGONET's 1_featname.csv holds
# versioned Ensembl gene ids; TRRUST names genes by HGNC symbol), for the
# knowledge-graph deck inputs/rosmap-trrust.yaml. The mapping is Bioconductor's
# org.Hs.eg.db (Debian package r-bioc-org.hs.eg.db, its SQLite file only: the
# package is downloaded and unpacked, not installed). An id with no symbol, or
# whose symbol an earlier id already took, keeps its Ensembl id; an id with
# several symbols takes the first in C collation.
# usage: scripts/rosmap-gene-symbols.sh [FEATNAMES] > inputs/rosmap/mrna_symbols.csv
set -euo pipefail
feat=${1:-../shared/data/mogonet-rosmap/1_featname.csv}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download r-bioc-org.hs.eg.db > /dev/null 2>&1 && dpkg-deb -x r-bioc-org.hs.eg.db_*.deb x)
db=$(find "$tmp/x" -name org.Hs.eg.sqlite | head -1)
[ -n "$db" ] || { echo "rosmap-gene-symbols: org.Hs.eg.sqlite not found in r-bioc-org.hs.eg.db" >&2; exit 1; }
/usr/bin/python3 - "$db" "$feat" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
sym = {}
for ens, s in db.execute("select e.ensembl_id, g.symbol from ensembl e join gene_info g on e._id = g._id"):
    sym.setdefault(ens, set()).add(s)
taken = set()
for line in open(sys.argv[2]):
    ident = line.strip()
    if not ident:
        continue
    s = sorted(sym.get(ident.split(".")[0], ()))
    name = s[0] if s and s[0] not in taken else ident
    taken.add(name)
    print(name)
PY
