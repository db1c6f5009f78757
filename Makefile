# Developer entry point. The README's two commands are `bash scripts/run.sh` and `bash scripts/test.sh`.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint typecheck fmt bench
setup:
	bash scripts/setup.sh
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
lint: setup
	$(BIN)/ruff check .
typecheck: setup
	$(BIN)/mypy monitorgen validators
fmt: setup
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .
bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done
# Rebuild the rule editor bundle (monitorgen/static/vendor/editor/) from frontend/; needs npm.
.PHONY: frontend
frontend:
	bash scripts/build-frontend.sh
