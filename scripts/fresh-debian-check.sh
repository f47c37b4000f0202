#!/bin/bash
# Prove the README's two commands on a bare Debian 12: make a minimal root with
# debootstrap, add only gcc, make and git, copy a clone of this checkout and
# ../shared in, and run `make run` then `make check` there (as root, as CI).
#
#   sudo bash scripts/fresh-debian-check.sh [ROOT]     (default ROOT: build/fresh-debian)
#
# The mirror is the first Debian one in this machine's own apt sources. The root
# is kept between runs (delete it to start over); the clone and the run are new
# each time. Set FRESH_TARGETS to run other targets (default: "run check").
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(realpath -m "${1:-$here/build/fresh-debian}")
targets=${FRESH_TARGETS:-run check}
suite=bookworm

die() { echo "fresh-debian-check: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap and chroot)"

# The machine's mirror: deb822 sources (URIs:) or one-line sources (deb URL suite).
mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' "$f"
  done
}
url=$(mirror | head -n 1)
[ -n "$url" ] || die "no Debian mirror found in /etc/apt/sources.list{,.d}"

command -v debootstrap > /dev/null || {
  echo "fresh-debian-check: installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap > /dev/null
}

if [ ! -x "$root/usr/bin/apt-get" ]; then
  echo "fresh-debian-check: debootstrap $suite from $url into $root"
  rm -rf "$root"
  mkdir -p "$(dirname "$root")"
  debootstrap --variant=minbase "$suite" "$root" "$url" > "$root.debootstrap.log" 2>&1 \
    || die "debootstrap failed (log: $root.debootstrap.log)"
fi

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2> /dev/null || true; done
}
trap cleanup EXIT
# /sys with what is mounted below it (/sys/fs/cgroup: slurmd will not start without it, and every
# Debian machine has it; a plain bind leaves the root without)
for m in proc sys dev dev/pts dev/shm; do
  mkdir -p "$root/$m"
  if [ "$m" = sys ]; then
    mount --rbind "/$m" "$root/$m"
    mount --make-rslave "$root/$m" # its unmount at the end must not propagate to the host's /sys
  else mount --bind "/$m" "$root/$m"; fi
  mounted+=("$root/$m")
done

if [ ! -x "$root/usr/bin/make" ]; then
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    gcc make git > /dev/null || die "apt-get install gcc make git failed in the root"
fi

# A clone of what is committed (not the working tree), and the shared data beside it.
rm -rf "$root/work"
mkdir -p "$root/work"
git clone -q "$here" "$root/work/main"
cp -a "$here/../shared" "$root/work/shared"

echo "fresh-debian-check: in the root, packages before: gcc $(chroot "$root" gcc -dumpversion)," \
  "$(chroot "$root" dpkg-query -W -f='${binary:Package}\n' | wc -l) packages, no mpicc: " \
  "$(chroot "$root" sh -c 'command -v mpicc || echo absent')"
status=0
for t in $targets; do
  echo "fresh-debian-check: make $t"
  if chroot "$root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
      CI=true bash -c "cd /work/main && make $t"; then
    echo "fresh-debian-check: make $t: ok"
  else
    echo "fresh-debian-check: make $t: FAILED"
    status=1
  fi
done
exit $status
