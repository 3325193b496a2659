#!/usr/bin/env bash
# Install a pxvalues release binary, checksum verified.
#
#   scripts/install.sh [-v VERSION] [-d DIR]
#
# VERSION is a release tag (v0.2.0) or `latest` (default); DIR is where the
# binary goes (default: $HOME/.local/bin). Downloads
# pxvalues_<os>_<arch>.tar.gz (.zip on Windows) and checksums.txt from the
# GitHub release (or from $PXVALUES_DOWNLOAD_URL/<tag>/, a mirror with the
# same layout), checks the archive's SHA-256 against checksums.txt, and
# moves the binary into DIR in one rename: DIR never holds a partial binary.
# Used by action.yml and the Helm plugin (scripts/helm-plugin.sh).
set -euo pipefail

version=latest
dir="${HOME:-.}/.local/bin"
while [ $# -gt 0 ]; do
  case "$1" in
    -v|--version) version="${2:?$1 needs a value}"; shift 2 ;;
    -d|--dir) dir="${2:?$1 needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "pxvalues install: $*" >&2; exit 1; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW*|MSYS*|CYGWIN*|Windows_NT) os=windows ;;
  *) fail "no release binary for $(uname -s); build from source: go install github.com/pxvalues/pxvalues/cmd/pxvalues@${version}" ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) fail "no release binary for $(uname -m); build from source: go install github.com/pxvalues/pxvalues/cmd/pxvalues@${version}" ;;
esac
case "$version" in
  latest) ;;
  v[0-9]*.[0-9]*.[0-9]*) ;;
  [0-9]*.[0-9]*.[0-9]*) version="v$version" ;;
  *) fail "version $version is not a release tag (vX.Y.Z) or latest" ;;
esac

ext=tar.gz exe=pxvalues
if [ "$os" = windows ]; then ext=zip exe=pxvalues.exe; fi
asset="pxvalues_${os}_${arch}.${ext}"
base="${PXVALUES_DOWNLOAD_URL:-https://github.com/pxvalues/pxvalues/releases/download}"
if [ "$version" = latest ] && [ -z "${PXVALUES_DOWNLOAD_URL:-}" ]; then
  url="https://github.com/pxvalues/pxvalues/releases/latest/download"
else
  url="$base/$version"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pxvalues-install.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    fail "needs curl or wget"
  fi
}
fetch "$url/$asset" "$tmp/$asset" || fail "cannot download $url/$asset"
fetch "$url/checksums.txt" "$tmp/checksums.txt" || fail "cannot download $url/checksums.txt"

want="$(awk -v a="$asset" '$2 == a || $2 == "*" a { print $1 }' "$tmp/checksums.txt")"
[ -n "$want" ] || fail "checksums.txt has no line for $asset"
if command -v sha256sum >/dev/null 2>&1; then
  got="$(sha256sum "$tmp/$asset" | awk '{print $1}')"
elif command -v shasum >/dev/null 2>&1; then
  got="$(shasum -a 256 "$tmp/$asset" | awk '{print $1}')"
else
  fail "needs sha256sum or shasum to verify the download"
fi
[ "$got" = "$want" ] || fail "checksum mismatch for $asset: got $got, checksums.txt says $want"

mkdir -p "$tmp/x"
if [ "$ext" = zip ]; then
  unzip -q "$tmp/$asset" -d "$tmp/x" || fail "cannot unpack $asset"
else
  tar -xzf "$tmp/$asset" -C "$tmp/x" || fail "cannot unpack $asset"
fi
[ -f "$tmp/x/$exe" ] || fail "$asset has no $exe"
mkdir -p "$dir" || fail "cannot create $dir"
cp "$tmp/x/$exe" "$dir/.$exe.new" || fail "cannot write into $dir"
chmod 0755 "$dir/.$exe.new"
mv -f "$dir/.$exe.new" "$dir/$exe" || { rm -f "$dir/.$exe.new"; fail "cannot write $dir/$exe"; }
echo "pxvalues $version ($os/$arch) installed in $dir"
