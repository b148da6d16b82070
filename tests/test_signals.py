"""Signals as rules: the `signalen.regels` block of the settings, and the engine
(analysis.report.signals) on the demo build."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml

from analysis.config import ConfigError, load_config
from analysis.report import regio, signals
from analysis.report.shared import LIMIT_INDICATOR
from analysis.tables import fmt_int, fmt_percent, md_text

BASE = "regio: {naam: X, gemeenten: [GM0503]}\nperiode: {van: 2021, tot_en_met: 2025}\n"
RULE = {"indicator": "aandeel_mutaties_aandachtsgroepen", "gebiedsniveau": "gemeente",
        "periode": "laatste_jaar", "toets": "boven", "drempel": "mutatiegrens", "ernst": "hoog",
        "thema": "mutatiegrens", "tekst": "{gebied}: {waarde} in {periode}."}
SALDO = {**RULE, "indicator": "saldo", "toets": "afwijking", "drempel": 25,
         "referentie": "taakstelling", "referentie_procent": 20, "doelgroep": "verdeelafspraak",
         "tekst": "{gebied}: {waarde_abs} {richting} ({referentie})."}


def write_rules(folder: Path, rules: object) -> Path:
    path = folder / "regio.yml"
    path.write_text(BASE + yaml.safe_dump({"signalen": {"regels": rules}}, allow_unicode=True),
                    encoding="utf-8")
    return path


def with_rule(**changes: object) -> dict:
    return {"r": {key: value for key, value in {**RULE, **changes}.items() if value is not None}}


def test_a_rule_is_read_with_its_defaults(tmp_path: Path):
    rules = load_config(write_rules(tmp_path, {"a": RULE, "b": SALDO})).signalen.regels
    assert [r.id for r in rules] == ["a", "b"]
    assert (rules[0].doelgroep, rules[0].categorie, rules[0].referentie) == ("alle", "alle", None)
    assert (rules[1].drempel, rules[1].referentie, rules[1].referentie_procent) == (
        25, "taakstelling", 20)


@pytest.mark.parametrize(("rules", "setting", "message"), [
    ([RULE], "signalen.regels", "verwacht per regel een naam"),
    ({"r": "boven"}, "signalen.regels.r", "verwacht een mapping"),
    (with_rule(kleur="rood"), "signalen.regels.r.kleur", "onbekende instelling"),
    (with_rule(tekst=None), "signalen.regels.r.tekst", "ontbreekt"),
    (with_rule(ernst="urgent"), "signalen.regels.r.ernst",
     "verwacht hoog, midden of laag, gevonden 'urgent'"),
    (with_rule(toets="gelijk"), "signalen.regels.r.toets", "verwacht boven, onder of afwijking"),
    (with_rule(periode="vorig_jaar"), "signalen.regels.r.periode",
     "verwacht laatste_jaar, hele_periode, elk_jaar of planperiode"),
    (with_rule(gebiedsniveau="wijk"), "signalen.regels.r.gebiedsniveau",
     "verwacht gemeente of regio"),
    (with_rule(drempel="grens"), "signalen.regels.r.drempel",
     "verwacht een getal of 'mutatiegrens', gevonden 'grens'"),
    (with_rule(drempel=True), "signalen.regels.r.drempel", "verwacht een getal"),
    (with_rule(toets="afwijking", drempel=-5), "signalen.regels.r.drempel",
     "verwacht een getal van 0 of meer"),
    (with_rule(thema="Mutatie grens"), "signalen.regels.r.thema", "kleine letters"),
    (with_rule(doelgroep=""), "signalen.regels.r.doelgroep", "verwacht een tekst"),
    (with_rule(tekst="{gemeente} boven de grens"), "signalen.regels.r.tekst",
     "onbekend veld {gemeente}; kies uit {gebied}"),
    (with_rule(tekst="{waarde:.1f}"), "signalen.regels.r.tekst",
     "schrijf veld {waarde} zonder opmaak"),
    (with_rule(tekst="{gebied boven"), "signalen.regels.r.tekst", "ongeldige tekst"),
    (with_rule(tekst="{gebied} ({referentie})"), "signalen.regels.r.tekst",
     "veld {referentie} zonder instelling referentie"),
    ({"r": {**SALDO, "referentie_procent": None}}, "signalen.regels.r.referentie_procent",
     "ontbreekt: referentie en referentie_procent horen bij elkaar"),
    ({"r": {**SALDO, "toets": "boven"}}, "signalen.regels.r.referentie",
     "alleen bij toets afwijking"),
    ({"r": {**SALDO, "referentie_procent": 0}}, "signalen.regels.r.referentie_procent",
     "verwacht een positief getal"),
])
def test_a_bad_rule_names_file_and_setting(tmp_path: Path, rules, setting, message):
    if isinstance(rules, dict):
        rules = {key: {k: v for k, v in rule.items() if v is not None}
                 if isinstance(rule, dict) else rule for key, rule in rules.items()}
    path = write_rules(tmp_path, rules)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert f"{path}: instelling '{setting}': " in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(("changes", "setting", "message"), [
    ({"indicator": "wachttijd"}, "indicator", "onbekende indicator 'wachttijd'"),
    ({**SALDO, "referentie": "model"}, "referentie", "onbekende indicator 'model'"),
    ({"indicator": "concentratie_index_wijk", "drempel": 2},
     "indicator", "heeft geen cijfers per gemeente"),
    ({"periode": "planperiode"}, "periode", "heeft cijfers per jaar"),
    ({"indicator": "voortgang_met_harde_plannen"}, "periode",
     "één cijfer over de planperiode; kies planperiode"),
    ({"indicator": "saldo"}, "drempel", "mutatiegrens is een percentage"),
    ({"doelgroep": "jongeren"}, "doelgroep", "onbekende doelgroep 'jongeren'"),
    ({"categorie": "appartementen"}, "categorie", "onbekende categorie 'appartementen'"),
])
def test_a_rule_names_what_the_catalogue_knows(tmp_path: Path, changes, setting, message):
    path = write_rules(tmp_path, {"r": {**RULE, **changes}})
    region = load_config(path)  # the file itself is well-formed
    with pytest.raises(ConfigError) as info:
        signals.check(region)
    assert f"{path}: instelling 'signalen.regels.r.{setting}': " in str(info.value)
    assert message in str(info.value)


def test_the_commands_refuse_a_rule_on_an_unknown_indicator(tmp_path: Path, cli):
    path = write_rules(tmp_path, with_rule(indicator="wachttijd"))
    result = cli("validate", tmp_path, "--config", path)
    assert result.exit_code == 1
    assert "instelling 'signalen.regels.r.indicator': onbekende indicator" in result.output


def test_the_packaged_rules_name_what_the_catalogue_knows():
    signals.check(load_config())


# The engine on the demo build -------------------------------------------------------------

def with_rules(data, *rules):
    region = dataclasses.replace(data.region, signalen=dataclasses.replace(
        data.region.signalen, regels=tuple(rules)))
    return dataclasses.replace(data, region=region)


def changed(data, rule_id: str, **changes):
    return with_rules(data, *(dataclasses.replace(r, **changes) if r.id == rule_id else r
                              for r in data.region.signalen.regels))


def by_rule(found) -> dict[str, list]:
    out: dict[str, list] = {}
    for signal in found:
        out.setdefault(signal.rule_id, []).append(signal)
    return out


def test_the_demo_signals_are_those_of_the_four_rules_ranked(data):
    found = signals.evaluate(data)
    assert found == sorted(found, key=lambda s: s.rank) == signals.evaluate(data)
    assert [s.severity for s in found] == sorted(
        (s.severity for s in found), key=("hoog", "midden", "laag").index)
    rules = by_rule(found)
    # the limit in the last year: 's-Gravenhage, hoog, first
    share = data.values(LIMIT_INDICATOR, periode=data.last_year, gebiedsniveau="gemeente")
    assert [s.gebied for s in rules["boven_mutatiegrens"]] == ["GM0518"] == list(
        share[share > 30].index)
    first = found[0]
    assert (first.severity, first.gebied, first.thema, first.light) == (
        "hoog", "GM0518", "mutatiegrens", "rood")
    assert first.text == (f"’s-Gravenhage: {fmt_percent(share['GM0518'])} van de mutaties in "
                          f"{data.last_year} ging naar aandachtsgroepen.")
    assert "boven 30% (de mutatiegrens)" in first.rule
    # the distribution: |saldo| ≥ 25 and ≥ 20% of the model's figure, largest first
    differences = regio.model_differences(data)
    model = data.values("taakstelling", periode=data.period, doelgroep="verdeelafspraak",
                        gebiedsniveau="gemeente")
    expected = [g for g, d in differences.abs().sort_values(ascending=False,
                                                              kind="stable").items()
                if d >= 25 and d >= 0.2 * model[g]]
    assert [s.gebied for s in rules["verdeling_wijkt_af"]] == expected
    assert all(s.severity == "midden" and "(" + fmt_int(model[s.gebied]) + ")" in s.text
               for s in rules["verdeling_wijkt_af"])
    # the housing task of the region below 50%, and the wijken above the threshold
    behind = data.rows("voortgang_met_harde_plannen", gebiedsniveau="regio")
    assert len(rules["woonopgave_blijft_achter"]) == (behind["waarde"] < 50).sum() > 0
    assert len(regio.tasks_behind(data)) == len(rules["woonopgave_blijft_achter"])
    [wijken] = rules["wijken_boven_drempel"]
    assert wijken.severity == "laag" and wijken.gebied == data.region.naam
    assert "Zoetermeer 3" in wijken.text  # the gemeenten with wijken above the threshold


def test_the_signals_are_listed_per_rule_with_the_rule_once(data):
    found = signals.evaluate(data)
    text = signals.grouped(found)
    for signal in found:
        assert f"- {md_text(signal.text)}" in text
    rules = list(dict.fromkeys(s.rule for s in found))
    assert [text.count(f"*Regel: {md_text(rule)}.*") for rule in rules] == [1] * len(rules)
    assert text.index(rules[0]) < text.index(rules[-1])  # most severe first
    assert text.startswith(f"{signals.light(found[0].light)} **")


def test_a_threshold_changed_in_the_settings_changes_signal_and_message(data, tmp_path: Path):
    settings = yaml.safe_load(data.region.tekst)
    settings["signalen"]["regels"]["boven_mutatiegrens"]["drempel"] = 19.5
    path = tmp_path / "regio.yml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    lower = dataclasses.replace(data, region=load_config(path))
    over = [s.gebied for s in signals.evaluate(lower) if s.rule_id == "boven_mutatiegrens"]
    assert over == ["GM0518", "GM0603"]  # furthest above first
    assert all("boven 19,5%" in s.rule for s in signals.evaluate(lower)
               if s.rule_id == "boven_mutatiegrens")
    assert regio.gemeenten_over_limit(lower, data.last_year) == ["GM0518", "GM0603"]
    assert "2 van de 9 gemeenten boven de grens" in regio.key_messages(lower)[0]
    assert "boven de grens van 19,5%" in regio.key_messages(lower)[0]
    # the housing task: a lower threshold leaves fewer tasks behind, in signal and message
    stricter = changed(data, "woonopgave_blijft_achter", drempel=40)
    behind = [s for s in signals.evaluate(stricter) if s.thema == "woonopgave"]
    assert 0 < len(behind) < len(regio.tasks_behind(data)) and len(behind) == len(
        regio.tasks_behind(stricter))
    assert any("minder dan 40% van de opgave" in m for m in regio.key_messages(stricter))


def test_the_limit_by_name_follows_the_verdeelmodel(data):
    lower = dataclasses.replace(data, model_config=dataclasses.replace(
        data.model_config, mutatiegrens=0.195))
    assert [s.gebied for s in signals.evaluate(lower) if s.thema == "mutatiegrens"] == [
        "GM0518", "GM0603"]
    same = changed(data, "boven_mutatiegrens", drempel=19.5)
    assert [s.text for s in signals.evaluate(same)] == [s.text for s in signals.evaluate(lower)]


def test_a_hidden_value_never_raises_a_signal(data):
    table = data.indicators.copy()
    limit = ((table["indicator"] == LIMIT_INDICATOR) & (table["gebied"] == "GM0518")
             & (table["periode"] == data.last_year))
    model = ((table["indicator"] == "taakstelling") & (table["gebied"] == "GM1783")
             & (table["periode"] == data.period))
    table.loc[limit | model, ["waarde", "status"]] = [np.nan, "klein"]
    hidden = dataclasses.replace(data, indicators=table)
    found = signals.evaluate(hidden)
    assert not [s for s in found if s.thema == "mutatiegrens"]
    assert "GM1783" not in {s.gebied for s in found if s.thema == "verdeling"}
    assert {s.gebied for s in found if s.thema == "verdeling"} == {
        s.gebied for s in signals.evaluate(data) if s.thema == "verdeling"} - {"GM1783"}
    assert regio.gemeenten_over_limit(hidden, data.last_year) == []


def test_an_appendix_gets_the_signals_of_its_gemeente(data):
    region = signals.evaluate(data)
    for gemeente in data.region.gemeenten:
        own = signals.evaluate(data, gemeente)
        assert own == sorted(own, key=lambda s: s.rank)
        assert {s.gebied for s in own} <= {gemeente}
        # rules per gemeente: the same signals as in the regional report
        assert [s for s in own if s.rule_id in ("boven_mutatiegrens", "verdeling_wijkt_af")] == [
            s for s in region if s.gebied == gemeente]
    # rules for the region: the gemeente's own figure
    count = int(data.values("wijken_boven_drempel", periode=data.period,
                            doelgroep="aandachtsgroepen")["GM0518"])
    [wijken] = [s for s in signals.evaluate(data, "GM0518") if s.thema == "wijken"]
    assert f"in {count} van de wijken" in wijken.text and "in de regio" not in wijken.rule
    assert not [s for s in signals.evaluate(data, "GM1842") if s.thema == "wijken"]  # none
    with pytest.raises(ValueError, match="geen gemeente van Haaglanden"):
        signals.evaluate(data, "GM0363")


def test_each_year_gives_a_signal_per_year(data):
    rule = dataclasses.replace(data.region.signalen.regels[0], periode="elk_jaar", drempel=20)
    found = signals.evaluate(with_rules(data, rule))
    shares = data.rows(LIMIT_INDICATOR, gebiedsniveau="gemeente")
    above = shares[shares["periode"].isin([str(y) for y in data.region.jaren])
                   & (shares["waarde"] > 20)]
    assert len(found) == len(above) > len(data.region.jaren)
    years = {p for p in above["periode"]}
    assert {y for y in years if any(f" in {y} ging" in s.text for s in found)} == years
    assert "in elk jaar van 2021–2025" in found[0].rule


def test_a_traffic_light_per_thema(data):
    assert signals.lights(data, signals.evaluate(data)) == {
        "mutatiegrens": "rood", "verdeling": "oranje", "woonopgave": "oranje", "wijken": "geel"}
    calm = changed(data, "boven_mutatiegrens", drempel=99)
    assert signals.lights(calm, signals.evaluate(calm))["mutatiegrens"] == "groen"
    assert signals.lights(data, signals.evaluate(data, "GM1842"))["wijken"] == "groen"


def test_the_key_messages_follow_the_most_severe_rule(data):
    early = dataclasses.replace(data.region.signalen.regels[0], id="vroeg", drempel=19.5,
                                ernst="midden")
    both = with_rules(data, early, *data.region.signalen.regels)
    assert signals.rule_for(both, LIMIT_INDICATOR, "boven").id == "boven_mutatiegrens"
    assert regio.gemeenten_over_limit(both, data.last_year) == ["GM0518"]
    assert len([s for s in signals.evaluate(both) if s.thema == "mutatiegrens"]) == 3
    # without a rule on the limit, the key messages judge it against the verdeelmodel's own
    none = with_rules(data, *data.region.signalen.regels[1:])
    assert regio.gemeenten_over_limit(none, data.last_year) == ["GM0518"]
