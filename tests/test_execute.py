"""Notebook execution in warm kernels: each worker runs its documents one after the other in one
kernel, and no document sees what an earlier one left behind (names, imports, working folder,
environment, options); a failing or crashing document fails alone."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.report.execute import Job, Workers, execute_all, notebook_imports

PROBE = [  # what a document can see of the kernel it runs in
    "import os\nimport warnings\n\nimport pandas as pd",
    "print(sorted(name for name in globals() if not name.startswith('_')))",
    "print(os.getcwd())\nprint(os.environ.get('WOONZORG_LEAK'))",
    "print(pd.get_option('display.max_rows'), len(warnings.filters))",
    "import sys\nprint(len(sys.path), sys.path[0])",
    "warnings.warn('zichtbaar', UserWarning, stacklevel=1)",
    "value * 2",
]

LEAKER = [  # a document that changes everything it can
    "import os as operating_system\nimport sys\nimport warnings\n\nimport pandas as pd\n"
    "secret = 42",
    "operating_system.chdir(operating_system.path.expanduser('~'))\n"
    "operating_system.environ['WOONZORG_LEAK'] = 'gelekt'\n"
    "pd.set_option('display.max_rows', 3)\n"
    "warnings.simplefilter('ignore')\n"
    "sys.path.insert(0, '/gelekt')",
    "warnings.warn('zichtbaar', UserWarning, stacklevel=1)",
]

PID = ["import os\nprint(os.getpid())"]


def notebook(folder: Path, name: str, cells: list[str], parameters: str = "value = 1") -> Path:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                               "display_name": "Python 3"}})
    nb.cells = [new_markdown_cell(f"# {name}"),
                new_code_cell(parameters, metadata={"tags": ["parameters"]}),
                *map(new_code_cell, cells)]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def outputs(path: Path) -> list[str]:
    """Each code cell's outputs and execution count, without papermill's metadata and with
    the kernel's process id (in the name of its cell files) left out."""
    cells = nbformat.read(path, as_version=4).cells
    return [re.sub(r"ipykernel_\d+", "ipykernel", json.dumps([c.execution_count, c.outputs]))
            for c in cells if c.cell_type == "code"]


def printed(path: Path) -> str:
    cells = nbformat.read(path, as_version=4).cells
    return "".join(o.get("text", "") for c in cells if c.cell_type == "code" for o in c.outputs)


def pid(path: Path) -> int:
    return int(printed(path).strip())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "notebooks").mkdir()
    return tmp_path


def run(folder: Path, jobs: list[Job], out: str, **options):
    return execute_all(jobs, folder / out / "uitgevoerd", cwd=folder, **options)


def test_a_document_sees_nothing_of_the_one_before_it_in_the_same_kernel(folder):
    probe = notebook(folder / "notebooks", "probe", PROBE)
    leaker = notebook(folder / "notebooks", "leaker", LEAKER)
    shared = run(folder, [Job(leaker, "leaker"), Job(probe, "probe")], "gedeeld", workers=1)
    alone = run(folder, [Job(probe, "probe")], "alleen", warm=False)

    assert [o.error for o in shared + alone] == [None, None, None]
    assert outputs(shared[1].executed) == outputs(alone[0].executed)
    seen = printed(shared[1].executed)
    assert "secret" not in seen and "operating_system" not in seen
    assert f"{folder}\nNone\n" in seen  # working folder and environment as at the start
    assert "UserWarning: zichtbaar" in seen  # the warnings filter is back, warnings show again


def test_the_injected_parameters_are_in_the_kept_executed_notebook(folder):
    path = notebook(folder / "notebooks", "doc", ["print(value + 1)"])
    [outcome] = run(folder, [Job(path, "gemeente-GM0503", {"value": 41})], "uit")

    assert outcome.executed == folder / "uit" / "uitgevoerd" / "gemeente-GM0503.ipynb"
    cells = nbformat.read(outcome.executed, as_version=4).cells
    tags = [c.metadata.get("tags", []) for c in cells]
    assert tags[1] == ["parameters"] and tags[2] == ["injected-parameters"]
    assert "value = 41" in cells[2].source
    assert printed(outcome.executed) == "42\n"


def test_a_failing_cell_fails_its_document_alone_and_the_kernel_goes_on(folder):
    broken = notebook(folder / "notebooks", "kapot", ["raise ValueError('stuk')", "1"])
    fine = notebook(folder / "notebooks", "heel", PID)
    outcomes = run(folder, [Job(fine, "a"), Job(broken, "b", {"value": 3}), Job(fine, "c")],
                   "uit", workers=1)

    assert outcomes[1].error == ("kapot.ipynb (value=3), cel 3 "
                                 "('raise ValueError('stuk')'): ValueError: stuk")
    assert outcomes[1].executed is None
    assert outcomes[0].error is None and outcomes[2].error is None
    assert pid(outcomes[0].executed) == pid(outcomes[2].executed)  # the same kernel


def test_a_document_that_kills_its_kernel_fails_alone_and_the_next_gets_a_new_one(folder):
    dies = notebook(folder / "notebooks", "sterft", ["import os\nos._exit(1)", "1"])
    fine = notebook(folder / "notebooks", "heel", PID)
    outcomes = run(folder, [Job(fine, "a"), Job(dies, "b"), Job(fine, "c"), Job(fine, "d")],
                   "uit", workers=1)

    assert outcomes[1].error == "sterft.ipynb: DeadKernelError: Kernel died"
    assert [o.error for o in outcomes[::2]] == [None, None]
    assert outcomes[3].error is None
    assert pid(outcomes[0].executed) != pid(outcomes[2].executed) == pid(outcomes[3].executed)


def gone(process: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(process, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_warm_is_the_default_and_reuses_one_kernel_per_worker(folder):
    fine = notebook(folder / "notebooks", "heel", PID)
    jobs = [Job(fine, "a"), Job(fine, "b")]
    warm = [pid(o.executed) for o in run(folder, jobs, "warm", workers=1)]
    cold = [pid(o.executed) for o in run(folder, jobs, "koud", workers=1, warm=False)]

    assert warm[0] == warm[1] and cold[0] != cold[1]
    assert all(gone(p) for p in {*warm, *cold})  # no kernel outlives the build


def test_the_warm_up_imports_what_the_notebooks_import(folder):
    path = notebook(folder / "notebooks", "imports", [
        "%matplotlib inline", "import os, numpy as np\nfrom pandas import api, DataFrame",
        "from analysis.report import show\nfrom . import local\nfrom x import *"])

    assert notebook_imports([path, path, folder / "ontbreekt.ipynb"]) == [
        "os", "numpy", "pandas", "pandas.api", "pandas.DataFrame", "analysis.report",
        "analysis.report.show", "x"]


def test_without_a_warm_kernel_each_document_gets_a_kernel_of_its_own(folder, monkeypatch,
                                                                       capfd):
    from analysis.report import execute

    monkeypatch.setattr(execute, "_kernel_helper", lambda: "raise RuntimeError('kapot')\n")
    fine = notebook(folder / "notebooks", "heel", PID)
    outcomes = run(folder, [Job(fine, "a"), Job(fine, "b")], "uit", workers=1)

    assert [o.error for o in outcomes] == [None, None]
    assert pid(outcomes[0].executed) != pid(outcomes[1].executed)
    assert capfd.readouterr().err.count("geen warme kernel (RuntimeError: RuntimeError: "
                                        "kapot)") == 1


def test_workers_started_ahead_warm_their_kernel_before_any_job_and_stay_open(folder):
    fine = notebook(folder / "notebooks", "heel", PID)
    out = folder / "uit" / "uitgevoerd"
    with Workers([fine], out, folder, workers=1) as workers:
        workers.start()
        runtime = folder / "uit" / "home" / "jupyter" / "runtime"
        deadline = time.monotonic() + 60
        while not list(runtime.glob("kernel-*.json")) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert list(runtime.glob("kernel-*.json"))  # the kernel started without a job
        [first] = execute_all([Job(fine, "a")], out, cwd=folder, pool=workers)
        [second] = execute_all([Job(fine, "b")], out, cwd=folder, pool=workers)
        assert first.error is None and second.error is None
        assert pid(first.executed) == pid(second.executed)  # one kernel for both runs
        with pytest.raises(ValueError, match="andere map"):
            execute_all([Job(fine, "c")], folder / "elders", cwd=folder, pool=workers)
    assert gone(pid(first.executed))  # closing the workers ends the kernel


def test_no_output_is_lost_when_documents_follow_each_other_in_one_kernel(folder):
    """A document's client is ready once the kernel's IOPub messages reach it, so the first
    cell's output is there in every document, however fast they follow each other."""
    path = notebook(folder / "notebooks", "kort", ["print('eerste', value)",
                                                   "from IPython.display import display\n"
                                                   "display({'text/plain': 'getoond'}, "
                                                   "raw=True)"])
    jobs = [Job(path, f"doc-{n}", {"value": n}) for n in range(12)]
    outcomes = run(folder, jobs, "uit", workers=2)

    assert [o.error for o in outcomes] == [None] * 12
    for n, outcome in enumerate(outcomes):
        cells = nbformat.read(outcome.executed, as_version=4).cells
        shown = [o for c in cells if c.cell_type == "code" for o in c.outputs]
        assert [o.get("text") or o["data"]["text/plain"] for o in shown] == [
            f"eerste {n}\n", "getoond"]
