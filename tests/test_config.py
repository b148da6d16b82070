from __future__ import annotations

from pathlib import Path

import pytest

from analysis.config import ConfigError, load_config

BASE = "regio: {naam: X, gemeenten: [GM0503]}\nperiode: {van: 2021, tot_en_met: 2025}\n"


def test_default_config_is_haaglanden():
    config = load_config()
    assert config.naam == "Haaglanden"
    assert len(config.gemeenten) == 9
    assert config.jaren == (2021, 2022, 2023, 2024, 2025)
    assert config.gemeente_naam("GM0603") == "Rijswijk (ZH.)"
    signalen = config.signalen
    assert signalen.wijk_concentratie == 1.5 and signalen.wijk_minimaal_verhuringen == 20
    assert [r.id for r in signalen.regels] == [
        "boven_mutatiegrens", "verdeling_wijkt_af", "woonopgave_blijft_achter",
        "wijken_boven_drempel"]


@pytest.mark.parametrize(("text", "message"), [
    ("regio: [", "geen geldige YAML"),
    ("regio: {naam: X, gemeenten: [GM9999]}\nperiode: {van: 2021, tot_en_met: 2025}",
     "instelling 'regio.gemeenten': onbekende gemeentecode(s) GM9999"),
    ("regio: {naam: X, gemeenten: [GM0503]}\nperiode: {van: 2025, tot_en_met: 2021}",
     "'van' (2025) ligt na 'tot_en_met' (2021)"),
    ("regio: {naam: X, gemeenten: [GM0503]}\nperiode: {van: twintig, tot_en_met: 2021}",
     "instelling 'periode.van': verwacht een jaartal"),
    ("periode: {van: 2021, tot_en_met: 2025}", "instelling 'regio': ontbreekt"),
    (f"{BASE}signalen: [1, 2]", "instelling 'signalen': verwacht een mapping met drempels"),
    (f"{BASE}signalen: {{drempel: 3}}", "instelling 'signalen.drempel': onbekende instelling"),
    (f"{BASE}signalen: {{wijk_concentratie: -0.1}}",
     "instelling 'signalen.wijk_concentratie': verwacht een positief getal, gevonden -0.1"),
    (f"{BASE}signalen: {{wijk_minimaal_verhuringen: 2.5}}",
     "instelling 'signalen.wijk_minimaal_verhuringen': verwacht een positief geheel getal"),
    (f"{BASE}signalen: {{verschil_relatief: 0.2}}",
     "instelling 'signalen.verschil_relatief': vervallen: deze drempel staat nu in een regel"),
    (f"{BASE}signalen: {{wijk_concentratie: ja}}",
     "instelling 'signalen.wijk_concentratie': verwacht een positief getal, gevonden 'ja'"),
])
def test_bad_config_is_a_clear_error(tmp_path: Path, text, message):
    path = tmp_path / "regio.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=None) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_config_period_drives_validation(tmp_path: Path, cli):
    from rawdata import write_valid_raw

    raw = tmp_path / "raw"
    write_valid_raw(raw)
    path = tmp_path / "regio.yml"
    path.write_text("regio:\n  naam: Haaglanden\n  gemeenten: [GM0503, GM0518, GM1916, GM1842, "
                    "GM1926, GM0603, GM0629, GM1783, GM0637]\nperiode: {van: 2022, "
                    "tot_en_met: 2025}\n", encoding="utf-8")
    result = cli("validate", raw, "--config", path)
    assert result.exit_code == 1
    assert "valt buiten de monitorperiode (waarde: '05-03-2021')" in result.output
