"""Importing asset metadata from the spreadsheets marketers keep (CSV, one row per file)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from library.assets import AssetManager
from library.db import changing
from library.errors import CsvImportError, PitchpackError
from library.ingest import ImportReport
from library.models import Facet
from library.progress import ProgressHook

AddPaths = Callable[[Iterable[Path]], ImportReport]

_ALIASES = {
    "path": ("path", "file", "filename", "file name", "location"),
    "title": ("title", "name"),
    "content_type": ("type", "content type", "content_type", "format"),
    "status": ("status",),
    "owner": ("owner", "author"),
    "summary": ("summary", "description"),
    "expires": ("expires", "expiry", "expiry date", "expiration", "expires on"),
    Facet.STAGE: ("stage", "stages", "buyer stage"),
    Facet.PERSONA: ("persona", "personas", "audience"),
    Facet.INDUSTRY: ("industry", "industries", "vertical"),
    Facet.PRODUCT: ("product", "products"),
    Facet.TAG: ("tag", "tags", "keywords"),
}
_SPLIT = re.compile(r"\s*[;|]\s*")


@dataclass
class CsvReport:
    """What a spreadsheet changed: assets updated, paths it named that are not in the
    library, rows refused (with the reason), and the files it added."""

    updated: list[int] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "row 7: ..." sentences
    added: ImportReport | None = None

    def summary(self) -> str:
        parts = [f"{len(self.updated)} assets updated"]
        if self.added and self.added.added:
            parts.append(f"{len(self.added.added)} files added")
        if self.not_found:
            parts.append(f"{len(self.not_found)} paths not found")
        if self.errors:
            parts.append(f"{len(self.errors)} rows with errors")
        return ", ".join(parts)


def _read_rows(path: Path) -> list[dict[str, str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvImportError(f"Cannot read {path}: {exc.strerror}.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is sniffed: the sniffer guesses quoting from the first rows alone
    # and would leave a quote doubled further down as two. Spreadsheets write excel quoting.
    reader = csv.DictReader(io.StringIO(text), dialect=csv.excel, delimiter=delimiter)
    columns = {}
    for name in reader.fieldnames or []:
        key = (name or "").strip().lower()
        for target, aliases in _ALIASES.items():
            if key in aliases:
                columns[name] = target
    if "path" not in columns.values():
        raise CsvImportError(f"{path.name} has no 'path' column; it needs one naming each file.")
    return [
        {columns[k]: (v or "").strip() for k, v in row.items() if k in columns} for row in reader
    ]


def resolve_row_path(value: str, base: Path) -> Path:
    """An absolute path as written, or a relative one under the spreadsheet's folder.

    Raises PitchpackError for a relative path that climbs out of that folder.
    """
    candidate = Path(value).expanduser()
    if candidate.is_absolute():
        return candidate
    resolved = (base / candidate).resolve()
    if not resolved.is_relative_to(base.resolve()):
        raise PitchpackError(f"'{value}' points outside the spreadsheet's folder.")
    return resolved


class CsvImporter:
    """Applies the metadata spreadsheets marketers keep: one row per file, matched by path.

    Reached through ``Library.import_csv``, which holds the write lock and brings the index
    in step with the assets it changed.

    :param db: the catalog; each row is applied in its own savepoint of one transaction.
    :param assets: finds the rows' assets by path and writes their fields and terms.
    :param add_paths: brings in the files the sheet names that are not in the library yet
        (the ingestor's, without watching their folders); returns its report.
    """

    def __init__(self, db: Database, assets: AssetManager, *, add_paths: AddPaths) -> None:
        self.db, self.assets, self.add_paths = db, assets, add_paths

    def _import_file(
        self, path: Path | str, *, add_missing: bool = True, progress: ProgressHook = None
    ) -> tuple[CsvReport, list[int]]:
        """Apply a spreadsheet: the report and the ids of the assets it changed.

        A row that cannot be applied (no path, a path outside the sheet's folder, a bad
        value, an unknown status) is reported with its reason and skipped; the others are
        applied. Files it names that are not in the library are added if ``add_missing``.

        :raises CsvImportError: when the file cannot be read or has no path column.
        """
        path = Path(path).expanduser().absolute()
        rows = _read_rows(path)
        report = CsvReport()
        targets: list[tuple[int, Path, dict]] = []
        for n, row in enumerate(rows, start=2):  # row 1 is the header
            if not row.get("path"):
                report.errors.append(f"row {n}: no path")
                continue
            try:
                targets.append((n, resolve_row_path(row["path"], path.parent), row))
            except PitchpackError as exc:
                report.errors.append(f"row {n}: {exc}")
        paths = [str(p) for _, p, _ in targets]
        known = self.assets.ids_by_path(paths)
        new = [p for _, p, _ in targets if str(p) not in known and p.is_file()]
        if add_missing and new:
            report.added = self.add_paths(new, progress=progress)
            known = self.assets.ids_by_path(paths)
        with changing(self.db) as changed:
            for n, file, row in targets:
                asset_id = known.get(str(file))
                if asset_id is None:
                    report.not_found.append(str(file))
                    continue
                try:
                    with self.db.atomic():  # a savepoint: a bad row leaves the others applied
                        self._apply(asset_id, row)
                except PitchpackError as exc:
                    report.errors.append(f"row {n}: {exc}")
                    continue
                report.updated.append(asset_id)
                changed.append(asset_id)
        return report, changed

    def _apply(self, asset_id: int, row: dict[str, str]) -> None:
        assets = self.assets
        fields = {
            k: v
            for k, v in row.items()
            if k in ("title", "content_type", "status", "owner", "summary", "expires") and v
        }
        if fields:
            assets._update([asset_id], **fields)
        for facet in Facet:
            if row.get(facet):
                names = [n for n in _SPLIT.split(row[facet]) if n]
                if len(names) == 1 and "," in names[0]:
                    names = [n.strip() for n in names[0].split(",") if n.strip()]
                assets._set_terms([asset_id], facet, names, create=True)
