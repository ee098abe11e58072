#!/usr/bin/env bash
# Installs Node 22 from the npm registry (the node-linux-<arch> package holds the official
# binary and its headers), for code-server 4.106.3, whose server and extension host need
# Node 22. The machine's own Node stays as it is. Idempotent: a finished install is reused.
#   PATCHBAY_NODE22_DIR   where to install (default .tools/node-22)
# Prints nothing but progress; the binary is "$PATCHBAY_NODE22_DIR/bin/node".
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${PATCHBAY_NODE22_DIR:-$root/.tools/node-22}"
version="22.21.1"
marker="$target/.installed-$version"

if [ -f "$marker" ]; then
  echo "Node $version already installed in $target"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "no Node $version package in the npm registry for $(uname -m)" >&2; exit 1 ;;
esac

download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
(cd "$download" && npm pack --silent --loglevel=error "node-linux-$arch@$version" >/dev/null)
mkdir -p "$target"
tar -xzf "$download"/node-linux-"$arch"-"$version".tgz -C "$target" --strip-components=1

actual="$("$target/bin/node" --version)"
if [ "$actual" != "v$version" ]; then
  echo "the node unpacked into $target says $actual, not v$version" >&2
  exit 1
fi
touch "$marker"
echo "Node $version installed in $target"
