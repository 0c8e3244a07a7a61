#!/usr/bin/env bash
# stages.sh LANE...: the gates of `make test`, in lanes that run at the same time.
#
# A LANE is a comma-separated list of stages (`make STAGE` each) run in order; the Makefile's `test`
# says which stages share a lane. What the stages share is made once, so that no two stages build it
# at once, and is then taken as up to date inside the lanes (make -o): first .venv, then, while the
# lanes already run, the late set-up (the targets in $SETUP, the tarball built and installed). A stage
# named in $EARLY needs only .venv and starts at once; any other stage waits for the late set-up.
#
# Each stage writes its output to .tmp/stages/STAGE.log. A line is printed as each stage ends (with
# the last lines of its log); a stage that fails prints its log's tail, and no lane starts another
# stage after a failure. The summary lists every stage with its time.
set -uo pipefail
make=${MAKE:-make}
root=$(cd "$(dirname "$0")/.." && pwd)
logs=$root/.tmp/stages
TAIL_ON_FAILURE=${TAIL_ON_FAILURE:-200}
rm -rf "$logs"
mkdir -p "$logs"
failed_flag=$logs/.failed
total_start=$SECONDS
# Made once by the set-up (below): what several stages need.
shared=(-o venv -o build -o install)

read -r -a early <<<"${EARLY:-}"
late_done=$logs/.late-setup-done

# Waits for the late set-up unless `stage` is in EARLY; false when the set-up failed.
wait_for_setup() {
    local name
    for name in "${early[@]}"; do
        [ "$name" = "$1" ] && return 0
    done
    while [ ! -e "$late_done" ]; do
        [ -e "$failed_flag" ] && return 1
        sleep 0.2
    done
}

run_lane() {
    local stage start took status
    IFS=',' read -r -a stages <<<"$1"
    for stage in "${stages[@]}"; do
        if ! wait_for_setup "$stage" || [ -e "$failed_flag" ]; then
            printf '%s skipped\n' "$stage" >"$logs/$stage.result"
            continue
        fi
        echo "==> $stage"
        start=$SECONDS
        "$make" --no-print-directory "${shared[@]}" "$stage" >"$logs/$stage.log" 2>&1 </dev/null
        status=$?
        took=$((SECONDS - start))
        if [ "$status" -eq 0 ]; then
            printf '%s ok %d\n' "$stage" "$took" >"$logs/$stage.result"
            { echo "<== $stage: ok (${took}s)"; grep -v '^\s*$' "$logs/$stage.log" | tail -n 2 | sed 's/^/    /'; }
        else
            : >"$failed_flag"
            printf '%s FAILED %d\n' "$stage" "$took" >"$logs/$stage.result"
            { echo "<== $stage: FAILED (${took}s, exit $status); the last $TAIL_ON_FAILURE lines of $logs/$stage.log:"
              tail -n "$TAIL_ON_FAILURE" "$logs/$stage.log"; echo "<== end of $stage"; }
        fi
    done
}

# SETUP names more make targets for the late set-up (the release check's venv, say), made at the same
# time as the tarball is built and installed.
echo "==> shared set-up (venv)"
if ! "$make" --no-print-directory venv </dev/null; then
    echo "<== shared set-up FAILED"
    exit 1
fi
read -r -a setup <<<"${SETUP:-}"
echo "==> late set-up (${SETUP:+$SETUP, }build, install), while the stages that need only .venv run"
(
    if "$make" --no-print-directory -j2 --output-sync=target -o venv "${setup[@]}" install \
            >"$logs/late-setup.log" 2>&1 </dev/null; then
        : >"$late_done"
        sed 's/^/    /' "$logs/late-setup.log"
    else
        : >"$failed_flag"
        echo "<== late set-up FAILED:"
        cat "$logs/late-setup.log"
    fi
) &
setup_pid=$!

pids=()
for lane in "$@"; do
    run_lane "$lane" &
    pids+=($!)
done
for pid in "${pids[@]}" "$setup_pid"; do
    wait "$pid"
done

echo
echo "Summary (lanes: $*):"
status=0
for lane in "$@"; do
    IFS=',' read -r -a stages <<<"$lane"
    for stage in "${stages[@]}"; do
        outcome=missing took=0
        if [ -f "$logs/$stage.result" ]; then
            read -r _name outcome took <"$logs/$stage.result"
        fi
        case "$outcome" in
            ok) printf '  %-14s ok     %4ss\n' "$stage" "$took" ;;
            FAILED) printf '  %-14s FAILED %4ss  (log: %s)\n' "$stage" "$took" "$logs/$stage.log"; status=1 ;;
            *) printf '  %-14s skipped (a stage failed)\n' "$stage"; status=1 ;;
        esac
    done
done
if [ ! -e "$late_done" ]; then
    echo "  late set-up FAILED (log: $logs/late-setup.log)"
    status=1
fi
echo "  total $((SECONDS - total_start))s"
exit "$status"
