"""Events in and out of files, as CSV or JSON lines by the file's extension.

A marketer merges a team's usage by importing each rep's export; events already present
(same id) are skipped, so importing a file twice adds nothing. Asset ids differ between
libraries, so each event also names the content of its assets (``asset_hashes``), by
which an import finds the same assets in the library it goes into.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields, is_dataclass
from pathlib import Path

from library.atomic import atomic_path
from library.usage.events import UsageError, UsageEvent

FORMATS = (".csv", ".jsonl")
FIELDS = (
    "id",
    "time",
    "kind",
    "rep",
    "query",
    "filters",
    "result_count",
    "opened",
    "asset_ids",
    "asset_hashes",
    "packet_id",
    "search_id",
)


def file_format(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".ndjson":
        return ".jsonl"
    if suffix not in FORMATS:
        raise UsageError(
            f"Cannot tell the format of {Path(path).name}: name it .csv or .jsonl (JSON lines)."
        )
    return suffix


def _record(event: UsageEvent, hashes: dict[int, str]) -> dict:
    data = event.to_dict()
    data["asset_hashes"] = [hashes.get(a, "") for a in event.asset_ids]
    return data


def _csv_row(data: dict) -> dict:
    data["filters"] = json.dumps(data["filters"], sort_keys=True) if data["filters"] else ""
    data["asset_ids"] = " ".join(str(a) for a in data["asset_ids"])
    data["asset_hashes"] = " ".join(h or "-" for h in data["asset_hashes"])
    data["opened"] = int(data["opened"])
    return {k: "" if v is None else v for k, v in data.items()}


def write_events(
    path: Path | str, events: Iterable[UsageEvent], hashes: dict[int, str] | None = None
) -> int:
    """Write events to ``path`` atomically; returns how many were written.

    ``hashes`` maps asset ids to their content hashes, written beside the ids.
    """
    suffix = file_format(path)
    hashes = hashes or {}
    count = 0
    with atomic_path(path) as temp, open(temp, "w", encoding="utf-8", newline="") as file:
        if suffix == ".csv":
            writer = csv.DictWriter(file, fieldnames=FIELDS)
            writer.writeheader()
            for event in events:
                writer.writerow(_csv_row(_record(event, hashes)))
                count += 1
        else:
            for event in events:
                file.write(json.dumps(_record(event, hashes), ensure_ascii=False) + "\n")
                count += 1
    return count


def read_events(path: Path | str) -> Iterator[tuple[UsageEvent, list[str]]]:
    """Events from a CSV or JSON-lines file, each with the content hashes of its assets
    ("" where unknown). Raises UsageError naming the first bad line."""
    suffix = file_format(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            if suffix == ".csv":
                reader = csv.DictReader(file)
                missing = {"id", "time", "kind"} - set(reader.fieldnames or ())
                if missing:
                    raise UsageError(
                        f"{Path(path).name} is not a usage export: it has no "
                        f"{', '.join(sorted(missing))} column."
                    )
                for line, row in enumerate(reader, start=2):
                    yield _checked(row, path, line)
            else:
                for line, text in enumerate(file, start=1):
                    if not text.strip():
                        continue
                    try:
                        data = json.loads(text)
                    except ValueError as exc:
                        raise UsageError(
                            f"{Path(path).name}, line {line}: not JSON ({exc})."
                        ) from exc
                    yield _checked(data, path, line)
    except OSError as exc:
        raise UsageError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"{Path(path).name} is not a UTF-8 text file.") from exc


def _checked(data, path: Path | str, line: int) -> tuple[UsageEvent, list[str]]:
    if not isinstance(data, dict):
        raise UsageError(f"{Path(path).name}, line {line}: not an event.")
    try:
        event = UsageEvent.from_dict(data)
    except UsageError as exc:
        raise UsageError(f"{Path(path).name}, line {line}: {exc}") from exc
    hashes = data.get("asset_hashes") or []
    if isinstance(hashes, str):
        hashes = hashes.split()
    hashes = ["" if h in (None, "-") else str(h) for h in hashes]
    return event, (hashes + [""] * len(event.asset_ids))[: len(event.asset_ids)]


def write_rows(path: Path | str, headers: list[str], rows: Iterable[Iterable]) -> int:
    """A report table as CSV, written atomically; returns the number of rows."""
    count = 0
    with atomic_path(path) as temp, open(temp, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else _cell(v) for v in row])
            count += 1
    return count


def write_report_rows(path: Path | str, rows: list) -> int:
    """Report rows (dataclasses of one type) as CSV with their field names as headers."""
    if rows and not is_dataclass(rows[0]):
        raise TypeError("report rows must be dataclasses")
    headers = [f.name for f in fields(rows[0])] if rows else []
    return write_rows(path, headers, ([asdict(r)[h] for h in headers] for r in rows))


def _cell(value) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return " ".join(f"{d.get('week')}:{d.get('searches')}" for d in value)
        return ", ".join(str(v) for v in value)
    return str(value)
