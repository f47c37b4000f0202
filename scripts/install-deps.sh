#!/bin/sh
# Install the Debian packages gepsim needs, only those that are missing.
# Idempotent: a second run installs nothing. Must run as root (CI does).
# libxml2-dev: libsbml.pc requires libxml-2.0, and without it pkg-config gives
# no flags for any package.
set -e
# python3-numpy, python3-h5py: the test suite's references (tests/ref/gnn_forward.py,
# scripts/cll_drug_regression.py), run with Debian's /usr/bin/python3
PKGS="libopenmpi-dev openmpi-bin libpetsc-real-dev libscalapack-openmpi-dev \
libhdf5-openmpi-dev hdf5-tools libsbml5-dev libxml2-dev libopenblas0-serial pkg-config \
python3-numpy python3-h5py"
[ -n "$GEPSIM_EXTRA_PKGS" ] && PKGS="$PKGS $GEPSIM_EXTRA_PKGS"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing Debian packages:$missing (run as root: sh scripts/install-deps.sh)" >&2
  exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Select OpenBLAS over the reference BLAS for PETSc, numpy and torch alike.
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
  cand=$(update-alternatives --list "$alt" 2>/dev/null | grep openblas | head -n1 || true)
  [ -n "$cand" ] && update-alternatives --set "$alt" "$cand" >/dev/null || true
done
echo "install-deps: done"
