# syntax=docker/dockerfile:1
# One image recipe for every FourS process: docker build --build-arg SERVICE=leads -t fours/leads .
# SERVICE is one of leads, aftersales, insurance, marketing, payroll, gateway.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:24-bookworm-slim

# The staff console (web/), built from its lockfile; the gateway serves it at /console/.
FROM ${NODE_IMAGE} AS console
WORKDIR /src
COPY clients/typescript/src/api.d.ts clients/typescript/src/api.d.ts
COPY web/package.json web/package-lock.json web/
RUN npm ci --prefix web --no-audit --no-fund --loglevel=error
COPY web web
RUN npm run --prefix web build

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
COPY --from=ghcr.io/astral-sh/uv:0.9.30 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY contracts contracts
COPY libs libs
COPY deploy/devstack deploy/devstack
COPY gateway gateway
COPY services services
RUN test -n "${SERVICE}" \
 && uv sync --frozen --no-dev --package "fours-${SERVICE}"

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ENV SERVICE=${SERVICE} PATH=/app/.venv/bin:${PATH} PYTHONUNBUFFERED=1 PORT=8000
RUN groupadd --system --gid 10001 fours \
 && useradd --system --uid 10001 --gid fours --home-dir /app --shell /usr/sbin/nologin fours
WORKDIR /app
COPY --from=build --chown=10001:10001 /app /app
COPY --from=console --chown=10001:10001 /src/web/dist /app/web/dist
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=2)"]
CMD ["sh", "-c", "exec uvicorn \"${SERVICE}.main:create_app\" --factory --host 0.0.0.0 --port \"${PORT}\" --no-access-log --timeout-keep-alive 65 --timeout-graceful-shutdown 20"]
