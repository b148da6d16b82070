"""Static images (SVG, PNG) of figures for PDF and DOCX, through one Kaleido browser per process.

Kaleido 1.x drives the Chromium on the machine (Debian: `apt-get install chromium`). Starting the
browser takes seconds, so `start()` opens one for the whole process with
`kaleido.start_sync_server` and every later image reuses it, also those made by plotly itself
(`fig.write_image`, `pio.to_image`, the "png"/"svg" notebook renderers). Writing starts it when
needed; it closes when the process exits (or at `stop()`).

Nothing here may touch the network:
- MathJax: Kaleido loads it from a CDN by default; it is switched off (the charts use no LaTeX).
- plotly.js: read from the installed plotly package, the same version that made the figures.
- Chromium's own background requests (update checks, Google sign-in, search-engine preconnects)
  are sent to a proxy on a closed local port, where they fail at once, without a DNS lookup.
- Plotly's geo traces fetch topojson from a CDN: the house style does not use them (`maps`
  draws areas as filled scatter polygons on cartesian axes).
Chromium runs headless without its sandbox (choreographer's default, `--no-sandbox`), which is
what works as root and in containers. Its crash-report settings and dconf cache go to a private
temporary folder instead of the home folder.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import kaleido
import plotly
import plotly.graph_objects as go
from choreographer.browsers.chromium import Chromium

from analysis.figures.style import HEIGHT, WIDTH
from analysis.storage import write_files

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
NO_NETWORK_PROXY = "127.0.0.1:9"  # the discard port: nothing listens, connections fail at once
TIMEOUT = 60  # seconds for one image
FORMATS = {".svg": "svg", ".png": "png"}

_private_dir: tempfile.TemporaryDirectory | None = None


def start(tabs: int = 1) -> None:
    """Open the process-wide browser (once; later calls do nothing) and wait until it is up.

    tabs: pages rendering in parallel. After each image Kaleido reloads its page (≈0.1 s of the
    ≈0.2 s per image); a second tab overlaps that with the next render. On 2 cores that made a
    batch of 20 images up to 25% faster when the cores were free, and slower when they were
    busy, for 1–1.7 s more at start; so one tab unless a process renders very many images.
    """
    global _private_dir
    if _private_dir is not None:
        return
    if not Chromium.find_browser(skip_local=False):
        # Checked here because a missing browser makes Kaleido's server thread die silently and
        # the first image wait forever.
        raise RuntimeError("Chromium niet gevonden; installeer het (Debian: apt-get install "
                           "chromium) of zet BROWSER_PATH")
    if not PLOTLY_JS.is_file():
        raise RuntimeError(f"plotly.js ontbreekt in het plotly-pakket: {PLOTLY_JS}")
    private_dir = tempfile.TemporaryDirectory(prefix="woonzorgmonitor-chromium-")
    atexit.register(stop)  # registered before Kaleido's own exit handler, so it runs after it
    with _xdg_dirs(Path(private_dir.name)):
        kaleido.start_sync_server(n=tabs, timeout=TIMEOUT, mathjax=False,
                                  plotlyjs=PLOTLY_JS.as_uri(), proxy_server=NO_NETWORK_PROXY)
        # The browser starts inside the server thread; the first image waits for it, so the
        # environment above is still in place when Chromium reads it.
        kaleido.calc_fig_sync(go.Figure(), opts={"format": "svg", "width": 10, "height": 10})
    _private_dir = private_dir


def stop() -> None:
    """Close the browser and remove its private folder; `start()` may open a new one."""
    global _private_dir
    if _private_dir is None:
        return
    kaleido.stop_sync_server(silence_warnings=True)
    _private_dir.cleanup()
    _private_dir = None


@contextmanager
def _xdg_dirs(root: Path) -> Iterator[None]:
    """Point XDG config and cache folders that the caller left unset at `root` for a while."""
    added = {name: str(root / name.lower()) for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME")
             if name not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def write_svg(fig: go.Figure, path: Path | str) -> Path:
    """Write `fig` as SVG (text stays text: sharp and searchable in the PDF)."""
    return write_images([(fig, Path(path))])[0]


def write_png(fig: go.Figure, path: Path | str, scale: float = 2) -> Path:
    """Write `fig` as PNG at `scale` × its layout size (2: ≈ 220 dpi at 16 cm width)."""
    return write_images([(fig, Path(path))], scale=scale)[0]


def write_images(items: Sequence[tuple[go.Figure, Path]], *, scale: float = 2) -> list[Path]:
    """Write many figures in one request; the format follows each path's suffix (.svg, .png).

    One request queues all images at once, so with more than one tab (see `start`) they render
    in parallel. `scale` applies to PNG. Folders are created; the images are written under
    temporary names and renamed when all are done (Kaleido first creates an empty file), so an
    image under its own name is always complete; the first error is raised.
    """
    for _, path in items:
        if Path(path).suffix.lower() not in FORMATS:
            raise ValueError(f"{path}: kies .svg of .png")
    if not items:
        return []

    def write(partials: list[Path]) -> None:
        start()
        figures = [fig for fig, _ in items]
        kaleido.write_fig_from_object_sync(
            [_spec(fig, partial, scale) for fig, partial in zip(figures, partials, strict=True)],
            cancel_on_error=True)

    return write_files([Path(path) for _, path in items], write)


def complete(path: Path) -> bool:
    """Whether `path` is a whole image: there, not empty, and ending as its format ends (an
    image from before writes were atomic may have been cut off)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    ends = {".svg": b"</svg>", ".png": b"IEND\xaeB`\x82"}.get(path.suffix.lower(), b"")
    return bool(data) and data.rstrip().endswith(ends)


def _spec(fig: go.Figure, path: Path, scale: float) -> dict:
    fmt = FORMATS[path.suffix.lower()]
    opts = {"format": fmt, "width": fig.layout.width or WIDTH,
            "height": fig.layout.height or HEIGHT, "scale": scale if fmt == "png" else 1}
    return {"fig": fig, "path": path, "opts": opts}
