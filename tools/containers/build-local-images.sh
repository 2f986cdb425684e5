#!/usr/bin/env bash
# Builds a Postgres image from Debian's packages for a machine that cannot
# reach a container registry. The image gets a local name; point the tests at
# it with POSTGRES_IMAGE (see .ci/run).
#
#   tools/containers/build-local-images.sh            # build what is missing
#   FORCE=1 tools/containers/build-local-images.sh    # rebuild all
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base=${LOCAL_BASE_IMAGE:-bookshop/debian-base:bookworm}
pg=${LOCAL_POSTGRES_IMAGE:-bookshop/postgres:15-local}

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
  docker build -q --build-arg BASE_IMAGE="$base" -t "$pg" "$here/postgres" >/dev/null
fi
echo "local image ready: $pg"
