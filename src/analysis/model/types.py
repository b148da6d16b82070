"""The verdeelmodel's value types, shared by the arithmetic (verdeelmodel.py) and the trace.

A module of its own so that trace.py needs nothing from verdeelmodel.py, which calls into it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral, Real

from analysis.model.config import BASES

POOL = "pool"  # the regional pool as a source of households in the shortfall attribution


class ModelInputError(ValueError):
    """Input the model cannot use; the message names the gemeente and the field."""


@dataclass(frozen=True)
class GemeenteInput:
    """One gemeente's figures for one period and one group (or bundle of groups).

    Only the key bases that carry a weight in the verdeelsleutel are needed. `mutaties` is a
    key base (e.g. last year's vacancies); capacity is based on `verwachte_mutaties` unless the
    config says `capaciteit.basis: mutaties`.
    """

    gemeente: str
    vraag: int  # V_g: households from this gemeente to be housed
    verwachte_mutaties: float  # M_g: social-rent homes expected to become vacant
    reeds_toegezegd: int = 0  # homes under the limit already committed
    sociale_huurvoorraad: float | None = None
    mutaties: float | None = None
    inwoners: float | None = None
    huishoudens: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.gemeente, str) or not self.gemeente.strip():
            raise ModelInputError(f"gemeente: verwacht een gemeentecode, "
                                  f"gevonden {self.gemeente!r}")
        for name in ("vraag", "reeds_toegezegd"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
                raise ModelInputError(f"{self.gemeente}: '{name}' moet een geheel getal ≥ 0 zijn "
                                      f"(hele huishoudens), gevonden {value!r}")
        for name in ("verwachte_mutaties", *BASES):
            value = getattr(self, name)
            if value is None and name != "verwachte_mutaties":
                continue
            if (isinstance(value, bool) or not isinstance(value, Real)
                    or not math.isfinite(value) or value < 0):
                raise ModelInputError(f"{self.gemeente}: '{name}' moet een getal ≥ 0 zijn, "
                                      f"gevonden {value!r}")


@dataclass(frozen=True)
class FillRound:
    """One round of water-filling."""

    te_verdelen: Fraction
    aandelen: dict[str, Fraction]  # the participants' key shares (1 each in the fallback)
    gelijk: bool  # fallback: the participants' key shares add up to 0, so equal shares
    aanbod: dict[str, Fraction]  # what each participant is offered this round
    vol: tuple[str, ...]  # participants whose offer meets their room: they are filled


def exact(x: float) -> Fraction:
    """The decimal as written (0.3 is 3/10, not the nearest binary fraction)."""
    if isinstance(x, Integral):
        return Fraction(int(x))
    if isinstance(x, Fraction):
        return x
    return Fraction(repr(float(x)))
