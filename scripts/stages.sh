#!/usr/bin/env bash
# stages.sh STAGE...: run `make STAGE` for each stage in order, stop at the first failure, and
# print one line per stage with its time, then a summary.
set -uo pipefail
make=${MAKE:-make}
results=()
total_start=$SECONDS
status=0

for stage in "$@"; do
    echo "==> $stage"
    start=$SECONDS
    "$make" --no-print-directory "$stage"
    status=$?
    took=$((SECONDS - start))
    if [ "$status" -eq 0 ]; then
        results+=("$(printf '  %-12s ok     %4ds' "$stage" "$took")")
        echo "<== $stage: ok (${took}s)"
    else
        results+=("$(printf '  %-12s FAILED %4ds' "$stage" "$took")")
        echo "<== $stage: FAILED (${took}s, exit $status)"
        break
    fi
done

echo
echo "Summary:"
printf '%s\n' "${results[@]}"
echo "  total $((SECONDS - total_start))s"
exit "$status"
