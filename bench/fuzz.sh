#!/usr/bin/env bash
# Runs every fuzz target of the module for TIME each (default 10m) and
# prints one summary line per target:
#
#   bench/fuzz.sh [TIME] [PARALLEL] [REGEXP]     (REGEXP selects targets by name)
#   target                    package                        time     execs        execs/s  new  result
#
# Targets are found by scanning *_test.go files for `func FuzzXxx(`. A
# failing input is saved by `go test` under the package's testdata/fuzz/
# directory, where it then runs as a regression seed; the script exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-10m}
parallel=${2:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
only=${3:-.}
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

mapfile -t targets < <(grep -rl --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' . |
	while read -r f; do
		pkg=$(dirname "$f")
		grep -oE '^func Fuzz[A-Za-z0-9_]*' "$f" | sed "s|^func |$pkg |"
	done | sort)

printf '%-22s %-24s %8s %12s %9s %6s  %s\n' target package time execs execs/s new result
status=0
for t in "${targets[@]}"; do
	pkg=${t% *} name=${t#* }
	if ! grep -qE -- "$only" <<<"$name"; then continue; fi
	log="$logdir/$name.log"
	start=$(date +%s)
	if go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$time" -parallel "$parallel" >"$log" 2>&1; then
		result=ok
	else
		result="FAIL (see $pkg/testdata/fuzz/$name/)"
		status=1
	fi
	secs=$(($(date +%s) - start))
	# Last progress line: "fuzz: elapsed: 1m0s, execs: 123456 (2057/sec), new interesting: 12 (total: 45)"
	last=$(grep -E '^fuzz: elapsed: .*execs: ' "$log" | tail -1 || true)
	execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
	rate=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
	new=$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")
	printf '%-22s %-24s %7ss %12s %9s %6s  %s\n' "$name" "$pkg" "$secs" "${execs:-?}" "$rate" "${new:-?}" "$result"
	if [ "$result" != ok ]; then
		grep -E -A15 -e '--- FAIL|panic:' "$log" | head -40 | sed 's/^/    /'
	fi
done
exit $status
