# im-admin in a container: built with the dev dependencies, run with the production ones only.
#   docker build -t im-admin .
#   docker run --init -p 3000:3000 -v im-admin-audit:/app/data --env-file .env im-admin
# CI cannot run Docker, so scripts/check-dockerfile.mjs replays this file's steps in a clean directory and boots the
# result (.ci/run): keep to the instructions it knows (FROM, WORKDIR, COPY, RUN, ENV, USER, VOLUME, EXPOSE,
# HEALTHCHECK, STOPSIGNAL, CMD), with one WORKDIR per stage.

# better-sqlite3 (the audit store) is native code: npm fetches a prebuilt binary when one fits, else compiles it, which
# needs these tools. They stay in the stages that install; the image gets the compiled module without them.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY src/ src/
RUN npm run build

FROM node:20-bookworm-slim AS prod-deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Its own npm cache, deleted in the same step: nothing of it stays in the image.
RUN npm ci --omit=dev --no-audit --no-fund --cache .npm-cache && rm -rf .npm-cache

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules/ node_modules/
COPY --from=build /app/dist/ dist/
# The audit store (AUDIT_DB, SQLite) lives on a volume, owned by the app's user: uid 1000, the image's `node` user.
# AUDIT_LOG is only read: the JSON Lines trail of an earlier version, imported into AUDIT_DB at the first start.
RUN mkdir -p data && chown 1000:1000 data
USER 1000:1000
ENV PORT=3000 AUDIT_DB=/app/data/audit.db AUDIT_LOG=/app/data/audit.jsonl
VOLUME /app/data
EXPOSE 3000
# Liveness. Readiness (/readyz) is for whoever routes traffic: a load balancer, Kubernetes' readinessProbe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/healthcheck.js"]
STOPSIGNAL SIGTERM
# Exec form: node itself is PID 1 and gets SIGTERM (no shell, no npm in between), so the graceful drain runs;
# DRAIN_TIMEOUT_MS (25 s) fits in a stop timeout of 30 s (docker stop -t 30, compose stop_grace_period: 30s).
# --max-semi-space-size=4: a young generation sized for this app's small heap (src/heap-tuning.ts).
CMD ["node", "--max-semi-space-size=4", "dist/main.js"]
