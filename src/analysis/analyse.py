"""The analysis of processed data: indicators, the verdeelmodel after the fact and for the coming
year, and what of them may be published. Pure: the build writes the result, a scenario
comparison runs it once per settings file."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.config import RegionConfig
from analysis.context import prepare
from analysis.indicators import compute_indicators
from analysis.model.config import VerdeelmodelConfig
from analysis.model.prognose import Prognosis, prognose
from analysis.model.run import ModelRun, run_model
from analysis.processed import ProcessedData
from analysis.protection import Protected, protect


@dataclass(frozen=True, eq=False)
class Analysis:
    indicators: pd.DataFrame
    model: ModelRun
    prognosis: Prognosis  # the taakstelling for the coming year
    region: RegionConfig
    model_config: VerdeelmodelConfig
    published: Protected  # what the reports may show


def analyse(data: ProcessedData, region: RegionConfig, model: VerdeelmodelConfig) -> Analysis:
    """Pure: processed data in, indicator table and model results out, and what of them may be
    published."""
    ctx = prepare(data, region, model)
    run = run_model(ctx)
    ahead = prognose(ctx)
    indicators = compute_indicators(ctx, run)
    return Analysis(indicators=indicators, model=run, prognosis=ahead, region=region,
                    model_config=model, published=protect(indicators, run, region, model, ahead))
