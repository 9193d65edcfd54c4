# Switchboard: the server and the built PWA in one image, run as a non-root user.
# The build steps are scripts/build-release.sh, which the test suite also runs on a clean copy.
# (This file was written and its script tested on a machine without a Docker engine: the image build
# itself has not been run there. See docs/deploy.md.)

# Node 24 in both stages. The whole test suite runs on Node 20; CI runs the unit and integration tests
# again on Node 24 (scripts/node24.sh). package.json's engines field says which versions are supported.
FROM node:24-bookworm-slim AS build
# better-sqlite3 compiles its native module when no prebuilt one fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN bash scripts/build-release.sh /src /app

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The data folder belongs to the unprivileged `node` user of the base image; the code stays root's (read-only to it).
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Liveness: /healthz touches nothing. Load balancers should use /readyz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM: in-flight requests finish, new ones get 503, exit within SHUTDOWN_TIMEOUT_MS (default 8 s).
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "server/main.ts"]
