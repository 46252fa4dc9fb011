"""The members' figures: pure functions of the loaded data."""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen

from rapact_core import MISSING, is_missing

from .load import MembersData

COMMUNE_CATEGORY = "Commune et Ville"


@frozen
class CoverageLine:
    label: str
    members: int
    communes: int

    @property
    def rest(self) -> int:
        return self.communes - self.members

    @property
    def coverage(self) -> Decimal | None:
        if is_missing(self.members) or is_missing(self.communes):
            return MISSING
        return Decimal(self.members) / Decimal(self.communes) if self.communes else None


@frozen
class MembersFigures:
    categories: tuple[tuple[str, int], ...]
    population: tuple[CoverageLine, ...]
    provinces: tuple[CoverageLine, ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.categories)

    @staticmethod
    def sum_lines(lines) -> CoverageLine:
        return CoverageLine("Total général", sum(l.members for l in lines), sum(l.communes for l in lines))

    @property
    def population_total(self) -> CoverageLine:
        return self.sum_lines(self.population)

    @property
    def provinces_total(self) -> CoverageLine:
        return self.sum_lines(self.provinces)


def figures(data: MembersData) -> MembersFigures:
    return MembersFigures(
        categories=tuple((r["categorie"], r["nombre"]) for r in data.categories.rows),
        population=tuple(CoverageLine(r["classe"], r["membres"], r["communes"]) for r in data.population.rows),
        provinces=tuple(CoverageLine(r["province"], r["membres"], r["communes"]) for r in data.provinces.rows),
    )


def commune_category(data: MembersData) -> str:
    return data.settings.get("commune_category", COMMUNE_CATEGORY)
