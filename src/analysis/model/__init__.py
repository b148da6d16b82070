"""The verdeelmodel: distributing priority-group households over the gemeenten, with its trace."""

from analysis.model.config import (
    VerdeelmodelConfig,
    load_verdeelmodel_config,
    parse_verdeelmodel_config,
)
from analysis.model.trace import TraceStep
from analysis.model.types import POOL, GemeenteInput, ModelInputError
from analysis.model.verdeelmodel import (
    COLUMNS,
    DistributionResult,
    capacity,
    distribute,
    inputs_from_frame,
    key_shares,
    largest_remainder,
    limit_room,
    water_fill,
)

__all__ = [
    "COLUMNS",
    "POOL",
    "DistributionResult",
    "GemeenteInput",
    "ModelInputError",
    "TraceStep",
    "VerdeelmodelConfig",
    "capacity",
    "distribute",
    "inputs_from_frame",
    "key_shares",
    "largest_remainder",
    "limit_room",
    "load_verdeelmodel_config",
    "parse_verdeelmodel_config",
    "water_fill",
]
