"""import-linter contract types of FourS's own (run by ``make lint``; see ``[tool.importlinter]``).

``feature_boundaries``: inside a service package, each direct subpackage is a feature. A feature may
import another feature only through its ``service`` module (use cases and read models) or its
``rules`` module (pure values and rules); never its ``tables``, ``api`` or ``handlers``. Modules at
the service's root (``main``, ``settings``, ``tables`` holding the metadata, ``scope``) are shared
wiring and may be imported by every feature; ``main`` may import anything.

A *read model* (``read_models``: reports that own no data of their own, like the funnel report or the
OEM's monthly report) may read other features' tables; no feature but another read model imports one.
"""

from __future__ import annotations

from dataclasses import dataclass

import grimp
from importlinter import Contract, ContractCheck, fields, output


@dataclass(frozen=True, order=True)
class Crossing:
    importer: str
    imported: str
    line_number: int
    line: str


class FeatureBoundariesContract(Contract):
    type_name = "feature_boundaries"

    packages = fields.ListField(subfield=fields.StringField())
    public_modules = fields.ListField(subfield=fields.StringField())
    read_models = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        public = set(self.public_modules)  # type: ignore[call-overload]
        read_models = set(self.read_models or ())  # type: ignore[call-overload]
        crossings: list[Crossing] = []
        for package in self.packages:  # type: ignore[attr-defined]
            features = {child for child in graph.find_children(package) if graph.find_children(child)}
            for importer in sorted(graph.find_descendants(package)):
                importer_feature = _feature(importer, features)
                if importer_feature is None:
                    continue
                for imported in graph.find_modules_directly_imported_by(importer):
                    imported_feature = _feature(imported, features)
                    if imported_feature is None or imported_feature == importer_feature:
                        continue
                    if _allowed(importer_feature, imported_feature, imported, public, read_models):
                        continue
                    for detail in graph.get_import_details(importer=importer, imported=imported):
                        crossings.append(
                            Crossing(importer, imported, int(detail["line_number"]), str(detail["line_contents"]))
                        )
        return ContractCheck(kept=not crossings, metadata={"crossings": sorted(crossings)})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for crossing in check.metadata["crossings"]:
            output.print_error(f"{crossing.importer} -> {crossing.imported} (l.{crossing.line_number})", bold=True)
            output.indent_cursor()
            output.print_error(crossing.line, bold=False)
            output.new_line()
        output.print(
            "A feature reaches another through its service (or rules) module: "
            + ", ".join(sorted(self.public_modules))  # type: ignore[call-overload]
            + "."
        )


def _allowed(importer: str, feature: str, imported: str, public: set[str], read_models: set[str]) -> bool:
    """May a module of feature ``importer`` import ``imported``, a module of another ``feature``?"""
    if feature in read_models:
        return importer in read_models  # no feature reaches into a read model
    if importer in read_models and imported.endswith(".tables"):
        return True
    return imported == feature or imported.removeprefix(feature + ".") in public


def _feature(module: str, features: set[str]) -> str | None:
    """The feature (a subpackage of the service package) a module belongs to; None for the
    service's root modules: wiring and what every feature shares."""
    return next((f for f in features if module == f or module.startswith(f + ".")), None)
