# The TraderAdmin services (emulator, exporter, alert bridge, alerts page, generator) in one image;
# docker-compose.yml runs each as its own container. The panel plugin is built in its own stage.

# Grafana's plugin toolchain (create-plugin 7) targets Node 22.
FROM node:22-bookworm-slim AS panel
WORKDIR /panel
COPY grafana/panel/package.json grafana/panel/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY grafana/panel/ ./
RUN npm run build

# The TypeScript is compiled here, with the development dependencies (esbuild): npm run build → dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build

# What runs: production dependencies only, the compiled dist/, and the files the parts read at run
# time (example config, page HTML and CSS, runbooks). scripts/prune-runtime.mjs removes the
# TypeScript sources (which proves no part needs them), the tests, the test kit, the features and
# the benchmarks, and fails the build if a test or build tool (vitest, tsx, cucumber, playwright,
# esbuild, ...) got installed. cli/test/runtime.test.ts runs the same steps on a copy of the tree.
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund \
  && node scripts/prune-runtime.mjs /app \
  && mkdir -p /app/data
COPY --from=build /app/dist /app/dist
COPY --from=panel /panel/dist /app/grafana/panel/dist
ENTRYPOINT ["node", "bin/traderadmin.mjs"]
CMD ["--help"]
