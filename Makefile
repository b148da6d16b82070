# Woonzorgmonitor — the front door. `make report` and `make test` each do their own set-up.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RAW := data/raw
PROCESSED := data/processed
# Debian packages the pipeline and tests need (Kaleido's browser, pdftotext, SVG for DOCX,
# fonts); installed when missing and run as root.
DEBIAN_PACKAGES := chromium poppler-utils librsvg2-bin fonts-liberation2 fonts-dejavu-core

.PHONY: help setup system-packages report demo test lint docs bench clean

help:
	@echo "make report   gevalideerde data (en later rapporten) uit data/raw; demodata als die leeg is"
	@echo "make test     alle tests"
	@echo "make bench    tijd en piekgeheugen op demodata op landelijke schaal (2 miljoen verhuringen)"
	@echo "make lint     ruff"
	@echo "make docs     docs/data-contracts.md en docs/indicatoren.md opnieuw genereren"
	@echo "make clean    verwijder .venv en gegenereerde bestanden"

setup: system-packages $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Installeer eerst (als root): apt-get install$$missing" >&2; exit 1; fi; \
	fi

report: setup
	@if ! ls $(RAW) 2>/dev/null | grep -qiE '\.(csv|txt|tsv|xlsx|xlsm)$$'; then \
	  echo "Geen gegevens in $(RAW): demodata (DEMO — synthetische gegevens) genereren."; \
	  $(BIN)/woonzorg demo --out $(RAW); \
	fi
	$(BIN)/woonzorg build --raw $(RAW) --processed $(PROCESSED)

demo: setup
	$(BIN)/woonzorg demo --out $(RAW)

test: setup
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m analysis.bench
	$(BIN)/python -m analysis.bench --rapporten

lint: setup
	$(BIN)/ruff check src tests

docs: setup
	$(BIN)/python -m analysis.contracts.docs > docs/data-contracts.md
	$(BIN)/python -m analysis.indicators.docs > docs/indicatoren.md

clean:
	rm -rf $(VENV) build reports/*.pdf reports/*.html reports/*.docx
	find $(PROCESSED) -mindepth 1 ! -name README.md -delete
