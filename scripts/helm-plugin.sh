#!/usr/bin/env bash
# Helm plugin hook (plugin.yaml): `helm-plugin.sh install|update`.
#
# Puts the pxvalues binary in $HELM_PLUGIN_DIR/bin: built from the plugin's
# source with Go when `go` is on PATH and can build it, else the release
# binary of the plugin's version (plugin.yaml) through scripts/install.sh,
# checksum verified. The binary appears in one rename, never half-written.
#
# When an install fails, the plugin is removed again (Helm itself would keep
# it listed, and `helm pxvalues` would then fail with "no such file"): the
# link of a local install, or the copy Helm made under $HELM_PLUGINS. A
# failed update keeps the binary that was there.
set -uo pipefail

mode="${1:-install}"
plugin_dir="${HELM_PLUGIN_DIR:?HELM_PLUGIN_DIR is not set: run through helm plugin install}"
src="$(cd "$plugin_dir" && pwd -P)"
bin="$plugin_dir/bin"
exe=pxvalues
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*|Windows_NT) exe=pxvalues.exe ;; esac

say() { echo "pxvalues plugin: $*" >&2; }

build_with_go() {
  command -v go >/dev/null 2>&1 || return 1
  [ -f "$src/go.mod" ] || return 1
  mkdir -p "$bin" || return 1
  say "building with $(go version 2>/dev/null)"
  if go build -C "$src" -o "$bin/.$exe.new" ./cmd/pxvalues; then
    mv -f "$bin/.$exe.new" "$bin/$exe"
  else
    rm -f "$bin/.$exe.new"
    say "go build failed; trying the release binary"
    return 1
  fi
}

download_release() {
  local version
  version="$(awk '$1 == "version:" { print $2; exit }' "$src/plugin.yaml" | tr -d '"'"'")"
  [ -n "$version" ] || { say "plugin.yaml has no version"; return 1; }
  say "downloading the release binary v$version"
  bash "$src/scripts/install.sh" --version "v$version" --dir "$bin"
}

# remove_plugin undoes `helm plugin install` when the plugin folder is
# Helm's: a link or a folder directly under $HELM_PLUGINS.
remove_plugin() {
  local plugins parent
  plugins="${HELM_PLUGINS:-}"
  parent="$(cd "$(dirname "$plugin_dir")" 2>/dev/null && pwd -P)"
  if [ -z "$plugins" ] || [ "$parent" != "$(cd "$plugins" 2>/dev/null && pwd -P)" ]; then
    say "not removing $plugin_dir (not under HELM_PLUGINS); run: helm plugin uninstall pxvalues"
    return
  fi
  if [ -L "$plugin_dir" ]; then
    rm -f "$plugin_dir"
  else
    rm -rf "$plugin_dir"
  fi
  say "the plugin was removed; nothing is installed"
}

runs() { "$bin/$exe" version >/dev/null 2>&1; }
if { build_with_go && runs; } || { download_release && runs; }; then
  exit 0
fi
rm -f "$bin/.$exe.new"
if [ "$mode" = install ]; then
  say "install failed: no Go toolchain that builds pxvalues and no release binary that runs here"
  remove_plugin
else
  say "update failed; the previous binary is kept"
fi
exit 1
