#!/bin/bash
# make check SANITIZE=1 runs every gepsim program through this: PETSc's -malloc_dump
# lists, at PetscFinalize, every PETSc allocation still held (an object left
# undestroyed, a PetscMalloc never freed). A run that succeeds but leaves any
# fails, naming the first blocks; a failing run keeps its own exit status.
# usage: malloc-dump.sh PROGRAM [ARGS...]   (stdout passes through)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
PETSC_OPTIONS="$PETSC_OPTIONS -malloc_dump" "$@" | tee "$log"
rc=${PIPESTATUS[0]}
if [ "$rc" = 0 ] && grep -qE '^\[ *[0-9]+\] *[0-9]+ bytes ' "$log"; then
  echo "malloc_dump: $(basename "$1") left PETSc memory allocated: $(grep -m 3 -E '^\[ *[0-9]+\] *[0-9]+ bytes ' "$log" | tr '\n' ';')" >&2
  rc=1
fi
exit "$rc"
