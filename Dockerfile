# im-admin in a container: built with the dev dependencies, run with the production ones only.
#   docker build -t im-admin .
#   docker run --init -p 3000:3000 -v im-admin-audit:/app/data --env-file .env im-admin
# CI cannot run Docker, so scripts/check-dockerfile.mjs replays this file's steps in a clean directory and boots the
# result (.ci/run): keep to the instructions it knows (FROM, WORKDIR, COPY, RUN, ENV, USER, VOLUME, EXPOSE,
# HEALTHCHECK, STOPSIGNAL, CMD), with one WORKDIR per stage.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY src/ src/
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Its own npm cache, deleted in the same step: nothing of it stays in the image.
RUN npm ci --omit=dev --no-audit --no-fund --cache .npm-cache && rm -rf .npm-cache
COPY --from=build /app/dist/ dist/
# The audit file store (AUDIT_LOG) lives on a volume, owned by the app's user: uid 1000, the image's `node` user.
RUN mkdir -p data && chown 1000:1000 data
USER 1000:1000
ENV PORT=3000 AUDIT_LOG=/app/data/audit.jsonl
VOLUME /app/data
EXPOSE 3000
# Liveness. Readiness (/readyz) is for whoever routes traffic: a load balancer, Kubernetes' readinessProbe.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/healthcheck.js"]
STOPSIGNAL SIGTERM
# Exec form: node itself is PID 1 and gets SIGTERM (no shell, no npm in between), so the graceful drain runs;
# DRAIN_TIMEOUT_MS (25 s) fits in a stop timeout of 30 s (docker stop -t 30, compose stop_grace_period: 30s).
# --max-semi-space-size=4: a young generation sized for this app's small heap (src/heap-tuning.ts).
CMD ["node", "--max-semi-space-size=4", "dist/main.js"]
