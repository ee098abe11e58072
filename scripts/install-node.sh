#!/usr/bin/env bash
# Installs a given Node release from the npm registry (the node-linux-<arch> package holds the
# official binary and its headers), for the code-server that runs on it. The machine's own
# Node stays as it is. Idempotent: a finished install is reused.
#   scripts/install-node.sh [<version> [<dir>]]
#     version   e.g. 24.21.0 (default 22.21.1, what code-server 4.106.3 runs on)
#     dir       where to install (default .tools/node-<major>; for Node 22 PATCHBAY_NODE22_DIR
#               when set)
# Prints nothing but progress; the binary is "<dir>/bin/node".
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="${1:-22.21.1}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "Node version \"$version\" is not of the form 24.21.0" >&2
  exit 1
fi
major="${version%%.*}"
if [ "$major" = 22 ]; then default_dir="${PATCHBAY_NODE22_DIR:-$root/.tools/node-22}"; else default_dir="$root/.tools/node-$major"; fi
target="${2:-$default_dir}"
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
