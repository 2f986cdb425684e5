# One image per service, built from its bundle (`nx build <service>` writes
# dist/apps/<service> with a package.json and lock file holding only what the
# bundle imports). Run by `npx nx container <service>`, which passes the build
# arguments. The build context holds `app/`, the bundle, and `npm-cache/`, an
# npm cache filled with exactly the lock file's packages on the machine that
# builds (which reaches the registry, through its proxy and certificates if it
# has them), so the install below needs no network and the cache stays out of
# the final image.
#
#   NODE_IMAGE  the Node 24 base (default: the official slim image)
#   SERVICE     rest | soap | graphql | jsonrpc | websocket
#   PORT        the service's port (CONTRACT.md)
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY app/package.json app/package-lock.json ./
COPY npm-cache /tmp/npm-cache
RUN npm ci --omit=dev --ignore-scripts --offline --cache /tmp/npm-cache --no-audit --no-fund

FROM ${NODE_IMAGE}
ARG SERVICE
ARG PORT
ARG VERSION=0.0.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="bookshop-${SERVICE}" \
      org.opencontainers.image.description="The Bookshop ${SERVICE} service (NestJS on Fastify)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=${PORT}
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY app/ ./
USER node
EXPOSE ${PORT}
# Ready means the database answers too; an orchestrator restarts or reroutes on failure.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and the service stops gracefully on SIGTERM (SHUTDOWN_TIMEOUT_MS).
STOPSIGNAL SIGTERM
CMD ["node", "main.js"]
