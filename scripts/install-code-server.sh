#!/usr/bin/env bash
# Installs a code-server release (VS Code in the browser) with nothing but the npm registry and
# Debian's packages. Its own postinstall checks the Node of whoever runs npm, may download
# ripgrep and refuses to run as root, so the install is done step by step. Idempotent: a
# finished install is reused.
#   scripts/install-code-server.sh [<version> <node-dir> [<dir>]]
#     version    e.g. 4.139.1
#     node-dir   the Node it runs on, installed beforehand with scripts/install-node.sh
#     dir        where to install (default .tools/code-server-<version>)
# Without arguments: code-server 4.106.3 (VS Code 1.106.3) in PATCHBAY_CODE_SERVER_DIR
# (default .tools/code-server-4.106.3), on Node 22.21.1 in PATCHBAY_NODE22_DIR (default
# .tools/node-22), which it installs when missing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$#" -eq 0 ]; then
  version="4.106.3"
  node_dir="${PATCHBAY_NODE22_DIR:-$root/.tools/node-22}"
  target="${PATCHBAY_CODE_SERVER_DIR:-$root/.tools/code-server-$version}"
  "$root/scripts/install-node.sh" 22.21.1 "$node_dir"
elif [ "$#" -ge 2 ]; then
  version="$1"
  node_dir="$2"
  target="${3:-$root/.tools/code-server-$version}"
else
  echo "usage: $0 [<code-server version> <node dir> [<install dir>]]" >&2
  exit 1
fi
marker="$target/.installed-$version"

if [ -f "$marker" ]; then
  echo "code-server $version already installed in $target"
  exit 0
fi

if [ ! -x "$node_dir/bin/node" ]; then
  echo "no Node in $node_dir: install it first with scripts/install-node.sh <version> $node_dir" >&2
  exit 1
fi
rg_bin="$(command -v rg || true)"
if [ -z "$rg_bin" ]; then
  echo "ripgrep (rg) is missing: install Debian's ripgrep package first" >&2
  exit 1
fi

# npm (and the node-gyp it starts) run on that Node, and native modules build against its
# bundled headers instead of downloading them.
export PATH="$node_dir/bin:$PATH"
export npm_config_nodedir="$node_dir"
export npm_config_yes=true npm_config_loglevel=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

mkdir -p "$target"
cd "$target"
[ -f package.json ] || echo '{ "name": "patchbay-code-server", "private": true }' > package.json

npm install --ignore-scripts "code-server@$version"
npm rebuild argon2

cs="$target/node_modules/code-server"
(
  cd "$cs/lib/vscode"
  # Some releases (4.106) pin @parcel/watcher to a GitHub commit, which cannot be fetched
  # here; the registry's 2.5.1 can. Later ones (4.139) take it from the registry as they are.
  # Any other package from outside the registry stops the install, named.
  node -e '
    const fs = require("node:fs");
    const manifest = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const pinned = manifest.dependencies["@parcel/watcher"] ?? "";
    if (!/^[\^~]?\d/.test(pinned)) {
      manifest.dependencies["@parcel/watcher"] = "2.5.1";
      fs.writeFileSync("package.json", JSON.stringify(manifest, null, 2) + "\n");
      fs.renameSync("npm-shrinkwrap.json", "npm-shrinkwrap.json.github-pins");
    }
    if (fs.existsSync("npm-shrinkwrap.json")) {
      const locked = Object.entries(JSON.parse(fs.readFileSync("npm-shrinkwrap.json", "utf8")).packages ?? {});
      const elsewhere = locked.filter(([, entry]) => entry.resolved && !entry.resolved.startsWith("https://registry.npmjs.org/"));
      if (elsewhere.length > 0) {
        console.error("lib/vscode locks packages outside the npm registry: " + elsewhere.map(([name, entry]) => name + " (" + entry.resolved + ")").join(", "));
        process.exit(1);
      }
    }
  '
  npm install --omit=dev --ignore-scripts
  # Releases that take ripgrep from @vscode/ripgrep download it in its postinstall; Debian's
  # stands in. (@vscode/ripgrep-universal, in later ones, carries its binaries.)
  if [ -d node_modules/@vscode/ripgrep ]; then
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$rg_bin" node_modules/@vscode/ripgrep/bin/rg
  fi
  npm rebuild
  ln -sfn node_modules node_modules.asar
)
(cd "$cs/lib/vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$cs/lib/vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
(cd "$cs/lib/vscode/extensions" && npm install --omit=dev)

touch "$marker"
echo "code-server $version installed in $target"
