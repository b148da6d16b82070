"""Deterministic demo dataset: synthetic SVH, PPM and CBS inputs for the whole pipeline.

Real SVH and PPM data are confidential, so the project ships this generator. It writes the same
raw files, in the same formats, that real exports come in (see `contracts/`), calibrated on
public orders of magnitude. Every figure in `kalibratie.yml` is rounded and indicative
(*afgerond, indicatief*), with its source beside it: the output looks like Haaglanden but
describes no real household, home or plan.

All randomness comes from one `np.random.default_rng(seed)`, drawn in a fixed order (stock,
CBS, PPM, lettings, and wijk codes last so that a boundary file changes nothing but `wijk_code`).
Same seed and inputs give byte-identical files.

For load tests the region can be blown up to a chosen number of lettings a year (up to national
scale): every absolute figure (stock and so mutaties, inhabitants and households, the PPM task)
is multiplied by one factor, while shares, mixes and rates keep their calibration.

Modules: `calibration` (the figures), `rows` (stock, CBS, PPM), `lettings`, `wijken` (boundary
file and wijk codes), `writers` (the files and the marker), `generate` (the order of it all).
"""

from analysis.demo.errors import DemoError
from analysis.demo.generate import DEFAULT_SEED, DemoResult, generate_demo

__all__ = ["DEFAULT_SEED", "DemoError", "DemoResult", "generate_demo"]
