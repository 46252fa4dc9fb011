"""Governance figures: body sizes, meetings, attendance rates, staff growth."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from attrs import frozen

from rapact_core import MISSING, is_missing

from .load import SEATS, GovernanceData


@frozen
class Attendance:
    name: str
    marks: tuple[int, ...]
    row: int

    @property
    def total(self) -> int:
        """The meetings attended; MISSING while no meeting column is there yet (a draft)."""
        if not self.marks or any(is_missing(m) for m in self.marks):
            return MISSING
        return sum(self.marks)

    @property
    def rate(self) -> Decimal | None:
        if not self.marks or is_missing(self.total):
            return MISSING
        return Decimal(self.total) / Decimal(len(self.marks))


def body_sizes(data: GovernanceData) -> dict[str, int]:
    """Seats marked OUI per body code (observers, OBS, are not members)."""
    return {code: sum(1 for r in data.administrators.rows if r[key] == "OUI") for key, code in SEATS}


def meetings_listed(data: GovernanceData) -> bool:
    """Whether the year's meetings are listed yet (a draft year starts with none)."""
    return bool(data.meetings.rows)


def meetings_per_body(data: GovernanceData) -> Counter:
    return Counter(r["organe"] for r in data.meetings.rows)


def meetings_by_type(data: GovernanceData, body: str) -> Counter:
    return Counter((r["type"] or "") for r in data.meetings.rows if r["organe"] == body)


def attendance(data: GovernanceData) -> list[Attendance]:
    cols = data.attendance_columns()
    return [Attendance(r["administrateur"], tuple(r[c] for c in cols), r.row) for r in data.attendance.rows]


def staff_growth(data: GovernanceData) -> list[tuple[int, int, int | None]]:
    rows = sorted(((r["annee"], r["effectif"]) for r in data.staff.rows))
    out, previous = [], None
    for year, n in rows:
        out.append((year, n, None if previous is None else n - previous))
        previous = n
    return out
