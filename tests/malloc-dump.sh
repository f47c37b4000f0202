#!/bin/bash
# make check SANITIZE=1 runs every gepsim program through this: PETSc's -malloc_dump
# lists, at PetscFinalize, every PETSc allocation still held (an object left
# undestroyed, a PetscMalloc never freed). A run that succeeds but leaves any
# fails, naming the first blocks; a failing run keeps its own exit status.
# SIGTERM and SIGINT are passed on to the program (mpirun signals this wrapper).
# usage: malloc-dump.sh PROGRAM [ARGS...]   (stdout passes through)
log=$(mktemp)
fifo=$(mktemp -u)
mkfifo "$fifo"
trap 'rm -f "$log" "$fifo"' EXIT
tee "$log" < "$fifo" &
tpid=$!
PETSC_OPTIONS="$PETSC_OPTIONS -malloc_dump" "$@" > "$fifo" &
pid=$!
trap 'kill -TERM $pid 2> /dev/null' TERM
trap 'kill -INT $pid 2> /dev/null' INT
while :; do # a trapped signal ends wait early: wait again until the program has ended
  wait $pid
  rc=$?
  kill -0 $pid 2> /dev/null || break
done
wait $tpid
if [ "$rc" = 0 ] && grep -qE '^\[ *[0-9]+\] *[0-9]+ bytes ' "$log"; then
  echo "malloc_dump: $(basename "$1") left PETSc memory allocated: $(grep -m 3 -E '^\[ *[0-9]+\] *[0-9]+ bytes ' "$log" | tr '\n' ';')" >&2
  rc=1
fi
exit "$rc"
