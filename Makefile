# 智慧招商平台 — the two commands of the README, and a few helpers.
#   make demo   run the platform with demo data on http://127.0.0.1:$(PORT)
#   make test   run the whole test suite (DATABASE_URL=postgres://… for PostgreSQL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test lint format check-deploy clean security-scan vuln-snapshot

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	ZHAOSHANG_DEMO=1 PORT=$(PORT) $(BIN)/zhaoshang demo

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# bandit (medium and above, .ci/bandit-ignore.txt) and pip-audit (.ci/vuln-snapshot.json when offline)
security-scan: $(VENV)/.installed-test
	$(BIN)/python .ci/security_scan.py bandit
	$(BIN)/python .ci/security_scan.py pip-audit

# refresh the committed vulnerability snapshot (needs the vulnerability service)
vuln-snapshot: $(VENV)/.installed-test
	$(BIN)/python .ci/security_scan.py snapshot

clean:
	rm -rf $(VENV) var test-output
