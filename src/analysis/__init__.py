"""Woonzorgmonitor Haaglanden: data, analyse en rapportage (huisvesting aandachtsgroepen)."""

__version__ = "0.1.0"
