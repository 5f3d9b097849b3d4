"""KPI-2..3 the station's yearly targets, as data per year; the seed's figures when a year has none
(seed 001, the 2011 and 2018 plans: 总产值 220 万 = 日常维修(含保修) 180 万 + 事故车 40 万, stretch
240 万 = 190 + 50; CSI ≥ 900; 十项调查 ≥ 92)."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Targets:
    routine: Decimal
    accident: Decimal
    stretch_routine: Decimal
    stretch_accident: Decimal
    csi: Decimal
    survey: Decimal

    @property
    def first(self) -> Decimal:
        """The first target (第一目标): routine + accident."""
        return self.routine + self.accident

    @property
    def stretch(self) -> Decimal:
        """The stretch target (冲刺目标)."""
        return self.stretch_routine + self.stretch_accident


SEED = Targets(
    routine=Decimal("1800000.00"),
    accident=Decimal("400000.00"),
    stretch_routine=Decimal("1900000.00"),
    stretch_accident=Decimal("500000.00"),
    csi=Decimal("900"),
    survey=Decimal("92"),
)
"""The seed's targets, used for a year the store has not set (**our default**)."""


def problem(targets: Targets) -> str | None:
    """A stretch below the first target is no stretch."""
    if targets.stretch_routine < targets.routine or targets.stretch_accident < targets.accident:
        return "the stretch target is below the first target"
    return None
