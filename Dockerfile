# HRM SSO provider. Multi-stage: compile with tsc in a build stage, run plain node as a non-root
# user on Debian's nodejs (trixie ships Node 20). Node is PID 1 (exec form) and handles SIGTERM
# itself: it stops accepting, finishes requests in flight, closes the database, exits 0.
#   docker build -t hrm-sso .
#   docker run -e MONGO_URL=mongodb://mongo:27017/ -e ISSUER=https://sso.example.com \
#              -e SESSION_SECRET=… -p 8000:8000 hrm-sso
#   docker exec <container> hrm-sso user list        # the admin CLI
ARG DEBIAN_RELEASE=trixie

FROM debian:${DEBIAN_RELEASE}-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY provider/package.json provider/
# Only the provider workspace (its dependencies and its compiler), not the app's or the tests'.
RUN npm ci --workspace provider --include-workspace-root=false --ignore-scripts --no-audit --no-fund
COPY provider/ provider/
RUN node provider/scripts/build.js \
 && npm ci --workspace provider --include-workspace-root=false --ignore-scripts --omit=dev --no-audit --no-fund

FROM debian:${DEBIAN_RELEASE}-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin hrm \
 && mkdir -p /data && chown hrm:hrm /data
WORKDIR /app
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/provider/package.json provider/package.json
COPY --from=build /src/provider/dist provider/dist
COPY --from=build /src/provider/bin provider/bin
COPY package.json app.json ./
RUN ln -s /app/provider/bin/hrm-sso.js /usr/local/bin/hrm-sso
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8000 DATA_DIR=/data
USER hrm
EXPOSE 8000
# Ready = database reachable, migrations applied, not shutting down.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "provider/dist/main.js"]
