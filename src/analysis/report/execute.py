"""Run the parameterised notebooks with papermill, several at a time, and say precisely which
one failed where (notebook, parameters, cell) without stopping the others."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
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


def _run(job: Job, out_dir: Path, cwd: Path) -> Outcome:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed = out_dir / f"{job.name}.ipynb"
    try:
        papermill.execute_notebook(str(job.notebook), str(executed), parameters=job.parameters,
                                   kernel_name="python3", cwd=str(cwd), progress_bar=False,
                                   log_output=False, request_save_on_cell_execute=False)
    except PapermillExecutionError as exc:
        first_line = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        cell = _cell_in_source(executed, exc.cell_index)
        return Outcome(job, None, f"{job.describe()}, cel {cell} "
                                  f"('{first_line[:60]}'): {exc.ename}: {exc.evalue}")
    except Exception as exc:  # the kernel died or the notebook is unreadable: report, go on
        reason = ((disk_problem(exc) if isinstance(exc, OSError) else None)
                  or f"{type(exc).__name__}: {exc}")
        return Outcome(job, None, f"{job.describe()}: {reason}")
    return Outcome(job, executed)


def _cell_in_source(executed: Path, index: int) -> int:
    """1-based number of a failing cell as the author sees it: papermill adds a cell with the
    injected parameters, which the source notebook does not have."""
    import nbformat

    cells = nbformat.read(executed, as_version=4).cells
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


def execute_all(jobs: Sequence[Job], out_dir: Path, cwd: Path, workers: int = 2,
                on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Execute every job; results in job order. Failures are outcomes, not exceptions."""
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(isolated_environment(out_dir.parent / "home"))
    outcomes: dict[int, Outcome] = {}
    with ProcessPoolExecutor(max_workers=workers, initializer=_end_with_parent,
                             initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(_run, job, out_dir, cwd): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
            if on_done:
                on_done(outcomes[futures[future]])
    return [outcomes[i] for i in range(len(jobs))]
