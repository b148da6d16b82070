"""The file names that several steps share: the demo marker in the raw folder and the layout of
the processed folder. Producers (demo, ingest, build) and readers (reports, notebooks, tests)
import the names from here, so none of them needs to import another step."""

from __future__ import annotations

from pathlib import Path

# Raw folder: the demo generator writes this marker; ingest labels everything made from it.
DEMO_MARKER = "DEMO.json"
DEMO_LABEL = "DEMO — synthetische gegevens"
# Raw folder: what ingest takes as a source (a name its contract recognises, with one of these
# suffixes; .pdf and .xls only to refuse them with a message) and the files it never reads.
RAW_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".pdf", ".xls"}
RAW_IGNORED = {"readme.md", DEMO_MARKER.lower(), ".gitkeep"}

# Processed folder: one Parquet file per source (named by its contract id), then these.
MANIFEST = "manifest.json"  # written last by ingest: its presence says the sources are complete
# Written last by build: the checksums of the results below and of the manifest.json of the
# sources they come from, so a build killed between the two steps cannot pass old results off
# as those of new sources.
ANALYSIS_MANIFEST = "analyse.json"
INDICATORS = "indicatoren.parquet"
MODEL_RESULTS = "verdeelmodel_resultaten.parquet"
MODEL_REGION = "verdeelmodel_regio.parquet"
MODEL_TRACE = "verdeelmodel_trace.parquet"
# The prospective taakstelling (`model.prognose`): the model's columns for the coming year, and
# its year, the years averaged and where each input came from.
TASK_RESULTS = "taakstelling_resultaten.parquet"
TASK_REGION = "taakstelling_regio.parquet"
TASK_TRACE = "taakstelling_trace.parquet"
TASK_BASIS = "taakstelling.json"
# What may be published (`protection`): hidden cells emptied, every indicator row with its
# status. The reports read only these; the cells with their status are for checking.
PUBLISHED_INDICATORS = "openbaar_indicatoren.parquet"
PUBLISHED_MODEL_RESULTS = "openbaar_verdeelmodel_resultaten.parquet"
PUBLISHED_MODEL_REGION = "openbaar_verdeelmodel_regio.parquet"
PUBLISHED_MODEL_TRACE = "openbaar_verdeelmodel_trace.parquet"
PUBLISHED_TASK_RESULTS = "openbaar_taakstelling_resultaten.parquet"
PUBLISHED_TASK_REGION = "openbaar_taakstelling_regio.parquet"
PUBLISHED_TASK_TRACE = "openbaar_taakstelling_trace.parquet"
DISCLOSURE_CELLS = "openbaarheid_cellen.parquet"
# The published key figures compared with the previous edition (`editions`): what moved, and
# which edition that was (null when there is none).
CHANGES = "wijzigingen.parquet"
CHANGES_BASIS = "wijzigingen.json"
# The settings the analysis used, kept beside its results so the reports use the same ones.
REGION_SETTINGS = "instellingen_regio.yml"
MODEL_SETTINGS = "instellingen_verdeelmodel.yml"

# The region's map layers (GeoParquet), prepared by the build so the notebooks only read them.
MAP_GEMEENTEN = "kaart_gemeenten.parquet"  # boundaries, or the tile grid when there are none
MAP_WIJKEN = "kaart_wijken.parquet"  # no rows when there are no wijk boundaries
BOUNDARY_CACHE = "geo"  # folder of processed boundary files, keyed by their source's checksum


def source_file(source_id: str) -> str:
    """The processed Parquet file of one source (a contract id such as 'verhuringen')."""
    return f"{source_id}.parquet"


# The CBS/Kadaster boundaries of 2025 shipped with the package (all gemeenten and wijken,
# generalised, RD New, gzip-compressed GeoJSON): the default for maps and for the demo's wijk
# codes. PROVENANCE.txt in that folder says where they come from.
SHIPPED_BOUNDARIES = Path(__file__).resolve().parent / "geo" / "grenzen"
SHIPPED_BOUNDARY_YEAR = 2025

# The work folder (build/): records of what each step was made from (`cache`), so a build with
# nothing changed reuses it.
CACHE_FOLDER = "cache"
DISCLOSURE_STEP = "openbaarheid"  # the small-count check over the reports folder
