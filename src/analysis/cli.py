"""The `woonzorg` command: thin wrappers around demo, validate, ingest, build, scenario,
openbaarheid and geo fetch."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from analysis.cache import Cache, digest, files_digest, software
from analysis.config import FETCH_FOLDER, ConfigError, RegionConfig, load_config
from analysis.contracts import CONTRACTS, by_id
from analysis.issues import InputError, Issue
from analysis.layout import CACHE_FOLDER, DISCLOSURE_STEP

if TYPE_CHECKING:
    from analysis.ingest import IngestResult
    from analysis.model.config import VerdeelmodelConfig
    from analysis.report.leaks import Scanner

DEFAULT_RAW = Path("data/raw")
DEFAULT_PROCESSED = Path("data/processed")


class _Clock:
    """Progress lines on stderr with the elapsed time, so long steps show they are alive."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        click.echo(f"[{time.perf_counter() - self.start:6.1f} s] {message}", err=True)


def _config(path: Path | None) -> RegionConfig:
    from analysis.report.signals import check

    try:
        region = load_config(path)
        check(region)  # the signal rules name catalogue indicators: before any slow step
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    return region


def _report(issues: list[Issue], limit: int) -> None:
    """Print issues; with a limit, at most `limit` per file, column and message."""
    shown: Counter[tuple] = Counter()
    hidden: Counter[tuple] = Counter()
    for issue in issues:
        kind = (issue.file, issue.column, issue.message.split(";")[0], issue.severity)
        shown[kind] += 1
        if limit and shown[kind] > limit:
            hidden[kind] += 1
            continue
        click.echo(str(issue), err=True)
    for (file, column, message, _), count in hidden.items():
        click.echo(f"… en nog {count} keer '{message}' in {file}, kolom '{column}' "
                   "(toon alles met --max-per-soort 0)", err=True)
    errors = sum(issue.is_error for issue in issues)
    warnings = len(issues) - errors
    click.echo(f"{errors} fout(en), {warnings} waarschuwing(en)", err=True)


config_option = click.option(
    "--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Regio-instellingen (YAML); standaard de meegeleverde instellingen voor Haaglanden.")
limit_option = click.option(
    "--max-per-soort", "limit", type=click.IntRange(min=0), default=50, show_default=True,
    help="Toon per bestand, kolom en soort fout hoogstens zoveel meldingen (0 = alle).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="woonzorgmonitor")
def main() -> None:
    """Woonzorgmonitor Haaglanden: van SVH- en PPM-exports naar gevalideerde data en rapporten."""


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_RAW, show_default=True, help="Map voor de demobestanden.")
@click.option("--wijken", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="GeoJSON met CBS-wijken (statcode, gmCode) voor de wijkcodes van woningen; "
                   "standaard OUT/geo/*wijk*.geojson als dat bestaat.")
@click.option("--seed", type=int, default=None, help="Startwaarde van de toevalsgenerator.")
@click.option("--verhuringen-per-jaar", "verhuringen_per_jaar", type=click.IntRange(min=1),
              default=None,
              help="Schaal de regio op tot ongeveer zoveel verhuringen per jaar (bijvoorbeeld "
                   "400000 voor een landelijke belastingtest); voorraad, CBS-cijfers en "
                   "woonopgave schalen mee. Standaard het Haaglandse volume (± 8.800).")
@click.option("--overschrijf", "overwrite", is_flag=True,
              help="Schrijf ook in een map met echte exports: bestanden met dezelfde naam "
                   "worden vervangen en DEMO.json markeert de hele map als demo.")
@config_option
def demo(out_dir: Path, wijken: Path | None, seed: int | None,
         verhuringen_per_jaar: int | None, overwrite: bool, config_path: Path | None) -> None:
    """Schrijf de deterministische demodataset (DEMO — synthetische gegevens) naar OUT.

    Weigert een map met echte exports (bronbestanden die niet van een eerdere demo zijn),
    tenzij --overschrijf is gegeven."""
    from analysis.demo import DEFAULT_SEED, DemoError, generate_demo

    clock = _Clock()
    try:
        result = generate_demo(out_dir, config=_config(config_path), wijken=wijken,
                               seed=DEFAULT_SEED if seed is None else seed,
                               verhuringen_per_jaar=verhuringen_per_jaar, progress=clock,
                               overwrite=overwrite)
    except DemoError as exc:
        raise click.ClickException(str(exc)) from exc
    for note in result.notes:
        click.echo(f"LET OP: {note}", err=True)
    clock(f"{len(result.files)} demobestanden geschreven in {out_dir}")


def _validate_paths(paths: tuple[Path, ...], config: RegionConfig, source: str | None,
                    progress: _Clock) -> list[Issue]:
    from analysis.ingest import validate_all
    from analysis.validate import contract_for_file, validate_source

    issues: list[Issue] = []
    for path in paths:
        if path.is_dir():
            issues.extend(validate_all(path, config, progress)[1])
            continue
        contract = by_id(source) if source else contract_for_file(path)
        if contract is None:
            names = ", ".join(c.id for c in CONTRACTS)
            issues.append(Issue(path.name, "bron niet te herkennen aan de bestandsnaam",
                                expected=f"een naam als svh_verhuringen*.csv, of --bron {names}"))
            continue
        progress(f"{path.name}: controleren als {contract.title}")
        issues.extend(validate_source(contract, [path], config).issues)
    return issues


@main.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--bron", "source", type=click.Choice([c.id for c in CONTRACTS]),
              help="Controleer losse bestanden als deze bron, in plaats van op bestandsnaam.")
@config_option
@limit_option
def validate(paths: tuple[Path, ...], source: str | None, config_path: Path | None,
             limit: int) -> None:
    """Controleer bestanden of mappen tegen de datacontracten; schrijft niets.

    Meldt elke fout met bestand, regel (CSV) of rij (Excel) en kolom. Stopt met code 1 als er
    fouten zijn."""
    clock = _Clock()
    issues = _validate_paths(paths, _config(config_path), source, clock)
    _report(issues, limit)
    if any(issue.is_error for issue in issues):
        sys.exit(1)


def _run_pipeline(processed: Path, limit: int, step: Callable[[_Clock], IngestResult]) -> None:
    """Run `step` with progress output; input errors are printed and end with exit code 1."""
    clock = _Clock()
    try:
        ingested = step(clock)
    except InputError as exc:
        _report(exc.issues, limit)
        click.echo(f"Niets geschreven naar {processed}: los eerst de fouten op.", err=True)
        sys.exit(1)
    if ingested.warnings:
        _report(list(ingested.warnings), limit)
    label = " (DEMO — synthetische gegevens)" if ingested.manifest["demo"] else ""
    clock(f"klaar: gevalideerde gegevens en manifest in {processed}{label}")


def _outside_raw(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """Refuse --processed in or equal to --raw: the folder of raw exports only ever holds what
    the suppliers sent. Checked by whichever of the two options click handles last."""
    other = "processed" if param.name == "raw" else "raw"
    if other in ctx.params:
        folders = {param.name: value, other: ctx.params[other]}
        raw, processed = folders["raw"].resolve(), folders["processed"].resolve()
        if processed == raw or raw in processed.parents:
            raise click.BadParameter(
                f"{folders['processed']} is of ligt in de map met ruwe exports "
                f"{folders['raw']}; kies voor de verwerkte gegevens een map buiten --raw",
                param_hint="--processed")
    return value


raw_option = click.option("--raw", type=click.Path(file_okay=False, path_type=Path),
                          default=DEFAULT_RAW, show_default=True, callback=_outside_raw,
                          help="Map met ruwe exports.")
processed_option = click.option("--processed", type=click.Path(file_okay=False, path_type=Path),
                                default=DEFAULT_PROCESSED, show_default=True,
                                callback=_outside_raw,
                                help="Map voor gevalideerde Parquet-bestanden en het manifest.")


@main.command()
@raw_option
@processed_option
@config_option
@limit_option
def ingest(raw: Path, processed: Path, config_path: Path | None, limit: int) -> None:
    """Valideer alle bronnen in RAW en schrijf Parquet en manifest.json naar PROCESSED.

    Bij één fout in welke bron ook wordt niets geschreven."""
    from analysis.ingest import ingest as run

    region = _config(config_path)
    _run_pipeline(processed, limit, lambda clock: run(raw, processed, region, progress=clock))


model_option = click.option(
    "--verdeelmodel", "model_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Instellingen van het verdeelmodel (YAML); standaard de meegeleverde voor Haaglanden.")


class _ProgressBar:
    """A progress bar over the notebooks; failures are listed when all are done."""

    def __init__(self) -> None:
        self.bar = None

    def start(self, total: int) -> None:
        self.bar = click.progressbar(length=total, label="Rapporten maken", file=sys.stderr,
                                     show_pos=True, item_show_func=lambda name: name or "")
        self.bar.__enter__()

    def advance(self, outcome) -> None:
        self.bar.update(1, outcome.job.name)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _gemeente_codes(values: tuple[str, ...], region: RegionConfig) -> tuple[str, ...] | None:
    from analysis import codes

    if not values:
        return None
    found = []
    for value in values:
        code = codes.gemeente_lookup().get(codes.name_key(value))
        if code not in region.gemeenten:
            raise click.BadParameter(f"'{value}' is geen gemeente van regio {region.naam}",
                                     param_hint="--gemeente")
        found.append(code)
    return tuple(found)


def _doelgroep_codes(values: tuple[str, ...]) -> tuple[str, ...] | None:
    from analysis import codes
    from analysis.parsing import code_parser

    parse = code_parser("doelgroepen")
    found = tuple(parse(value, ",") for value in values)
    unknown = [v for v, c in zip(values, found, strict=True)
               if c not in codes.aandachtsgroepen()]
    if unknown:
        raise click.BadParameter(f"onbekende doelgroep {', '.join(unknown)}",
                                 param_hint="--doelgroep")
    return found or None


def _edition_label(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from analysis.editions import EditionError, check_label

    try:
        return None if value is None else check_label(value)
    except EditionError as exc:
        raise click.BadParameter(str(exc)) from exc


def _edition(processed: Path, folder: Path | None, label: str | None,
             overwrite: bool) -> dict[str, object]:
    """The build's edition arguments. A label that is taken is replaced only when asked: the
    option, or a yes at a terminal (without one, the build is refused before it starts)."""
    from analysis.editions import EditionError, check_new, default_folder

    folder = folder or default_folder(processed)
    if label is not None and not overwrite:
        try:
            check_new(folder, label)
        except EditionError as exc:
            if not sys.stdin.isatty():
                raise click.ClickException(str(exc)) from exc
            click.confirm(f"Editie {label} bestaat al in {folder}. Vervangen?", abort=True,
                          err=True)
            overwrite = True
    return {"edition": label, "editions_dir": folder, "overwrite_edition": overwrite}


class _BuildCommand(click.Command):
    """`build --help` lists the document kinds from _quarto.yml in the working folder."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from analysis.report.kinds import document_kinds

        try:
            kinds = document_kinds(Path.cwd())
        except ConfigError:
            formatter.write_paragraph()
            formatter.write_text("Draai woonzorg build in de projectmap (met _quarto.yml): daar "
                                 "staan de documentsoorten die de build maakt.")
            return
        with formatter.section("Documenten (tabel 'documenten' in _quarto.yml)"):
            formatter.write_dl([
                (kind.id, f"{kind.title}; {kind.format_names}"
                          + (f"; één per {kind.parameter} (--{kind.parameter})"
                             if kind.parameter else "")
                          + f"; map {kind.folder}")
                for kind in kinds.values()])


@main.command(cls=_BuildCommand)
@raw_option
@processed_option
@config_option
@model_option
@limit_option
@click.option("--gemeente", "gemeenten", multiple=True, metavar="NAAM_OF_CODE",
              help="Maak alleen de documenten voor deze gemeente (herhaalbaar).")
@click.option("--doelgroep", "doelgroepen", multiple=True, metavar="CODE_OF_NAAM",
              help="Maak alleen de documenten voor deze doelgroep (herhaalbaar).")
@click.option("--alleen-data", is_flag=True,
              help="Alleen ingest, indicatoren, verdeelmodel en kaartlagen; geen rapporten.")
@click.option("--rapporten", "reports", type=click.Path(file_okay=False, path_type=Path),
              help="Map voor de rapporten; standaard output-dir uit _quarto.yml (reports).")
@click.option("--werkmap", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True,
              help="Map voor uitgevoerde notebooks en figuren.")
@click.option("--editie", metavar="LABEL", callback=_edition_label,
              help="Bewaar wat deze build publiceert als editie LABEL (bijvoorbeeld 2025-H2) "
                   "in EDITIES: letters, cijfers, punt, koppelteken en liggend streepje.")
@click.option("--edities", "editions_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Map met de bewaarde edities; standaard de map edities naast PROCESSED "
                   "(data/edities).")
@click.option("--overschrijf-editie", "overwrite_edition", is_flag=True,
              help="Vervang een bestaande editie met hetzelfde LABEL (anders wordt er gevraagd "
                   "of geweigerd).")
def build(raw: Path, processed: Path, config_path: Path | None, model_path: Path | None,
          limit: int, gemeenten: tuple[str, ...], doelgroepen: tuple[str, ...],
          alleen_data: bool, reports: Path | None, werkmap: Path, editie: str | None,
          editions_dir: Path | None, overwrite_edition: bool) -> None:
    """Draai de hele pijplijn: van RAW naar PROCESSED en de rapporten in reports/.

    Schrijft de gevalideerde data, de indicatortabel, het verdeelmodel en de kaartlagen naar
    PROCESSED, en dan elk document uit de tabel hieronder, de data-exports en
    reports/index.html. Met --gemeente of --doelgroep alleen de documenten voor die gemeente
    of doelgroep. Als een document mislukt, worden de andere toch gemaakt en eindigt het
    commando met code 1.

    Elk document vergelijkt de cijfers met de laatst bewaarde eerdere editie in EDITIES
    (paragraaf 'Wijzigingen ten opzichte van de vorige editie'); met --editie LABEL bewaart de
    build de gepubliceerde cijfers daar als nieuwe editie.

    Eén build tegelijk per map. Een afgebroken build laat geen halve bestanden achter: draai
    hem opnieuw. reports/manifest.json komt als laatste; zonder dat is de set onvolledig."""
    from analysis.model.config import load_verdeelmodel_config
    from analysis.render.settings import document_settings
    from analysis.workspace import WorkspaceError, claim

    region = _config(config_path)
    try:
        model = load_verdeelmodel_config(model_path)
        reports = None if alleen_data else reports or document_settings(Path.cwd()).output_dir
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    only = {name: values for name, values in (("gemeente", _gemeente_codes(gemeenten, region)),
                                              ("doelgroep", _doelgroep_codes(doelgroepen)))
            if values}
    editions = _edition(processed, editions_dir, editie, overwrite_edition)
    folders = [processed] if reports is None else [processed, werkmap, reports]
    try:  # one build at a time in these folders; checked before the slow part
        with claim(folders + ([editions["editions_dir"]] if editie else [])):
            _build(raw, processed, region, model, limit, only, reports, werkmap, editions)
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from exc


def _build(raw: Path, processed: Path, region: RegionConfig, model: VerdeelmodelConfig,
           limit: int, only: dict[str, tuple[str, ...]], reports: Path | None,
           werkmap: Path, editions: dict[str, object]) -> None:
    """The data step, then (unless `reports` is None) the documents and the small-count
    check."""
    if reports is None:
        _data_step(raw, processed, region, model, limit, editions)
        return
    from analysis.report.leaks import Scanner
    from analysis.report.pipeline import Selection, publish, start_ahead, workers_for

    try:
        workers = workers_for(Path.cwd(), werkmap)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    # When the data step has work, the notebook kernels warm up beside it.
    with workers:
        _data_step(raw, processed, region, model, limit, editions,
                   lambda: start_ahead(workers))
        clock, bar = _Clock(), _ProgressBar()
        # The check reads each file as soon as it is written, beside the rest of the build.
        with Scanner(reports, region.openbaarheid, region=region, model=model) as scanner:
            try:
                published = publish(Path.cwd(), processed, werkmap, Selection(only),
                                    reports=reports, progress=bar, on_written=scanner.add,
                                    workers=workers)
            except ConfigError as exc:
                raise click.ClickException(str(exc)) from exc
            finally:
                bar.finish()
            for error in published.errors:
                click.echo(f"FOUT {error}", err=True)
            kept = (f", waarvan {published.reused} document(en) ongewijzigd van de vorige "
                    "build" if published.reused else "")
            clock(f"{len(published.outputs)} bestanden klaar{kept} ({len(published.errors)} "
                  "fout(en)); begin bij index.html")
            # Whatever was written is checked as a reader gets it, also when a document failed.
            clean = _disclosure_check(reports, region, model, Cache(werkmap / CACHE_FOLDER),
                                      scanner)
    if published.errors or not clean:
        sys.exit(1)


def _data_step(raw: Path, processed: Path, region: RegionConfig, model: VerdeelmodelConfig,
               limit: int, editions: dict[str, object],
               before_work: Callable[[], object] | None = None) -> None:
    from analysis.build import build as run
    from analysis.editions import EditionError
    from analysis.geo.errors import GeoError

    try:
        _run_pipeline(processed, limit, lambda clock: run(
            raw, processed, region, model, progress=clock, reuse=True, before_work=before_work,
            **editions)[0])
    except (GeoError, EditionError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.argument("settings", nargs=-1, required=True, metavar="INSTELLINGEN...",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Map voor de vergelijking: PDF, Word, Excel en Parquet.")
@click.option("--processed", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_PROCESSED, show_default=True,
              help="Map met de verwerkte gegevens van een build (woonzorg build).")
@click.option("--werkmap", "--build", "werkmap", type=click.Path(file_okay=False, path_type=Path),
              help="Map voor het uitgevoerde notebook en de figuren; standaard een tijdelijke "
                   "map die na afloop verdwijnt.")
def scenario(settings: tuple[Path, ...], out_dir: Path, processed: Path,
             werkmap: Path | None) -> None:
    """Vergelijk de taakstelling van het verdeelmodel onder meer instellingenbestanden.

    Rekent de taakstelling voor het komende jaar door met elk instellingenbestand van het
    verdeelmodel (INSTELLINGEN, zoals verdeelmodel.yml; de instelling 'naam', of anders de
    bestandsnaam, noemt het scenario), op dezelfde gegevens en regio-instellingen uit
    PROCESSED. Het eerste scenario is het vergelijkingspunt; de gevoeligheid voor de grens en
    de gewichten van de verdeelsleutel hoort bij dat scenario.

    Schrijft naar OUT: scenariovergelijking.pdf en .docx voor de Bestuurlijke Tafel, .xlsx
    (elke tabel op een blad) en .parquet (per scenario en gemeente alle cijfers van het model).
    Elk bestand wordt eerst gecontroleerd; een fout noemt bestand en instelling, en dan wordt
    er niets geschreven. Eindigt met de controle op kleine aantallen (woonzorg openbaarheid)
    over OUT; stopt met code 1 als er iets mis is."""
    import tempfile

    from analysis.scenarios import load_scenarios
    from analysis.workspace import WorkspaceError, claim

    clock = _Clock()
    try:  # every file first: a mistake in the last one must not cost a run of the others
        names = [s.naam for s in load_scenarios(settings)]
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    clock(f"{len(names)} scenario's: {', '.join(names)}")
    with tempfile.TemporaryDirectory(prefix="woonzorg-scenario-") as temporary:
        work = werkmap or Path(temporary)
        try:
            with claim([out_dir, work]):
                _scenario(settings, out_dir, processed, work, clock)
        except WorkspaceError as exc:
            raise click.ClickException(str(exc)) from exc


def _scenario(settings: tuple[Path, ...], out_dir: Path, processed: Path, werkmap: Path,
              clock: _Clock) -> None:
    """The comparison's data (for the Parquet file), the document from the scenario notebook,
    then the small-count check over OUT."""
    from analysis.model.types import ModelInputError
    from analysis.report.pipeline import publish_document
    from analysis.scenarios import compare, export_table
    from analysis.storage import write_file

    paths = [p.resolve() for p in settings]
    try:
        comparison = compare(processed, paths)
    except (ConfigError, ModelInputError) as exc:
        raise click.ClickException(str(exc)) from exc
    except InputError as exc:
        raise click.ClickException("; ".join(str(issue) for issue in exc.issues)) from exc
    clock("vergelijking en gevoeligheid berekend")
    try:
        published = publish_document(Path.cwd(), processed, werkmap, "scenario",
                                     {"scenarios": [str(p) for p in paths]}, reports=out_dir)
    except (ConfigError, KeyError) as exc:
        raise click.ClickException(
            "draai woonzorg scenario in de projectmap (met _quarto.yml en analyses/): "
            f"{exc}") from exc
    for error in published.errors:
        click.echo(f"FOUT {error}", err=True)
    documents = [p for p in published.outputs if p.suffix == ".pdf"]
    if published.errors or not documents:
        sys.exit(1)
    published.outputs.append(write_file(
        documents[0].with_suffix(".parquet"),
        lambda path: export_table(comparison).to_parquet(path, index=False)))
    clock(f"{len(published.outputs)} bestanden geschreven in {out_dir}: "
          f"{', '.join(p.name for p in published.outputs)}")
    if not _disclosure_check(out_dir, comparison.region, comparison.first.config):
        sys.exit(1)


@main.command()
@click.argument("reports_dir", required=False,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@config_option
@model_option
def openbaarheid(reports_dir: Path | None, config_path: Path | None,
                 model_path: Path | None) -> None:
    """Controleer of de gepubliceerde bestanden kleine aantallen huishoudens prijsgeven.

    Leest elk bestand in REPORTS_DIR (standaard output-dir uit _quarto.yml, reports) zoals een
    lezer het ziet: data-exports (Parquet, CSV, XLSX), tabellenboeken, PDF, Word en HTML met
    de interactieve figuren. Meldt per bevinding bestand en plek (pagina, blad en cel, rij en
    kolom, figuur en reeks): kleine aantallen, afgeschermde cellen met een waarde, percentages
    die een afgeschermd aantal prijsgeven en afgeschermde cellen die uit gepubliceerde totalen
    te herleiden zijn. De drempels komen uit de regio-instellingen (blok openbaarheid). Stopt
    met code 1 als er iets gevonden is."""
    from analysis.model.config import load_verdeelmodel_config
    from analysis.render.settings import document_settings

    region = _config(config_path)
    try:
        model = load_verdeelmodel_config(model_path)
        folder = reports_dir or document_settings(Path.cwd()).output_dir
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    if not folder.is_dir():
        raise click.ClickException(f"map {folder} bestaat niet; geef de map met rapporten op")
    if not _disclosure_check(folder, region, model):
        sys.exit(1)


def _disclosure_check(folder: Path, region: RegionConfig, model: VerdeelmodelConfig,
                      cache: Cache | None = None, scanner: Scanner | None = None) -> bool:
    """Run the small-count check on a folder of reports and say what it found; True if clean.
    With a `cache`, a folder whose files and settings are those of an earlier clean check is
    not read again: the check would find the same. What `scanner` read already is not read
    again."""
    from analysis.report.leaks import LeakCheckError, check_reports, checked_files

    clock = time.perf_counter()
    key = digest("openbaarheid", files_digest(checked_files(folder), folder), region.tekst,
                 model.tekst, software())
    if cache is not None and cache.reuse(DISCLOSURE_STEP, key) is not None:
        files = len(checked_files(folder))
        click.echo(f"OK: {files} bestanden in {folder} geven geen kleine aantallen huishoudens "
                   "prijs (ongewijzigd sinds de vorige controle).")
        return True
    try:
        checked = check_reports(folder, region, model, scanner)
    except LeakCheckError as exc:
        raise click.ClickException(str(exc)) from exc
    seconds = time.perf_counter() - clock
    for finding in checked.findings:
        click.echo(str(finding), err=True)
    if checked.findings:
        click.echo(f"{len(checked.findings)} bevinding(en) in {checked.files} bestanden in "
                   f"{folder} ({seconds:.1f} s): niet publiceren.", err=True)
        if cache is not None:
            cache.forget(DISCLOSURE_STEP)
        return False
    click.echo(f"OK: {checked.files} bestanden in {folder} geven geen kleine aantallen "
               f"huishoudens prijs ({seconds:.1f} s).")
    if cache is not None:
        cache.store(DISCLOSURE_STEP, key, [])
    return True


@main.group()
def geo() -> None:
    """CBS-gebiedsgrenzen voor de kaarten."""


@geo.command("fetch")
@click.option("--jaar", type=click.IntRange(2000, 2100), default=None,
              help="Jaar van de grenzen; standaard geo.jaar uit de regio-instellingen.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Doelmap; standaard geo.map uit de regio-instellingen, anders "
                                 "data/raw/geo.")
@click.option("--url", "base_url", default=None,
              help="Andere WFS-dienst (met of zonder {jaar}); standaard de PDOK-dienst van "
                   "CBS Gebiedsindelingen.")
@config_option
def geo_fetch(jaar: int | None, out_dir: Path | None, base_url: str | None,
              config_path: Path | None) -> None:
    """Haal de gegeneraliseerde gemeente- en wijkgrenzen van CBS/PDOK op, met herkomst."""
    from analysis.geo.errors import GeoError
    from analysis.geo.fetch import DEFAULT_BASE_URL, fetch_boundaries

    region = _config(config_path)
    clock = _Clock()
    year = jaar or region.geo.jaar
    target = out_dir or region.geo.map or FETCH_FOLDER
    clock(f"grenzen {year} ophalen naar {target}")
    try:
        written = fetch_boundaries(year, target, base_url=base_url or DEFAULT_BASE_URL)
    except GeoError as exc:
        raise click.ClickException(str(exc)) from exc
    clock(f"geschreven: {', '.join(p.name for p in written)}")
