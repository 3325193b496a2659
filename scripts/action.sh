#!/usr/bin/env bash
# The shell steps of action.yml: `action.sh resolve|install|lint`, each
# reading its step's env and writing GITHUB_OUTPUT / GITHUB_PATH.
set -uo pipefail

out() { echo "$1=$2" >> "$GITHUB_OUTPUT"; }
release_tag() { [[ "$1" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; }

# resolve: mode=release (a tag or latest: download the release binary) or
# build (a commit or branch: build with the job's Go); the Go cache folders
# and key for a build.
resolve() {
  local version="${INPUT_VERSION:-}" mode
  if [ -z "$version" ] && release_tag "${ACTION_REF:-}"; then
    version="$ACTION_REF"
  fi
  if [ "$version" = latest ] || release_tag "$version"; then
    mode=release
  else
    mode=build
  fi
  local cache="${HOME:-$RUNNER_TEMP}/.cache/pxvalues-action"
  local sum
  sum="$( (cat "$ACTION_PATH/go.sum" 2>/dev/null; echo "${version:-${ACTION_REF:-local}}") | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16)"
  out mode "$mode"
  out version "$version"
  out gocache "$cache/go-build"
  out gomodcache "$cache/go-mod"
  out cache-key "pxvalues-go-$(uname -s)-$(uname -m)-$sum"
  echo "pxvalues: ${version:-the checkout of the action} ($mode)"
}

# install puts pxvalues on PATH for the next steps.
install() {
  local bin="${RUNNER_TEMP:-/tmp}/pxvalues-bin"
  mkdir -p "$bin" || exit 1
  if [ "$MODE" = release ]; then
    bash "$ACTION_PATH/scripts/install.sh" --version "$VERSION" --dir "$bin" || exit 1
  else
    if ! command -v go >/dev/null 2>&1; then
      echo "::error title=pxvalues::no Go on PATH to build pxvalues ${VERSION:-at the commit of the action}: use a release (uses: pxvalues/pxvalues@vX.Y.Z, or version: latest) or set up Go before this step"
      exit 1
    fi
    # the job's Go, with caches of our own; GOTOOLCHAIN=auto fetches the
    # toolchain go.mod needs for this build only
    export GOCACHE="$GOCACHE_DIR" GOMODCACHE="$GOMODCACHE_DIR" GOFLAGS=-modcacherw
    export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
    if [ -n "$VERSION" ]; then
      GOBIN="$bin" go install "github.com/pxvalues/pxvalues/cmd/pxvalues@$VERSION" || exit 1
    else
      go build -C "$ACTION_PATH" -o "$bin/" ./cmd/pxvalues || exit 1
    fi
  fi
  echo "$bin" >> "$GITHUB_PATH"
  "$bin/pxvalues" version || exit 1
}

# lines appends `flag line` to args for each non-empty line of $2.
lines() {
  local flag="$1" l
  while IFS= read -r l; do
    if [ -n "$l" ]; then args+=("$flag" "$l"); fi
  done <<< "$2"
}

lint() {
  local report sarif="" category
  report="$(mktemp "${RUNNER_TEMP:-/tmp}/pxvalues-report.XXXXXX")"
  args=(lint --fail-on "$INPUT_FAIL_ON" --output "$INPUT_FORMAT" --output "json=$report")
  if [ -n "$INPUT_SARIF" ]; then
    sarif="$INPUT_SARIF"
    args+=(--output "sarif=$sarif")
  fi
  lines -f "$INPUT_VALUES"
  lines --set "$INPUT_SET"
  lines --set-string "$INPUT_SET_STRING"
  lines --set-json "$INPUT_SET_JSON"
  local g excludes=()
  read -r -d '' -a excludes < <(printf '%s\0' "$INPUT_EXCLUDE" | tr '\n' ' ')
  for g in ${excludes[@]+"${excludes[@]}"}; do args+=(--exclude "$g"); done
  if [ -n "$INPUT_CONFIG" ]; then args+=(--config "$INPUT_CONFIG"); fi
  if [ -n "$INPUT_CHART" ]; then args+=(--chart "$INPUT_CHART"); fi
  if [ -n "$INPUT_MAJOR" ]; then args+=(--major "$INPUT_MAJOR"); fi
  if [ -n "$INPUT_TARGET" ]; then args+=(--target "$INPUT_TARGET"); fi
  local extra=() paths=()
  read -r -a extra <<< "$INPUT_ARGS"
  read -r -d '' -a paths < <(printf '%s\0' "$INPUT_PATHS" | tr '\n' ' ')
  if [ -n "$INPUT_VALUES" ] && [ "$INPUT_PATHS" = "." ]; then
    paths=()
  fi
  pxvalues "${args[@]}" ${extra[@]+"${extra[@]}"} ${paths[@]+"${paths[@]}"}
  local code=$?
  out exit-code "$code"
  echo "pxvalues exited with $code"
  # the summary of the JSON report: "errors": N and "warnings": N appear
  # nowhere else in it
  out errors "$(sed -n 's/^ *"errors": \([0-9][0-9]*\).*/\1/p' "$report" | tail -n 1)"
  out warnings "$(sed -n 's/^ *"warnings": \([0-9][0-9]*\).*/\1/p' "$report" | tail -n 1)"
  rm -f "$report"
  if [ -n "$sarif" ] && [ -f "$sarif" ]; then
    out sarif "$sarif"
  else
    sarif=""
    out sarif ""
  fi
  category="$INPUT_CATEGORY"
  if [ -z "$category" ]; then
    category="pxvalues/$(echo "$INPUT_PATHS $INPUT_VALUES" | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')"
  fi
  out category "$category"
  local upload=false
  case "$INPUT_UPLOAD_SARIF" in
    true) upload=true ;;
    false) ;;
    auto)
      upload=true
      if [ "${EVENT_NAME:-}" = pull_request ] && [ -n "${HEAD_REPO:-}" ] && [ "$HEAD_REPO" != "${REPOSITORY:-}" ]; then
        upload=false
        echo "pxvalues: a pull request from a fork cannot upload SARIF (read-only token); skipped"
      elif [ "${ACTOR:-}" = "dependabot[bot]" ]; then
        upload=false
        echo "pxvalues: Dependabot's token cannot upload SARIF; skipped"
      fi
      ;;
    *) echo "::error title=pxvalues::upload-sarif must be auto, true or false, not $INPUT_UPLOAD_SARIF"; out exit-code 2 ;;
  esac
  if [ -z "$sarif" ]; then upload=false; fi
  out upload "$upload"
  return 0
}

case "${1:-}" in
  resolve) resolve ;;
  install) install ;;
  lint) lint ;;
  *) echo "usage: action.sh resolve|install|lint" >&2; exit 2 ;;
esac
