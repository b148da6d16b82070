"""Run the parameterised notebooks with papermill, several at a time, and say precisely which
one failed where (notebook, parameters, cell) without stopping the others. Each worker runs its
notebooks in one warm kernel, reset between them (see `WarmKernel`)."""

from __future__ import annotations

import ast
import ctypes
import json
import multiprocessing.util
import os
import queue
import signal
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from analysis.workspace import disk_problem

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


@dataclass(frozen=True)
class Job:
    """One document: a notebook and its parameters; `name` is the output's base name."""

    notebook: Path
    name: str
    parameters: dict = field(default_factory=dict)

    def describe(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in self.parameters.items()
                           if k not in ("processed",))
        return f"{self.notebook.name} ({params})" if params else self.notebook.name


@dataclass(frozen=True)
class Outcome:
    job: Job
    executed: Path | None
    error: str | None = None


def isolated_environment(root: Path) -> dict[str, str]:
    """Jupyter and IPython write into the home folder; keep them inside the build folder."""
    env = {name: str(root / folder) for name, folder in (
        ("JUPYTER_DATA_DIR", "jupyter"), ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "matplotlib"), ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"))}
    for path in env.values():
        Path(path).mkdir(parents=True, exist_ok=True)
    # The kernel logs a warning at every start (unencrypted local TCP link) and an error at
    # every shutdown (the interrupt papermill sends); errors in cells reach us through papermill.
    profile = root / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text('c.Application.log_level = "CRITICAL"\n',
                                                       encoding="utf-8")
    return env


def _run(job: Job, out_dir: Path, cwd: Path, **engine: object) -> Outcome:
    """Execute one job with papermill; `engine` goes to nbclient (`km`: a running kernel to
    use instead of starting one)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed = out_dir / f"{job.name}.ipynb"
    try:
        papermill.execute_notebook(str(job.notebook), str(executed), parameters=job.parameters,
                                   kernel_name="python3", cwd=str(cwd), progress_bar=False,
                                   log_output=False, request_save_on_cell_execute=False,
                                   **engine)
    except PapermillExecutionError as exc:
        first_line = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        cell = _cell_in_source(executed, exc.cell_index)
        return Outcome(job, None, f"{job.describe()}, cel {cell} "
                                  f"('{first_line[:60]}'): {exc.ename}: {exc.evalue}")
    except Exception as exc:  # the kernel died or the notebook is unreadable: report, go on
        return Outcome(job, None, f"{job.describe()}: {_reason(exc)}")
    return Outcome(job, executed)


def _reason(exc: Exception) -> str:
    return ((disk_problem(exc) if isinstance(exc, OSError) else None)
            or f"{type(exc).__name__}: {exc}")


def _cell_in_source(executed: Path, index: int) -> int:
    """1-based number of a failing cell as the author sees it: papermill adds a cell with the
    injected parameters, which the source notebook does not have. `index` counts the cells as
    executed, before papermill put its error banners in the saved notebook."""
    import nbformat

    cells = [c for c in nbformat.read(executed, as_version=4).cells
             if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    injected = sum("injected-parameters" in c.metadata.get("tags", []) for c in cells[:index])
    return index - injected + 1


def _end_with_parent(parent: int) -> None:
    """Pool initializer: a worker ends when the build does, however it ends (killed, out of
    memory). Otherwise it waits forever for work, holding the build's folder locks and
    rewriting executed notebooks under a next build (Linux: prctl PR_SET_PDEATHSIG)."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build ended before the line above
        os._exit(1)


# Warm kernels. Starting a kernel and importing pandas, plotly, geopandas and the report
# modules takes seconds; a document's own work often less. So each pool worker starts one
# kernel, imports there every module the notebooks import, and runs its documents in it one
# after the other, putting the kernel back in the state after those imports before each one:
# the user namespace and execution counter (IPython's reset), the working folder, the
# environment, sys.path, warnings filters and registries, logging, locale, random seeds, pandas
# and numpy options, plotly's defaults, IPython formatters and hooks. Imported modules stay
# (that is the point); their caches are pure (code lists, the indicator catalogue). A kernel
# that died (or cannot be reset) is replaced before the next document; without one (it will
# not start or warm up) papermill starts a kernel per document as before.

WARM_UP_SECONDS = 300.0  # importing everything on a cold disk
RESET_SECONDS = 60.0
_KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:"]  # as nbclient starts kernels
_HELPER = "_woonzorg_kernel"  # the module in the kernel holding the state to restore


def _k_capture() -> dict:
    """In the kernel: the state that `_k_reset` restores."""
    import contextlib
    import locale
    import logging
    import os
    import sys
    import warnings

    from IPython import get_ipython

    shell = get_ipython()
    formatters = shell.display_formatter.formatters
    state: dict = {
        "environ": dict(os.environ), "path": list(sys.path), "filters": list(warnings.filters),
        "streams": (sys.stdout, sys.stderr),
        "logging": (logging.root.level, list(logging.root.handlers)),
        "formatters": {mime: (dict(f.type_printers), dict(f.deferred_printers), f.enabled)
                       for mime, f in formatters.items()},
        "events": {name: list(hooks) for name, hooks in shell.events.callbacks.items()},
        "transformers": (list(shell.ast_transformers), list(shell.input_transformers_post)),
    }
    with contextlib.suppress(locale.Error):
        state["locale"] = locale.setlocale(locale.LC_ALL)
    # Options of libraries the notebooks imported; one that cannot be read (an internal of
    # theirs changed) is not restored
    with contextlib.suppress(Exception):
        if "numpy" in sys.modules:
            import numpy as np

            state["numpy"] = (np.geterr(), np.get_printoptions())
    with contextlib.suppress(Exception):
        if "pandas" in sys.modules:
            import pandas as pd
            from pandas._config import config

            names = set(config._registered_options) - set(config._deprecated_options)
            state["pandas"] = {name: pd.get_option(name) for name in sorted(names)}
    with contextlib.suppress(Exception):
        if "plotly.io" in sys.modules:
            import plotly.io as pio

            state["plotly"] = (pio.templates.default, pio.renderers.default)
    with contextlib.suppress(Exception):
        if "matplotlib" in sys.modules:
            import matplotlib

            state["matplotlib"] = dict(matplotlib.rcParams)
    return state


def _k_warm_up(modules: list[str]) -> None:
    """In the kernel: import `modules`, then remember the state to return to."""
    import contextlib
    import gc
    import importlib

    global _STATE
    for name in modules:
        with contextlib.suppress(BaseException):  # the notebook itself reports it
            importlib.import_module(name)
    _STATE = _k_capture()
    # What is there now stays: out of the garbage collector's sight, so that the collection
    # in each reset looks at the last document's objects only (90 ms less per document)
    gc.collect()
    gc.freeze()


def _k_reset(cwd: str) -> None:
    """In the kernel: back to the state after the warm-up, as if the kernel were new."""
    import locale
    import logging
    import os
    import random
    import sys
    import warnings

    from IPython import get_ipython

    state = _STATE
    shell = get_ipython()
    shell.reset(new_session=True)  # user namespace, output cache, execution count 1
    os.chdir(cwd)
    for name in set(os.environ) - set(state["environ"]):
        del os.environ[name]
    for name, value in state["environ"].items():
        if os.environ.get(name) != value:
            os.environ[name] = value
    sys.path[:] = state["path"]
    sys.stdout, sys.stderr = state["streams"]
    warnings.filters[:] = state["filters"]
    getattr(warnings, "_filters_mutated", lambda: None)()  # forget the warnings shown
    warnings.onceregistry.clear()
    logging.root.setLevel(state["logging"][0])
    logging.root.handlers[:] = state["logging"][1]
    if "locale" in state:
        locale.setlocale(locale.LC_ALL, state["locale"])
    random.seed()
    for mime, formatter in shell.display_formatter.formatters.items():
        if mime in state["formatters"]:
            types, deferred, formatter.enabled = state["formatters"][mime]
            formatter.type_printers.clear()
            formatter.type_printers.update(types)
            formatter.deferred_printers.clear()
            formatter.deferred_printers.update(deferred)
    for name, hooks in shell.events.callbacks.items():
        hooks[:] = state["events"].get(name, [])
    shell.ast_transformers[:], shell.input_transformers_post[:] = state["transformers"]
    if "numpy" in state:
        import numpy as np

        np.seterr(**state["numpy"][0])
        np.set_printoptions(**state["numpy"][1])
        np.random.seed()
    if "pandas" in state:
        import pandas as pd

        for name, value in state["pandas"].items():
            if pd.get_option(name) != value:
                pd.set_option(name, value)
    if "plotly" in state:
        import plotly.io as pio

        pio.templates.default, pio.renderers.default = state["plotly"]
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "matplotlib" in state:
        import matplotlib

        matplotlib.rcParams.update(state["matplotlib"])


def _kernel_helper() -> str:
    """Code that defines the `_k_` functions in a module of their own in the kernel (so
    nothing lands in the notebooks' namespace)."""
    import inspect

    source = "\n".join(inspect.getsource(f) for f in (_k_capture, _k_warm_up, _k_reset))
    return (f"__import__('sys').modules['{_HELPER}'] = __import__('types').ModuleType("
            f"'{_HELPER}')\nexec({source!r}, __import__('sys').modules['{_HELPER}'].__dict__)\n")


def notebook_imports(notebooks: Iterable[Path]) -> list[str]:
    """Every module the code cells of `notebooks` import (`from a import b`: a, and a.b in case
    that is a module), in order; unreadable notebooks and cells are skipped."""
    found: dict[str, None] = {}
    for notebook in dict.fromkeys(notebooks):
        try:
            cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for cell in cells:
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else source)
            except (SyntaxError, ValueError):  # IPython magics, for instance
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(dict.fromkeys(a.name for a in node.names))
                elif (isinstance(node, ast.ImportFrom) and not node.level and node.module
                      and node.module != "__future__"):
                    found[node.module] = None
                    found.update(dict.fromkeys(f"{node.module}.{a.name}" for a in node.names
                                               if a.name != "*"))
    return list(found)


IOPUB_QUIET = 0.2  # as jupyter_client: no IOPub message in this long means not yet connected


@cache
def _client_class() -> type:
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_core.utils import ensure_async

    class Client(AsyncKernelClient):
        """Ready as soon as the kernel is. jupyter_client's own check ends by waiting until
        IOPub has been quiet for 0.2 s, at every document: a third of a small document's
        time. This one is done when IOPub brings the kernel's idle status for its own
        kernel_info request, which proves IOPub connected and leaves nothing of it to read."""

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            while True:
                request = self.kernel_info()
                try:
                    reply = await ensure_async(self.shell_channel.get_msg(timeout=1))
                except queue.Empty:
                    reply = None
                if (reply is not None and reply["msg_type"] == "kernel_info_reply"
                        and reply["parent_header"].get("msg_id") == request):
                    self._handle_kernel_info_reply(reply)
                    if await self._idle_after(request):
                        return
                if not await ensure_async(self.is_alive()):
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

        async def _idle_after(self, request: str) -> bool:
            """True once IOPub brings the idle status after `request`; False if IOPub stays
            quiet (it is not connected yet, and missed it: ask again)."""
            while True:
                try:
                    message = await ensure_async(self.iopub_channel.get_msg(timeout=IOPUB_QUIET))
                except queue.Empty:
                    return False
                if (message["msg_type"] == "status"
                        and message["parent_header"].get("msg_id") == request
                        and message["content"]["execution_state"] == "idle"):
                    return True

    return Client


@cache
def _manager_class() -> type:
    from jupyter_client.manager import AsyncKernelManager

    class Manager(AsyncKernelManager):
        """Keeps the clients papermill makes (one per document) so that their connections
        can be closed afterwards: papermill leaves them open with a kernel it does not own."""

        def client(self, **kwargs: object) -> object:
            made = super().client(**kwargs)
            self.__dict__.setdefault("made", []).append(made)
            return made

    return Manager


class WarmKernel:
    """One kernel, started in `cwd`, that has imported `modules` and runs documents one after
    the other; `reset()` before each."""

    def __init__(self, cwd: Path, modules: Sequence[str]) -> None:
        from jupyter_core.paths import jupyter_runtime_dir
        from jupyter_core.utils import run_sync

        self.cwd = cwd
        self._sync = run_sync
        self.km = _manager_class()(kernel_name="python3", client_factory=_client_class())
        # Its connection file in the build's Jupyter folder (isolated_environment), not in
        # /tmp, where a killed build would leave it
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        self.km.connection_file = str(runtime / f"kernel-{uuid.uuid4()}.json")
        # The kernel exits when this process ends, even by SIGKILL: jupyter_client gives it
        # JPY_PARENT_PID, and ipykernel polls for its parent every second.
        self._sync(self.km.start_kernel)(cwd=str(cwd), extra_arguments=_KERNEL_ARGS)
        try:
            self.run(f"{_kernel_helper()}__import__('{_HELPER}')._k_warm_up({list(modules)!r})",
                     WARM_UP_SECONDS)
        except BaseException:
            self.stop()
            raise

    def alive(self) -> bool:
        return bool(self.km.has_kernel and self._sync(self.km.is_alive)())

    def reset(self) -> None:
        self.run(f"__import__('{_HELPER}')._k_reset({str(self.cwd)!r})", RESET_SECONDS)

    def run(self, code: str, seconds: float) -> None:
        """Execute `code` silently (no outputs, no history, execution count unchanged);
        RuntimeError if it fails, the kernel dies or does not answer within `seconds`."""
        from jupyter_client.blocking import BlockingKernelClient

        client = BlockingKernelClient()
        client.load_connection_info(self.km.get_connection_info())
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(code, silent=True, store_history=False, allow_stdin=False)
            deadline = time.monotonic() + seconds
            while True:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"kernel antwoordt niet binnen {seconds:.0f} s")
                try:
                    reply = client.get_shell_msg(timeout=1)
                except queue.Empty:
                    if not self.alive():
                        raise RuntimeError("kernel gestopt") from None
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        finally:
            client.stop_channels()
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def after_job(self) -> None:
        """Close the connections papermill opened for the document."""
        for client in self.km.__dict__.pop("made", []):
            client.stop_channels()

    def stop(self) -> None:
        """End the kernel at once: its documents are saved, and a polite shutdown waits up to
        seconds for threads a notebook left running."""
        self.after_job()
        try:
            if self.km.has_kernel:
                self._sync(self.km.shutdown_kernel)(now=True)
        finally:
            self.km.context.destroy(linger=0)


_kernel: WarmKernel | None = None  # the pool worker's kernel
_modules: list[str] = []  # what the worker's kernels import at start
_cold = False  # a warm kernel failed to start: papermill starts one per document


def _start_warm_worker(parent: int, modules: list[str], cwd: Path) -> None:
    """Pool initializer of the warm route: the worker's kernel starts now, before any job."""
    global _modules
    _end_with_parent(parent)
    _modules = modules
    # Runs when the pool ends (a pool worker leaves through os._exit: no atexit)
    multiprocessing.util.Finalize(None, _stop_kernel, exitpriority=10)
    _warm_kernel(cwd)


def _stop_kernel() -> None:
    global _kernel
    kernel, _kernel = _kernel, None
    if kernel is not None:
        kernel.stop()


def _ready_kernel(cwd: Path) -> WarmKernel:
    """The worker's kernel reset for a next document; a new one if it died, will not reset
    (a document broke what the reset needs, or is still running) or runs elsewhere."""
    global _kernel
    if _kernel is not None and _kernel.cwd == cwd and _kernel.alive():
        try:
            _kernel.reset()
            return _kernel
        except Exception:  # broken or hung: replaced below
            pass
    _stop_kernel()
    kernel = WarmKernel(cwd, _modules)
    try:
        kernel.reset()
    except BaseException:
        kernel.stop()
        raise
    _kernel = kernel
    return kernel


def _warm_kernel(cwd: Path) -> WarmKernel | None:
    """The worker's kernel ready for a next document; None if there is none (it will not
    start or warm up): then papermill starts a kernel per document, slow but sure."""
    global _cold
    if _cold:
        return None
    try:
        return _ready_kernel(cwd)
    except Exception as exc:
        print(f"waarschuwing: geen warme kernel ({type(exc).__name__}: {exc}); notebooks "
              "draaien elk in een eigen kernel", file=sys.stderr, flush=True)
        _cold = True
        return None


def _run_warm(job: Job, out_dir: Path, cwd: Path) -> Outcome:
    kernel = _warm_kernel(cwd)
    if kernel is None:
        return _run(job, out_dir, cwd)
    try:
        return _run(job, out_dir, cwd, km=kernel.km)
    finally:
        kernel.after_job()


class Workers:
    """The processes that run the notebooks of `notebooks` in `cwd`, executed ones kept in
    `out_dir`. `start` forks them, each starting its warm kernel at once (`warm`), or else
    they start with the first `execute_all` that uses them. Started ahead of the jobs (the
    build does so when its data step has work), the kernels warm up beside that work. A
    fork copies any lock another thread holds at that moment (an import, a log handler) and
    would wait for it forever: start before this process starts any thread."""

    def __init__(self, notebooks: Iterable[Path], out_dir: Path, cwd: Path, workers: int = 2,
                 *, warm: bool = True) -> None:
        self.out_dir, self.cwd, self.warm = out_dir, cwd, warm
        self._notebooks = list(notebooks)
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            os.environ.update(isolated_environment(self.out_dir.parent / "home"))
            parent = os.getpid()
            initializer = (partial(_start_warm_worker, parent,
                                   notebook_imports(self._notebooks), self.cwd)
                           if self.warm else partial(_end_with_parent, parent))
            self._pool = ProcessPoolExecutor(max_workers=self._workers,
                                             initializer=initializer)
            self._pool.submit(os.getpid)  # with fork, the first submit starts every worker
        return self._pool

    def submit(self, job: Job) -> Future:
        return self.start().submit(_run_warm if self.warm else _run, job, self.out_dir,
                                   self.cwd)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown()


def execute_all(jobs: Sequence[Job], out_dir: Path, cwd: Path, workers: int = 2,
                on_done: Callable[[Outcome], None] | None = None, warm: bool = True,
                on_started: Callable[[], None] | None = None,
                pool: Workers | None = None) -> list[Outcome]:
    """Execute every job; results in job order. Failures are outcomes, not exceptions.

    warm: each worker runs its jobs in one kernel of its own that has the notebooks' imports
    loaded, reset between jobs; else every job starts a kernel of its own (the slow route,
    kept for the benchmark). pool: workers started earlier for `out_dir` and `cwd` (then
    `workers` and `warm` are theirs, and they stay open); else they start here. on_started
    runs once the worker processes exist: a caller starts its own threads there, never
    before (see `Workers`)."""
    if not jobs:
        if on_started:
            on_started()
        return []
    own = pool is None
    if pool is None:
        pool = Workers([j.notebook for j in jobs], out_dir, cwd, min(workers, len(jobs)),
                       warm=warm)
    elif (pool.out_dir, pool.cwd) != (out_dir, cwd):
        raise ValueError("de notebookprocessen zijn voor een andere map gestart")
    outcomes: dict[int, Outcome] = {}
    try:
        futures = {pool.submit(job): i for i, job in enumerate(jobs)}
        if on_started:
            on_started()
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
            if on_done:
                on_done(outcomes[futures[future]])
    finally:
        if own:
            pool.close()
    return [outcomes[i] for i in range(len(jobs))]
