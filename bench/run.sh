#!/usr/bin/env bash
# Times `pxvalues` against its peers, side by side, in one run:
#
#   bench/run.sh [RUNS]        (default 15 runs per row; needs Go and the module proxy)
#
# It builds pxvalues from this checkout, installs the peers from the Go
# module proxy into a cache folder (cue v0.17.1, helm v3.22.0; override
# with PXVALUES_BENCH_CACHE), and prints, for each case, the median wall time
# and the peak resident memory of the whole process, measured by
# bench/measure (rusage of each child: the figure `/usr/bin/time -f %M`
# prints, without depending on GNU time; the commands of one case run in
# turn so that they see the same load) and the ratio of pxvalues' time to
# the peer's.
#
# Inputs: the released chart defaults under ../shared/reference/polyaxon-charts
# when present (read in place, never copied into the repository), otherwise
# the repository's own fixtures (set PXVALUES_BENCH_CORPUS to use another folder).
set -euo pipefail
runs=${1:-15}
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${PXVALUES_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pxvalues-bench}
bin=$cache/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$bin"

log() { printf '%s\n' "$*" >&2; }

# --- build -----------------------------------------------------------------
# pxvalues and the floor are built as .goreleaser.yaml builds the release
# binaries (static, no cgo, stripped): the program users download. A cgo
# build links the C resolver of package net dynamically, which costs every
# run the dynamic loader's start-up.
log "building pxvalues, the floor and bench/measure..."
release=(-trimpath -ldflags "-s -w")
(cd "$root" && CGO_ENABLED=0 go build "${release[@]}" -o "$work/pxvalues" ./cmd/pxvalues &&
	CGO_ENABLED=0 go build "${release[@]}" -o "$work/floor" ./bench/floor &&
	go build -o "$work/measure" ./bench/measure)
px=$work/pxvalues
measure=$work/measure

install_peer() { # NAME PACKAGE MODULE VERSION: go install PACKAGE@VERSION unless already there
	local name=$1 pkg=$2 mod=$3 ver=$4
	if [ -x "$bin/$name" ] && go version -m "$bin/$name" 2>/dev/null | grep -qE "^[[:space:]]mod[[:space:]]$mod[[:space:]]$ver[[:space:]]"; then
		return 0
	fi
	log "installing $pkg@$ver into $bin (Go module proxy)..."
	if ! (cd "$work" && GOBIN=$bin go install "$pkg@$ver" >&2); then
		log "could not install $pkg@$ver: its rows are skipped"
		return 1
	fi
}
have_cue=0 have_helm=0
install_peer cue cuelang.org/go/cmd/cue cuelang.org/go v0.17.1 && have_cue=1
install_peer helm helm.sh/helm/v3/cmd/helm helm.sh/helm/v3 v3.22.0 && have_helm=1
cue=$bin/cue helm=$bin/helm

# --- inputs ----------------------------------------------------------------
corpus=${PXVALUES_BENCH_CORPUS:-$root/../shared/reference/polyaxon-charts}
if [ -f "$corpus/platform/v2.15.1.yaml" ]; then
	v2=$corpus/platform/v2.15.1.yaml
	v2name="platform v2.15.1 defaults"
else
	v2=$root/lint/testdata/bench/platform-v2.yaml
	v2name="platform v2 fixture"
fi
v0=""
if [ -f "$corpus/platform/v0.6.1.yaml" ]; then
	v0=$corpus/platform/v0.6.1.yaml
else
	v0=$root/cmd/pxvalues/testdata/hardening/v0-values.yaml
fi
lines() { wc -l <"$1" | tr -d ' '; }

# 1,000 files: the v2 file with a different replica count each, and an
# unknown key in one in ten.
mkdir -p "$work/many"
for i in $(seq 0 999); do
	f=$(printf '%s/many/values-%04d.yaml' "$work" "$i")
	sed "0,/replicas: [0-9]*/s//replicas: $((1 + i % 5))/" "$v2" >"$f"
	if [ $((i % 10)) -eq 0 ]; then printf '\nunknownKey%d: true\n' "$i" >>"$f"; fi
done

# 3 layers: the chart defaults, an environment file, a cluster file.
printf 'gateway:\n  replicas: 3\n  service:\n    type: LoadBalancer\nlogLevel: INFO\n' >"$work/env.yaml"
printf 'gateway:\n  resources:\n    limits:\n      memory: 1Gi\nui:\n  adminEnabled: true\n' >"$work/cluster.yaml"

# pxvalues' own exported CUE schema, for cue vet.
"$px" schema --chart platform --major v2 --format cue >"$work/platform_v2.cue"
schema=("$work/platform_v2.cue")

# A chart carrying pxvalues' exported values.schema.json, for helm lint.
chart=$work/chart
mkdir -p "$chart/templates"
printf 'apiVersion: v2\nname: polyaxon\nversion: 2.15.1\n' >"$chart/Chart.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench\ndata: {}\n' >"$chart/templates/cm.yaml"
cp "$v2" "$chart/values.yaml"
have_schema=0
if "$px" schema --chart platform --major v2 >"$chart/values.schema.json" 2>/dev/null; then
	have_schema=1
fi

# --- measure ---------------------------------------------------------------
# add TOOL "EXIT CODES" COMMAND...: queues a command for the current case;
# flush CASE: runs the queued commands in turn (round robin, so that they
# all see the same machine load) and prints a row each, the first one
# (pxvalues) giving the base of the ratio column.
names=() oks=() cmdline=()
add() {
	names+=("$1") oks+=("$2")
	shift 2
	if [ ${#cmdline[@]} -gt 0 ]; then cmdline+=(":::"); fi
	cmdline+=("$@")
}
flush() {
	local case=$1 out i=0 base="" cbase="" ms kib code cpu ratio cratio mark
	if ! out=$("$measure" -n "$runs" -- "${cmdline[@]}"); then
		printf '%-44s %-36s %s\n' "$case" "${names[0]}" "measure failed"
	else
		while read -r ms kib code cpu; do
			ratio="-" cratio="-" mark=""
			if [ -z "$base" ]; then
				base=$ms cbase=$cpu
			else
				ratio=$(awk -v a="$base" -v b="$ms" 'BEGIN { printf "%.2fx", a / b }')
				cratio=$(awk -v a="$cbase" -v b="$cpu" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
			fi
			if [[ ! " ${oks[$i]} " =~ " $code " ]]; then mark="  (unexpected exit $code)"; fi
			printf '%-44s %-36s %9s %9s %9s %9s %9s%s\n' "$case" "${names[$i]}" "$ms" "$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')" "$ratio" "$cpu" "$cratio" "$mark"
			i=$((i + 1))
		done <<<"$out"
	fi
	names=() oks=() cmdline=()
}
skip() { printf '%-44s %-36s %s\n' "$1" "$2" "$3"; }

log "measuring ($runs runs per row)..."
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || true)
echo "pxvalues $("$px" version | awk '{print $2}') | $(go version | awk '{print $3}') | $(uname -sm) | $(getconf _NPROCESSORS_ONLN) cores ${cpu:+| $cpu} | $(date -u +%Y-%m-%dT%H:%MZ)"
echo "pxvalues and floor built as the release (CGO_ENABLED=0 -trimpath -ldflags '-s -w'); load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "median wall time, peak RSS and median CPU time (user+system) of the whole process over $runs runs; ratio = pxvalues time / peer time"
echo
printf '%-44s %-36s %9s %9s %9s %9s %9s\n' case tool "wall ms" "peak MiB" ratio "cpu ms" "cpu ratio"
printf '%-44s %-36s %9s %9s %9s %9s %9s\n' ---- ---- ------- -------- ----- ------ ---------

c1="one file: $v2name ($(lines "$v2")l)"
add "pxvalues lint" "0 1" "$px" lint "$v2"
add "floor (Go program: read the file)" "0" "$work/floor" "$v2"
[ $have_cue = 1 ] && add "cue vet -d '#PlatformV2' (exported CUE)" "0" "$cue" vet -d '#PlatformV2' "${schema[@]}" "$v2"
[ $have_helm = 1 ] && [ $have_schema = 1 ] && add "helm lint (chart + values.schema)" "0" "$helm" lint "$chart" -f "$v2"
flush "$c1"
if [ $have_helm = 0 ] || [ $have_schema = 0 ]; then skip "$c1" "helm lint" "skipped (no helm or no pxvalues schema)"; fi

c2="1,000 files in one call"
add "pxvalues lint DIR" "0 1" "$px" lint "$work/many"
[ $have_cue = 1 ] && add "cue vet (1,000 data files)" "0 1" "$cue" vet -d '#PlatformV2' "${schema[@]}" "$work"/many/*.yaml
flush "$c2"

c3="3 layers (defaults, env, cluster)"
if "$px" lint -h 2>&1 | grep -q -- '--values'; then
	add "pxvalues lint -f -f -f" "0 1" "$px" lint -f "$v2" -f "$work/env.yaml" -f "$work/cluster.yaml"
	[ $have_helm = 1 ] && [ $have_schema = 1 ] && add "helm lint -f -f -f" "0" "$helm" lint "$chart" -f "$v2" -f "$work/env.yaml" -f "$work/cluster.yaml"
	flush "$c3"
else
	skip "$c3" "pxvalues" "skipped (no -f layering)"
fi

c4="migrate v0 to v2: $(basename "$v0")"
if [ -n "$v0" ] && "$px" migrate -h >/dev/null 2>&1; then
	add "pxvalues migrate --to v2" "0 1" "$px" migrate --to v2 "$v0"
	add "pxvalues lint (same file)" "0 1" "$px" lint "$v0"
	flush "$c4 ($(lines "$v0")l)"
else
	skip "$c4" "pxvalues" "skipped (no migrate or no v0.6.1 input)"
fi
echo
echo "targets (issue 10): one file <= 0.25x cue vet and <= 2x the floor; migrate v0 to v2 <= 2x a lint of the same file"
echo "targets (issue 2): one file < 64 MiB; 1,000 files < 2000 ms"
