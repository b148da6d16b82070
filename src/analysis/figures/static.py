"""Static images (SVG, PNG) of figures for PDF and DOCX, through one Kaleido browser per process.

Kaleido 1.x drives the Chromium on the machine (Debian: `apt-get install chromium`). Starting the
browser takes seconds, so `start()` opens one for the whole process, on a thread of its own with
its own event loop, and every later image reuses it. Writing starts it when needed; it closes when
the process exits (or at `stop()`).

Kaleido reloads a tab's page after every image, parsing plotly.js again: about four fifths of
the time per image (92 report figures: 13,7 s against 3,1 s). The page's `Plotly.toImage` draws
each figure into an element of its own and purges it, so this module keeps the page instead; the
images are the same (only Plotly's random element ids differ). After a failed batch the browser
is closed, so that the next batch starts on a fresh page.

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

import asyncio
import atexit
import os
import tempfile
import threading
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import kaleido
import plotly
import plotly.graph_objects as go
from choreographer.browsers.chromium import Chromium
from kaleido._kaleido_tab import _KaleidoTab

from analysis.figures.style import HEIGHT, WIDTH
from analysis.storage import write_files

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
NO_NETWORK_PROXY = "127.0.0.1:9"  # the discard port: nothing listens, connections fail at once
TIMEOUT = 60  # seconds for one image
FORMATS = {".svg": "svg", ".png": "png"}
T = TypeVar("T")


class _SteadyKaleido(kaleido.Kaleido):
    """Kaleido that hands a tab back with its page as it is, rather than reloading it."""

    async def _return_kaleido_tab(self, tab: _KaleidoTab) -> None:
        tab.js_logger.reset()
        await self.tabs_ready.put(tab)


class _Browser:
    """One Kaleido with its event loop on a thread of its own, for synchronous callers."""

    def __init__(self, tabs: int) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido",
                                        daemon=True)
        self._thread.start()
        try:
            self.kaleido = self.run(self._open(tabs))
        except BaseException:
            self._end_loop()
            raise

    @staticmethod
    async def _open(tabs: int) -> _SteadyKaleido:
        browser = _SteadyKaleido(n=tabs, timeout=TIMEOUT, mathjax=False,
                                 plotlyjs=PLOTLY_JS.as_uri(), proxy_server=NO_NETWORK_PROXY)
        await browser.open()
        return browser

    def run(self, coroutine: Coroutine[object, object, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def close(self) -> None:
        try:
            self.run(self.kaleido.close())
        finally:
            self._end_loop()

    def _end_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


_private_dir: tempfile.TemporaryDirectory | None = None
_browser: _Browser | None = None
_starting = threading.Lock()  # one start at a time: a second caller waits for the first


def start(tabs: int = 1) -> None:
    """Open the process-wide browser (once; later calls do nothing) and wait until it is up.

    tabs: pages rendering in parallel. With the page kept between images one tab keeps a core
    busy; a second overlaps the transfers with the next render, for about a second more at
    start.
    """
    with _starting:
        _start(tabs)


def _start(tabs: int) -> None:
    global _private_dir, _browser
    if _browser is not None:
        return
    if not Chromium.find_browser(skip_local=False):
        # Checked first, for a message that says what to do.
        raise RuntimeError("Chromium niet gevonden; installeer het (Debian: apt-get install "
                           "chromium) of zet BROWSER_PATH")
    if not PLOTLY_JS.is_file():
        raise RuntimeError(f"plotly.js ontbreekt in het plotly-pakket: {PLOTLY_JS}")
    private_dir = tempfile.TemporaryDirectory(prefix="woonzorgmonitor-chromium-")
    try:
        with _xdg_dirs(Path(private_dir.name)):  # read by Chromium as it starts
            _browser = _Browser(tabs)
    except BaseException:
        private_dir.cleanup()
        raise
    _private_dir = private_dir


def stop() -> None:
    """Close the browser and remove its private folder; `start()` may open a new one."""
    global _private_dir, _browser
    if _browser is None:
        return
    browser, private_dir, _browser, _private_dir = _browser, _private_dir, None, None
    try:
        browser.close()
    finally:
        if private_dir is not None:
            private_dir.cleanup()


atexit.register(stop)


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


def write_images(items: Sequence[tuple[go.Figure | Mapping, Path]], *, scale: float = 2
                 ) -> list[Path]:
    """Write many figures (a Figure, or its JSON as a dict: no need to build a Figure to draw it)
    in one request; the format follows each path's suffix (.svg, .png).

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
        _draw([_spec(fig, partial, scale)
               for (fig, _), partial in zip(items, partials, strict=True)])

    return write_files([Path(path) for _, path in items], write)


def _draw(specs: list[dict]) -> None:
    """Draw Kaleido's figure specs in the process-wide browser, started when needed."""
    start()
    assert _browser is not None
    try:
        _browser.run(_browser.kaleido.write_fig_from_object(specs, cancel_on_error=True))
    except BaseException:
        stop()  # a page left halfway through a figure is not used again
        raise


def complete(path: Path) -> bool:
    """Whether `path` is a whole image: there, not empty, and ending as its format ends (an
    image from before writes were atomic may have been cut off)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    ends = {".svg": b"</svg>", ".png": b"IEND\xaeB`\x82"}.get(path.suffix.lower(), b"")
    return bool(data) and data.rstrip().endswith(ends)


def _spec(fig: go.Figure | Mapping, path: Path, scale: float) -> dict:
    fmt = FORMATS[path.suffix.lower()]
    layout = fig.get("layout", {}) if isinstance(fig, Mapping) else fig.layout.to_plotly_json()
    opts = {"format": fmt, "width": layout.get("width") or WIDTH,
            "height": layout.get("height") or HEIGHT, "scale": scale if fmt == "png" else 1}
    return {"fig": fig, "path": path, "opts": opts}
