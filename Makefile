# Woonzorgmonitor — the front door. `make report` and `make test` each do their own set-up.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Every dependency (dev extra included) pinned with hashes; made by `make lock` with Python 3.11.
LOCK := requirements.lock
PIP_TOOLS := pip-tools==7.7.0
PIP := $(BIN)/pip --disable-pip-version-check
RAW := data/raw
PROCESSED := data/processed
# Debian packages the pipeline and tests need (Kaleido's browser, pdftotext, SVG for DOCX,
# fonts, and LibreOffice to open the Word appendix as Word users see it); installed when
# missing and run as root.
DEBIAN_PACKAGES := chromium poppler-utils librsvg2-bin fonts-liberation2 fonts-dejavu-core \
                   libreoffice-writer-nogui

.PHONY: help setup system-packages report demo test lint docs bench lock clean

help:
	@echo "make report   demodata in data/raw als daar geen exports staan; dan gevalideerde data,"
	@echo "              indicatoren en verdeelmodel in data/processed en alle rapporten in reports/"
	@echo "make demo     alleen de demodata (DEMO — synthetische gegevens) in data/raw"
	@echo "make test     alle tests"
	@echo "make bench    tijd en piekgeheugen van de analyse op demodata op landelijke schaal"
	@echo "              (2 miljoen verhuringen), daarna de rapportset: volledig, opnieuw zonder"
	@echo "              wijziging, na een wijziging in één notebook, en tegen de naïeve route"
	@echo "make lint     ruff"
	@echo "make docs     docs/data-contracts.md en docs/indicatoren.md opnieuw genereren"
	@echo "make setup    .venv uit $(LOCK) (en als root ontbrekende Debian-pakketten); ook"
	@echo "              vanzelf bij report, demo, test, bench, lint en docs"
	@echo "make lock     $(LOCK) opnieuw maken uit pyproject.toml (met Python 3.11);"
	@echo "              bestaande versies blijven staan, make lock UPGRADE=1 neemt de nieuwste"
	@echo "make clean    verwijder .venv, build/, alles in reports/ en data/processed (data/raw blijft)"

setup: system-packages $(VENV)/.installed

# Exactly the versions in the lock (pip checks every hash), then the project itself.
$(VENV)/.installed: $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r $(LOCK)
	$(PIP) install --quiet --no-deps -e .
	touch $@

# Regenerate the lock from pyproject.toml (dependencies and the dev extra) with pip-tools in a
# throwaway venv. Keeps the pins that still fit; UPGRADE=1 takes the newest versions.
lock:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "make lock: de lock wordt met Python 3.11 gemaakt; zet PYTHON=python3.11" >&2; exit 1; }
	tmp=$$(mktemp -d) && $(PYTHON) -m venv $$tmp/venv && \
	$$tmp/venv/bin/pip install --quiet --disable-pip-version-check $(PIP_TOOLS) && \
	CUSTOM_COMPILE_COMMAND="make lock" $$tmp/venv/bin/pip-compile --quiet --extra dev \
	  --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	  $(if $(UPGRADE),--upgrade) --output-file $(LOCK) pyproject.toml; \
	status=$$?; rm -rf $$tmp; exit $$status

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
	rm -rf $(VENV) build
	find reports -mindepth 1 ! -path reports/README.md -delete
	find $(PROCESSED) -mindepth 1 ! -name README.md -delete
