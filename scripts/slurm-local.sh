#!/bin/bash
# A private Slurm on this machine, for the test suite's batch-job tests (tests/run.sh):
# munged, slurmctld and slurmd with their own config, keys, sockets, ports and state
# under DIR, started by `start` and stopped by their PIDs with `stop`; nothing of the
# system's Slurm or munge is used or changed. Commands then need SLURM_CONF=DIR/slurm.conf
# (`env` prints it). Needs the Debian packages slurmctld, slurmd, slurm-client and munge
# (make check installs them: scripts/install-deps.sh with GEPSIM_CHECK=1).
# usage: slurm-local.sh start|stop|env DIR
set -u
cmd=$1 dir=$(realpath -m "$2")
conf=$dir/slurm.conf
host=$(hostname -s)
stop_pid() { [ -f "$1" ] && kill "$(cat "$1")" 2> /dev/null; }
stop_all() { stop_pid "$dir/slurmd.pid"; stop_pid "$dir/slurmctld.pid"; stop_pid "$dir/munged.pid"; }
# a start that fails stops what it started: no daemon outlives the test that wanted them
fail() { echo "slurm-local: $*"; stop_all; exit 2; }

case $cmd in
env) echo "SLURM_CONF=$conf" ;;
stop)
  stop_all
  sleep 1
  for p in slurmd slurmctld munged; do [ -f "$dir/$p.pid" ] && kill -9 "$(cat "$dir/$p.pid")" 2> /dev/null; done
  exit 0 ;;
start)
  for b in munged slurmctld slurmd sbatch; do
    command -v "$b" > /dev/null || [ -x "/usr/sbin/$b" ] || { echo "slurm-local: $b is not installed"; exit 2; }
  done
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  chmod 700 "$dir/munge"
  # a private key and socket; munged runs as root here (--force), as the test runs as root
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  /usr/sbin/munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.sock" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/seed" \
    || { echo "slurm-local: munged does not start: $(tail -1 "$dir/munged.log" 2> /dev/null)"; exit 2; }
  # free ports of our own
  ports=$(python3 -c 'import socket; s=[socket.socket() for _ in range(2)]; [x.bind(("127.0.0.1", 0)) for x in s]; print(*[x.getsockname()[1] for x in s])')
  set -- $ports
  node=$(/usr/sbin/slurmd -C | head -1 | sed 's/ UpTime.*//')
  cat > "$conf" << CONF
ClusterName=gepsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
KillWait=60
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=gepsim Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
  export SLURM_CONF=$conf
  /usr/sbin/slurmctld -c -f "$conf" || fail "slurmctld does not start: $(tail -4 "$dir/slurmctld.log" | tr '\n' ' ')"
  /usr/sbin/slurmd -f "$conf" || fail "slurmd does not start: $(tail -4 "$dir/slurmd.log" | tr '\n' ' ')"
  for i in $(seq 60); do
    sinfo -h -o '%T' 2> /dev/null | grep -qE '^idle' && exit 0
    sleep 0.5
  done
  fail "the node never became idle: $(sinfo -h 2>&1 | head -1); $(tail -1 "$dir/slurmd.log")" ;;
*) echo "usage: slurm-local.sh start|stop|env DIR"; exit 2 ;;
esac
