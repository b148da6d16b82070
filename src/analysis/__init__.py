"""Woonzorgmonitor Haaglanden: ingest, analyse en rapportage van de huisvesting van aandachtsgroepen."""

__version__ = "0.1.0"
