from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.contracts.docs import render_markdown
from rawdata import write_valid_raw

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [[], ["demo"], ["validate"], ["ingest"], ["build"],
                                     ["scenario"]])
def test_every_command_has_help(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_validate_file_and_folder(cli, tmp_path):
    files = write_valid_raw(tmp_path)
    assert cli("validate", files["cbs"]).exit_code == 0
    result = cli("validate", tmp_path)
    assert result.exit_code == 0
    assert "0 fout(en), 0 waarschuwing(en)" in result.output


def test_validate_unrecognised_file_name_needs_bron(cli, tmp_path):
    files = write_valid_raw(tmp_path)
    renamed = files["cbs"].rename(tmp_path / "export_2025.csv")
    result = cli("validate", renamed)
    assert result.exit_code == 1
    assert "bron niet te herkennen aan de bestandsnaam" in result.output
    assert cli("validate", renamed, "--bron", "cbs").exit_code == 0


def test_validate_limits_repeated_messages(cli, tmp_path):
    files = write_valid_raw(tmp_path)
    data = files["voorraad"].read_bytes().replace(b";75\r\n", b";veel\r\n")
    files["voorraad"].write_bytes(data)
    limited = cli("validate", files["voorraad"], "--max-per-soort", "3")
    assert limited.exit_code == 1
    assert limited.output.count("waarde kan niet worden gelezen") == 4  # 3 shown + summary
    assert "… en nog 42 keer" in limited.output
    assert "45 fout(en)" in limited.output
    everything = cli("validate", files["voorraad"], "--max-per-soort", "0")
    assert everything.output.count("waarde kan niet worden gelezen") == 45


def test_console_script_exit_code(tmp_path):
    write_valid_raw(tmp_path / "raw")
    (tmp_path / "raw" / "cbs_kerncijfers.csv").write_bytes(b"")
    woonzorg = Path(sys.executable).with_name("woonzorg")
    done = subprocess.run([woonzorg, "ingest", "--raw", tmp_path / "raw", "--processed",
                           tmp_path / "out"], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "FOUT cbs_kerncijfers.csv: het bestand is leeg" in done.stderr
    assert not (tmp_path / "out").exists()


def test_data_contract_docs_are_current():
    current = (ROOT / "docs" / "data-contracts.md").read_text(encoding="utf-8")
    assert current == render_markdown(), "run `make docs` to regenerate docs/data-contracts.md"


def test_demo_twice_is_byte_identical_and_builds(cli, tmp_path):
    for name in ("a", "b"):
        assert cli("demo", "--out", tmp_path / name).exit_code == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == ["DEMO.json", "cbs_kerncijfers.csv", "ppm_woonopgave.csv",
                     "svh_verhuringen_2021-2025.csv", "svh_voorraad_mutaties.xlsx",
                     "taakstelling_statushouders.csv"]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    result = cli("build", "--raw", tmp_path / "a", "--processed", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "(DEMO — synthetische gegevens)" in result.output
    manifest = (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")
    assert '"demo": true' in manifest
    assert {p.suffix for p in (tmp_path / "out").iterdir() if p.is_file()} == {
        ".parquet", ".json", ".yml"}
    # The shipped boundaries, processed for the region, are cached beside the data.
    assert [p.name for p in (tmp_path / "out").iterdir() if p.is_dir()] == ["geo"]


def test_indicator_docs_are_current():
    from analysis.indicators.docs import render_markdown as render_indicators

    current = (ROOT / "docs" / "indicatoren.md").read_text(encoding="utf-8")
    assert current == render_indicators(), "run `make docs` to regenerate docs/indicatoren.md"


def test_build_fails_when_a_published_file_gives_a_small_count_away(cli, tmp_path, monkeypatch):
    """The build ends with the small-count check: a leak in what it wrote is exit code 1 with
    the file named, even when every document was made."""
    import types

    import analysis.build
    import analysis.report.pipeline as pipeline

    reports = tmp_path / "reports"

    def publish(*args, reports: Path, **kwargs) -> pipeline.Published:
        (reports / "data").mkdir(parents=True)
        (reports / "data" / "overzicht.csv").write_text(
            "Gemeente;Verhuringen\nWassenaar;3\n", encoding="utf-8")
        return pipeline.Published()

    ingested = types.SimpleNamespace(warnings=[], manifest={"demo": True})
    monkeypatch.setattr(analysis.build, "build", lambda *args, **kwargs: (ingested, None))
    monkeypatch.setattr(pipeline, "publish", publish)
    result = cli("build", "--processed", tmp_path / "processed", "--rapporten", reports)
    assert result.exit_code == 1
    assert "overzicht.csv" in result.output and "niet publiceren" in result.output
