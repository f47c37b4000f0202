#!/bin/bash
# docs/deck-reference.md against the code: every gepsim option that a command's
# -help lists is documented (in the first column of one of its tables), and every
# documented option is listed by some command's -help. PETSc's own options under
# a solver prefix (-ensemble_ts_..., -gnn_ridge_pc_...) need not each be documented,
# but those documented must exist. Prints what differs.
# usage: check_deck_reference.sh GEPSIM   (from the project root; needs ../shared/data)
gepsim=$1
prefixes='^-(model|ensemble|simulate|screen|perturb|omics|fa|factor|gnn|train|predict|o)(_|$)'
solvers='^-(ensemble_(ts|snes|ksp|pc|mat)|gnn_linear_(tao|ksp|pc|mat)|gnn_ridge_(ksp|pc|mat))_'
for c in "simulate inputs/default.yaml" "screen tests/data/screen/chain.yaml" "screen-merge tests/data/screen/chain.yaml" "factor inputs/mofa-golden.yaml" "import" \
         "train inputs/rosmap.yaml" "train inputs/rosmap-trrust.yaml" "predict inputs/rosmap.yaml"; do
  $gepsim $c -help 2> /dev/null | grep -oE '^\s+-[a-z][a-z0-9_]*' | tr -d ' \t'
done | grep -E "$prefixes" | sort -u > "${TMPDIR:-/tmp}/deckref-all.$$"
grep -vE "$solvers" "${TMPDIR:-/tmp}/deckref-all.$$" > "${TMPDIR:-/tmp}/deckref-help.$$"
awk -F'|' '/^\| `-/ { print $2 }' docs/deck-reference.md | grep -oE '`-[a-z][a-z0-9_]*' | tr -d '`' \
  | grep -E "$prefixes" | grep -v '_$' | sort -u > "${TMPDIR:-/tmp}/deckref-docs.$$"
undocumented=$(comm -23 "${TMPDIR:-/tmp}/deckref-help.$$" "${TMPDIR:-/tmp}/deckref-docs.$$" | paste -sd' ')
unknown=$(comm -13 "${TMPDIR:-/tmp}/deckref-all.$$" "${TMPDIR:-/tmp}/deckref-docs.$$" | paste -sd' ')
n=$(wc -l < "${TMPDIR:-/tmp}/deckref-help.$$")
rm -f "${TMPDIR:-/tmp}/deckref-all.$$" "${TMPDIR:-/tmp}/deckref-help.$$" "${TMPDIR:-/tmp}/deckref-docs.$$"
[ "$n" -gt 50 ] || { echo "only $n options listed by -help: the commands did not run"; exit 1; }
[ -z "$undocumented" ] || echo "listed by -help, not in docs/deck-reference.md: $undocumented"
[ -z "$unknown" ] || echo "in docs/deck-reference.md, listed by no command's -help: $unknown"
[ -z "$undocumented$unknown" ] && echo "$n options: each documented, none documented that no command reads"
[ -z "$undocumented$unknown" ]
