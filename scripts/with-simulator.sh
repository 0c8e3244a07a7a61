#!/usr/bin/env bash
# with-simulator.sh CMD [ARGS...]
#
# Start the FortiAnalyzer/GravityZone simulator (tests/simulator) on 127.0.0.1 and a free port,
# run CMD with the connection environment the modules read, stop the simulator whatever happens,
# and exit with CMD's status. State (CA, certificates) goes to $SIM_STATE_DIR (.tmp/sim).
#
# CMD sees:
#   FORTIANALYZER_HOST/PORT/USERNAME/PASSWORD/CA_PATH   GRAVITYZONE_API_URL/API_KEY/CA_PATH
#   SIM_FAZ_URL  SIM_GZ_API_URL  SIM_CA_PATH  SIM_PORT  SIM_READY_FILE
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python}
state_dir=${SIM_STATE_DIR:-$root/.tmp/sim}
# Per run, so that two runs at once (demo and molecule, say) do not read each other's file.
ready_file=$state_dir/ready.$$.json
log_file=$state_dir/simulator.$$.log
start_timeout=${SIM_START_TIMEOUT:-30}

mkdir -p "$state_dir"
rm -f "$ready_file"

(cd "$root" && exec "$python" -m tests.simulator --port 0 --state-dir "$state_dir" \
    --ready-file "$ready_file") >"$log_file" 2>&1 </dev/null &
sim_pid=$!

# On exit, whatever the cause: stop the simulator (SIGTERM, then SIGKILL after 5 s) and keep
# its log only when something failed.
# shellcheck disable=SC2329  # called by the EXIT trap
finish() {
    local status=$?
    rm -f "$ready_file"
    if kill -TERM "$sim_pid" 2>/dev/null; then
        for _ in $(seq 50); do
            kill -0 "$sim_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$sim_pid" 2>/dev/null; then
            echo "with-simulator: simulator (pid $sim_pid) ignored SIGTERM; killing it" >&2
            kill -KILL "$sim_pid" 2>/dev/null || true
        fi
    fi
    if [ "$status" -eq 0 ]; then
        rm -f "$log_file"
    else
        echo "with-simulator: simulator log: $log_file" >&2
    fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

deadline=$((SECONDS + start_timeout))
until [ -s "$ready_file" ]; do
    if ! kill -0 "$sim_pid" 2>/dev/null; then
        echo "with-simulator: the simulator exited before it was ready; its output:" >&2
        cat "$log_file" >&2
        exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "with-simulator: the simulator was not ready after ${start_timeout}s; its output:" >&2
        cat "$log_file" >&2
        exit 1
    fi
    sleep 0.1
done

# The simulator may write the file in more than one step: read it until it parses.
read_ready_file() {
    "$python" - "$ready_file" "$root" <<'PY'
import json, os, sys
with open(sys.argv[1], encoding='utf-8') as handle:
    info = json.load(handle)
info['ca_path'] = os.path.join(sys.argv[2], info['ca_path'])  # stays as is when absolute
for key in ('port', 'ca_path', 'faz_url', 'gz_api_url'):
    print(info[key])
PY
}
ready=
for _ in $(seq 20); do
    ready=$(read_ready_file 2>/dev/null) && break
    ready=
    sleep 0.1
done
if [ -z "$ready" ]; then
    echo "with-simulator: cannot read $ready_file:" >&2
    read_ready_file >&2 || true
    exit 1
fi
{ read -r port; read -r ca_path; read -r faz_url; read -r gz_api_url; } <<<"$ready"

export SIM_READY_FILE=$ready_file SIM_PORT=$port SIM_CA_PATH=$ca_path
export SIM_FAZ_URL=$faz_url SIM_GZ_API_URL=$gz_api_url
export FORTIANALYZER_HOST=127.0.0.1 FORTIANALYZER_PORT=$port
export FORTIANALYZER_USERNAME=admin FORTIANALYZER_PASSWORD=sim-admin-pass
export FORTIANALYZER_CA_PATH=$ca_path
export GRAVITYZONE_API_URL=$gz_api_url
export GRAVITYZONE_API_KEY=simgzkey0123456789abcdef0123456789abcdef
export GRAVITYZONE_CA_PATH=$ca_path

# CMD runs in the background so that a SIGTERM sent to this script is handled at once (bash
# defers traps while a foreground child runs): it is passed on to CMD, then the simulator stops.
exec {stdin}<&0
"$@" <&"$stdin" &
cmd_pid=$!
trap 'kill -INT "$cmd_pid" 2>/dev/null; wait "$cmd_pid"; exit 130' INT
trap 'kill -TERM "$cmd_pid" 2>/dev/null; wait "$cmd_pid"; exit 143' TERM
status=0
wait "$cmd_pid" || status=$?
exit "$status"
