# HRM SSO provider. Multi-stage: compile with tsc in a build stage, run plain node as a non-root
# user on Debian's nodejs (trixie ships Node 20). Node is PID 1 (exec form) and handles SIGTERM
# itself: it stops accepting, finishes requests in flight, closes the database, exits 0.
#   docker build -t hrm-sso .
#   docker run -e MONGO_URL=mongodb://mongo:27017/ -e ISSUER=https://sso.example.com \
#              -e SESSION_SECRET=… -p 8000:8000 hrm-sso
#   docker exec <container> hrm-sso user list        # the admin CLI
# Few instructions on purpose: every step is a full filesystem copy on some storage drivers (vfs).
ARG DEBIAN_RELEASE=trixie

# Debian's Node 20 and the CA bundle, installed once for every stage below, the runtime included
# (one apt run instead of two: the slowest step of a cold build).
FROM debian:${DEBIAN_RELEASE}-slim AS node-base
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs ca-certificates \
 && rm -rf /var/lib/apt/lists/*

FROM node-base AS toolchain
# npm through corepack (Debian's nodejs depends on it): one small download instead of Debian's npm
# package and its hundreds of node-* packages.
ARG NPM_VERSION=10.9.2
# Behind a TLS-inspecting proxy, pass its CA: --build-arg EXTRA_CA_CERT="$(cat proxy-ca.pem)".
ARG EXTRA_CA_CERT=""
RUN if [ -n "$EXTRA_CA_CERT" ]; then printf '%s\n' "$EXTRA_CA_CERT" > /usr/local/share/ca-certificates/build-extra.crt && update-ca-certificates; fi
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# Only the provider workspace's manifests: the dependency layers below change with the lock file,
# never with a source change.
COPY package.json package-lock.json .npmrc app.json /src/
COPY provider/package.json /src/provider/package.json
# Every dependency of the provider workspace, once: the build stage compiles with them, the runtime
# stage prunes the development ones (faster than a second install).
RUN cd /src && corepack "npm@$NPM_VERSION" ci --workspace provider --include-workspace-root=false --ignore-scripts --no-audit --no-fund

# The runtime dependencies, already in the image's layout (provider/node_modules holds versions
# that differ from the root's hoisted ones, e.g. jose 5 beside openid-client's jose 4).
FROM toolchain AS runtime-deps
RUN cd /src && corepack "npm@$NPM_VERSION" prune --workspace provider --include-workspace-root=false --omit=dev --no-audit --no-fund \
 && mkdir -p /out/provider \
 && cp -a node_modules package.json app.json /out/ \
 && cp provider/package.json /out/provider/ \
 && if [ -d provider/node_modules ]; then cp -a provider/node_modules /out/provider/; fi

# The sources: after a source change only the last two steps run again.
FROM toolchain AS build
COPY provider/ /src/provider/
RUN cd /src && rm -rf provider/dist && node provider/scripts/build.js && rm -f provider/dist/.tsbuildinfo

FROM node-base
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin hrm \
 && mkdir -p /data && chown hrm:hrm /data \
 && ln -s /app/provider/bin/hrm-sso.js /usr/local/bin/hrm-sso
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8000 DATA_DIR=/data
USER hrm
EXPOSE 8000
# Ready = database reachable, migrations applied, not shutting down.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "provider/dist/main.js"]
# Last, in order of change: even a metadata step copies the whole tree on vfs, so after a source
# change only the final COPY runs again.
COPY --from=runtime-deps /out /app
COPY provider/bin /app/provider/bin
COPY --from=build /src/provider/dist /app/provider/dist
