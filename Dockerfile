# syntax=docker/dockerfile:1
# The ledger service as an image: `docker compose up` builds it (see docker-compose.yml).

# Stage 1: production dependencies only, installed exactly as package-lock.json pins them.
# better-sqlite3 and the KurrentDB client's bridge come as prebuilt binaries for this platform;
# the compilers are here for better-sqlite3 to build itself where no prebuilt binary fits, and
# stay in this stage.
FROM node:22-bookworm-slim AS dependencies
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Stage 2: the runtime. TypeScript runs directly through tsx, so there is no build output to copy; the command's bundle
# is made here, once the sources are in (stage 1's install has none to bundle), so the service and its workers start
# without tsx's loader (docs/development.md).
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LEDGER_DATA_DIR=/data
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY events ./events
COPY projections ./projections
COPY config ./config
COPY examples ./examples
RUN node src/bundle/command-bundle.js
# /data: this instance's local, rebuildable state; /keys: the ledger's signing key, shared by every instance.
# Owned by the unprivileged user, so named volumes mounted there start out writable by it.
RUN mkdir -p /data /keys && chown node:node /data /keys
USER node
EXPOSE 3000
# Ready means the store answers too (GET /ready), not just the process.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/ledger.js", "serve"]
