#!/usr/bin/env bash
# Builds one service's image from its bundle: `npx nx container <service>`
# (after `nx build <service>`), or `npx nx run-many -t container` for all five
# and the explorer.
#
#   NODE_IMAGE    base image (default node:24-bookworm-slim; .ci/run builds
#                 bookshop/node:24-local where that cannot be pulled)
#   IMAGE_PREFIX  image names are <prefix>/<service> (default bookshop)
#   IMAGE_TAG     (default latest)
set -euo pipefail
service=${1:?usage: build-service-image.sh <service>}
root=$(cd "$(dirname "$0")/../.." && pwd)
# The service's port, from the one table of them (libs/domain/src/services.ts).
port=$(sed -n "s/^  $service: \([0-9]*\),\{0,1\}$/\1/p" "$root/libs/domain/src/services.ts")
[ -n "$port" ] || { echo "unknown service: $service" >&2; exit 2; }
bundle="$root/dist/apps/$service"
[ -f "$bundle/main.js" ] && [ -f "$bundle/package-lock.json" ] \
  || { echo "$bundle is not built: run npx nx build $service" >&2; exit 1; }
image="${IMAGE_PREFIX:-bookshop}/$service:${IMAGE_TAG:-latest}"

# The build context: the bundle, and an npm cache holding its production
# dependencies, fetched here (the image's install then runs offline). The
# cache is shared by the five builds, which need mostly the same packages.
cache="$root/tmp/images/npm-cache"
context="$root/tmp/images/$service"
rm -rf "$context" && mkdir -p "$context/install" "$cache"
cp -r "$bundle" "$context/app"
cp "$bundle/package.json" "$bundle/package-lock.json" "$context/install/"
# Builds run side by side (`run-many --parallel`), and a copy of the cache taken
# while another build's npm writes to it fails on a temporary file npm has just
# moved. So one build at a time fills and copies it, under a lock the kernel
# drops with its holder. Without flock (util-linux), a build fills a cache of
# its own in the context instead, and shares nothing.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache.lock"
  flock 9
else
  cache="$context/npm-cache"
fi
(cd "$context/install" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  --cache "$cache" --prefer-offline --loglevel=error >/dev/null)
rm -rf "$context/install"
[ -d "$context/npm-cache" ] || cp -r "$cache" "$context/npm-cache"
exec 9>&-

docker build -q --force-rm \
  -f "$root/deploy/service.Dockerfile" \
  --build-arg NODE_IMAGE="${NODE_IMAGE:-node:24-bookworm-slim}" \
  --build-arg SERVICE="$service" \
  --build-arg PORT="$port" \
  --build-arg VERSION="$(node -p "require('$root/package.json').version")" \
  --build-arg REVISION="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  -t "$image" "$context" >/dev/null
rm -rf "$context"
size=$(docker image inspect "$image" --format '{{.Size}}')
echo "$image: $((size / 1024 / 1024)) MiB"
