"""Usage reports over a period, computed with numpy over the events' columns.

Counting: an event on several assets (a packet sent with five) is one event of its kind
for the trend and the per-rep figures, and one *use* of each asset for the per-asset,
per-term and score figures. A use scores the weight of its kind. Days are UTC.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from functools import cached_property

import numpy as np

from library.usage.columns import KIND_CODE, KINDS, SEARCH, EventColumns
from library.usage.events import EventKind, date_of, day_of, week_start
from library.usage.model import (
    COUNT_FIELDS,
    MAX_DAY,
    MIN_DAY,
    AssetUse,
    ContentGap,
    HeatMap,
    Period,
    RepActivity,
    StaleAsset,
    TermUse,
    UnusedAsset,
    WeekUse,
    Weights,
)

UNUSED_DAYS = 90
EXPIRING_DAYS = 30
_SENT = (KIND_CODE[EventKind.PACKET_SEND], KIND_CODE[EventKind.PACKET_EXPORT])
_DENSE_LIMIT = 20_000_000  # cells of a groups x days table worth building instead of ufunc.at


def group_max(
    groups: np.ndarray, values: np.ndarray, n: int, *, lowest: bool = False
) -> np.ndarray:
    """The largest (or ``lowest``) of ``values`` in each of ``n`` groups; MIN_DAY (MAX_DAY)
    where a group has none. Values are days, a small range, so a groups x days presence
    table is usually cheaper than ``np.maximum.at``."""
    empty = MAX_DAY if lowest else MIN_DAY
    out = np.full(n, empty, dtype=np.int64)
    if not len(values):
        return out
    low = int(values.min())
    span = int(values.max()) - low + 1
    if n * span <= _DENSE_LIMIT:
        cells = groups.astype(np.int64) * span + (values - low)
        present = np.bincount(cells, minlength=n * span).reshape(n, span) > 0
        found = present.any(axis=1)
        at = (
            np.argmax(present, axis=1) if lowest else span - 1 - np.argmax(present[:, ::-1], axis=1)
        )
        return np.where(found, at + low, empty)
    (np.minimum if lowest else np.maximum).at(out, groups, values)
    return out


def distinct_pairs(first: np.ndarray, second: np.ndarray, n_second: int) -> np.ndarray:
    """Distinct (first, second) code pairs, as first * n_second + second, sorted."""
    key = first.astype(np.int64) * n_second + second
    n = (int(first.max()) + 1) * n_second if len(first) else 0
    if n <= _DENSE_LIMIT:
        return np.flatnonzero(np.bincount(key, minlength=n))
    return np.unique(key)


class Reports:
    """Every report over one period; figures shared by several reports are computed once.

    ``conn`` reads the catalog's assets and terms; events come from ``cols``.
    """

    def __init__(
        self, cols: EventColumns, conn: sqlite3.Connection, period: Period, weights: Weights
    ) -> None:
        self.cols = cols
        self.conn = conn
        self.period = period
        self.weights = weights
        self._kind_weight = np.array([weights.of(k) for k in KINDS], dtype=np.float64)
        self._number = int if all(float(w).is_integer() for w in self._kind_weight) else float

    # -- shared figures ----------------------------------------------------------------

    @cached_property
    def _event_mask(self) -> np.ndarray:
        first, last = self.period.days
        return (self.cols.day >= first) & (self.cols.day <= last)

    @cached_property
    def _use_mask(self) -> np.ndarray:
        first, last = self.period.days
        return (self.cols.use_day >= first) & (self.cols.use_day <= last)

    @cached_property
    def _per_asset(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Slots of the assets used in the period, their uses per kind, and their scores."""
        m, n, k = self._use_mask, len(self.cols.slot_ids), len(KINDS)
        key = self.cols.use_slot[m].astype(np.int64) * k + self.cols.use_kind[m]
        counts = np.bincount(key, minlength=n * k).reshape(n, k)
        slots = np.flatnonzero(counts.sum(axis=1))
        return slots, counts[slots], counts[slots] @ self._kind_weight

    def _ids(self, slots: np.ndarray) -> list[int]:
        ids = self.cols.slot_ids
        return [ids[s] for s in slots.tolist()]

    @cached_property
    def _assets(self) -> dict[int, tuple[str, str]]:
        return {
            i: (t, c) for i, t, c in self.conn.execute("SELECT id, title, content_type FROM assets")
        }

    def _terms(self, facet: str) -> dict[int, list[str]]:
        terms: dict[int, list[str]] = defaultdict(list)
        for asset_id, name in self.conn.execute(
            "SELECT at.asset_id, t.name FROM asset_terms at JOIN terms t ON t.id = at.term_id "
            "WHERE at.suggested = 0 AND t.facet = ? ORDER BY t.position, t.name",
            (facet,),
        ):
            terms[asset_id].append(name)
        return terms

    # -- reports -----------------------------------------------------------------------

    def top_assets(self, limit: int | None = 20) -> list[AssetUse]:
        """Assets by score, highest first (ties: lowest id first)."""
        slots, counts, scores = self._per_asset
        ids = np.array(self._ids(slots), dtype=np.int64)
        order = np.lexsort((ids, -scores))[:limit]
        chosen = slots[order]
        m = self._use_mask & np.isin(self.cols.use_slot, chosen)
        last = group_max(self.cols.use_slot[m], self.cols.use_day[m], len(self.cols.slot_ids))
        rows = []
        for i in order.tolist():
            asset_id = int(ids[i])
            title, ctype = self._assets.get(asset_id, (f"Removed asset {asset_id}", None))
            use = AssetUse(
                asset_id, title, ctype, self._number(scores[i]), last_used=_iso(last[slots[i]])
            )
            for kind, name in COUNT_FIELDS.items():
                setattr(use, name, int(counts[i, KIND_CODE[kind]]))
            rows.append(use)
        return rows

    def by_term(self, facet: str) -> list[TermUse]:
        """Use per stage or persona (``facet``), or per content type (``facet="type"``).

        An asset with two stages counts for both; assets without one count under None.
        """
        if facet == "type":
            terms = {i: [c] for i, (_t, c) in self._assets.items()}
        else:
            terms = self._terms(facet)
        slots, counts, scores = self._per_asset
        uses = counts.sum(axis=1)
        totals: dict[str | None, list] = {}
        for asset_id, score, used in zip(
            self._ids(slots), scores.tolist(), uses.tolist(), strict=True
        ):
            for name in terms.get(asset_id) or [None]:
                row = totals.setdefault(name, [0.0, 0, 0])
                row[0] += score
                row[1] += used
                row[2] += 1
        rows = [TermUse(n, self._number(s), u, a) for n, (s, u, a) in totals.items()]
        return sorted(rows, key=lambda t: (-t.score, t.name is None, t.name or ""))

    def heat_map(self, stages: list[str], personas: list[str]) -> HeatMap:
        """Score per stage and persona pair, in the order given (the taxonomy's)."""
        stage_of, persona_of = self._terms("stage"), self._terms("persona")
        row = {name: i for i, name in enumerate(stages)}
        col = {name: i for i, name in enumerate(personas)}
        scores = [[0.0] * len(personas) for _ in stages]
        slots, _counts, asset_scores = self._per_asset
        for asset_id, score in zip(self._ids(slots), asset_scores.tolist(), strict=True):
            for s in stage_of.get(asset_id, []):
                for p in persona_of.get(asset_id, []):
                    if s in row and p in col:
                        scores[row[s]][col[p]] += score
        return HeatMap(list(stages), list(personas), [[self._number(v) for v in r] for r in scores])

    def trend(self) -> list[WeekUse]:
        """One row per week (Mondays) from the period's first week to its last, gaps filled."""
        cols, first, last = self.cols, *self.period.days
        em, um = self._event_mask, self._use_mask
        if not em.any():
            return []
        days = cols.day[em]
        start = week_start(first if first != MIN_DAY else int(days.min()))
        end = week_start(last if last != MAX_DAY else int(days.max()))
        weeks = (end - start) // 7 + 1
        week = (days - start) // 7  # the Monday of day d is d - (d + 3) % 7
        counts = np.zeros((weeks, len(KINDS)), dtype=np.int64)
        np.add.at(counts, (week, cols.kind[em]), 1)
        use_week = (cols.use_day[um] - start) // 7
        score = np.bincount(use_week, weights=self._kind_weight[cols.use_kind[um]], minlength=weeks)
        rows = []
        for w in range(weeks):
            row = WeekUse(_iso(start + 7 * w), int(counts[w, SEARCH]), score=self._number(score[w]))
            for kind, name in COUNT_FIELDS.items():
                setattr(row, name, int(counts[w, KIND_CODE[kind]]))
            rows.append(row)
        return rows

    def by_rep(self) -> list[RepActivity]:
        """Activity per rep, most active (by score, then searches) first."""
        cols, em, um = self.cols, self._event_mask, self._use_mask
        n, k = len(cols.reps), len(KINDS)
        rep, kind = cols.rep[em], cols.kind[em]
        counts = np.bincount(rep.astype(np.int64) * k + kind, minlength=n * k).reshape(n, k)
        zero = np.bincount(rep[(kind == SEARCH) & (cols.result_count[em] == 0)], minlength=n)
        last = group_max(rep, cols.day[em], n)
        use_rep = cols.use_rep[um]
        score = np.bincount(use_rep, weights=self._kind_weight[cols.use_kind[um]], minlength=n)
        slots = len(cols.slot_ids)
        pairs = distinct_pairs(use_rep, cols.use_slot[um], slots)
        assets = np.bincount(pairs // max(slots, 1), minlength=n)
        rows = []
        for r in np.flatnonzero(counts.sum(axis=1)).tolist():
            row = RepActivity(
                cols.reps[r],
                int(counts[r, SEARCH]),
                int(zero[r]),
                assets=int(assets[r]),
                score=self._number(score[r]),
                last_active=_iso(int(last[r])),
            )
            for kind_name, name in COUNT_FIELDS.items():
                setattr(row, name, int(counts[r, KIND_CODE[kind_name]]))
            rows.append(row)
        return sorted(rows, key=lambda r: (-r.score, -r.searches, r.rep))

    def unused(self, as_of: date, days: int = UNUSED_DAYS) -> list[UnusedAsset]:
        """Approved, readable, unexpired assets with no use in the ``days`` up to ``as_of``.

        Never-used assets come first, then those unused longest. Not bound to the period.
        """
        cols, today = self.cols, day_of(as_of)
        n = len(cols.slot_ids)
        before = cols.use_day <= today
        recent = before & (cols.use_day > today - days)
        used_recently = np.bincount(cols.use_slot[recent], minlength=n) > 0
        # Last uses are needed only for assets not used recently, which are few.
        older = before & ~used_recently[cols.use_slot]
        last = group_max(cols.use_slot[older], cols.use_day[older], n)
        slot_of = {asset_id: slot for slot, asset_id in enumerate(cols.slot_ids)}
        last_use = {}
        for asset_id, slot in slot_of.items():
            if used_recently[slot]:
                last_use[asset_id] = today
            elif last[slot] != MIN_DAY:
                last_use[asset_id] = int(last[slot])
        rows = []
        for asset_id, title, ctype, owner, created in self.conn.execute(
            "SELECT id, title, content_type, owner, created FROM assets WHERE status = 'approved' "
            "AND file_state = 'ok' AND (expires IS NULL OR expires >= ?)",
            (as_of.isoformat(),),
        ):
            used = last_use.get(asset_id)
            if used is not None and used > today - days:
                continue
            rows.append(
                UnusedAsset(
                    asset_id,
                    title,
                    ctype,
                    owner,
                    (created or "")[:10],
                    _iso(used) if used is not None else None,
                    today - used if used is not None else None,
                )
            )
        rows.sort(
            key=lambda u: (
                u.last_used is not None,
                u.last_used or "",
                u.title.casefold(),
                u.asset_id,
            )
        )
        return rows

    def content_gaps(self, limit: int | None = 100) -> list[ContentGap]:
        """Searches with no results or none opened, by normalised query and stage/persona
        filters. Searches with neither words nor stage/persona filters are left out."""
        cols = self.cols
        m = self._event_mask & (cols.gap >= 0)
        m &= (cols.result_count == 0) | ~cols.opened
        gap, zero_result = cols.gap[m], cols.result_count[m] == 0
        if not len(gap):
            return []
        n = len(cols.gap_keys)
        searches = np.bincount(gap, minlength=n)
        zero = np.bincount(gap[zero_result], minlength=n)
        found = np.flatnonzero(searches)
        keys = cols.gap_keys
        order = sorted(found.tolist(), key=lambda g: (-searches[g], -zero[g], keys[g]))
        chosen = order[:limit] if limit is not None else order
        # Dates, reps and weeks only for the gaps shown.
        slot = np.full(n, -1, dtype=np.int64)
        slot[chosen] = np.arange(len(chosen))
        pick = slot[gap] >= 0
        rows_of = slot[gap[pick]]
        day, rep = cols.day[m][pick].astype(np.int64), cols.rep[m][pick]
        first = group_max(rows_of, day, len(chosen), lowest=True)
        last = group_max(rows_of, day, len(chosen))
        reps: dict[int, list[str]] = defaultdict(list)
        for pair in distinct_pairs(rows_of, rep, len(cols.reps)).tolist():
            reps[pair // len(cols.reps)].append(cols.reps[pair % len(cols.reps)])
        weeks: dict[int, list[dict]] = defaultdict(list)
        week = day - (day + 3) % 7
        span = int(week.max() - week.min()) // 7 + 1
        pairs, counts = np.unique(rows_of * span + (week - week.min()) // 7, return_counts=True)
        for pair, count in zip(pairs.tolist(), counts.tolist(), strict=True):
            monday = int(week.min()) + 7 * (pair % span)
            weeks[pair // span].append({"week": _iso(monday), "searches": count})
        rows = []
        for i, g in enumerate(chosen):
            query, stage, persona = keys[g]
            rows.append(
                ContentGap(
                    query,
                    stage,
                    persona,
                    int(searches[g]),
                    int(zero[g]),
                    int(searches[g] - zero[g]),
                    sorted(reps[i], key=str.casefold),
                    _iso(int(first[i])),
                    _iso(int(last[i])),
                    weeks[i],
                )
            )
        return rows

    def stale(self, as_of: date, days: int = EXPIRING_DAYS) -> list[StaleAsset]:
        """Assets expired or expiring within ``days`` of ``as_of`` that were sent or exported
        within the period when they were already that close to expiry (or past it)."""
        cols, today = self.cols, day_of(as_of)
        expiring = {}
        for asset_id, title, ctype, owner, expires in self.conn.execute(
            "SELECT id, title, content_type, owner, expires FROM assets "
            "WHERE expires IS NOT NULL AND expires <= ?",
            (date_of(today + days).isoformat(),),
        ):
            try:
                expiring[asset_id] = (title, ctype, owner, day_of(date.fromisoformat(expires[:10])))
            except ValueError:
                continue
        if not expiring:
            return []
        slots = [s for s, asset_id in enumerate(cols.slot_ids) if asset_id in expiring]
        m = self._use_mask & np.isin(cols.use_kind, _SENT) & np.isin(cols.use_slot, slots)
        found: dict[int, list] = {}
        for asset_id, kind, day in zip(
            self._ids(cols.use_slot[m]),
            cols.use_kind[m].tolist(),
            cols.use_day[m].tolist(),
            strict=True,
        ):
            title, ctype, owner, expiry = expiring[asset_id]
            if day < expiry - days:
                continue  # sent while it still had more than ``days`` to run
            row = found.setdefault(asset_id, [0, 0, day])
            row[0 if kind == _SENT[0] else 1] += 1
            row[2] = max(row[2], day)
        rows = []
        for asset_id, (sends, exports, latest) in found.items():
            title, ctype, owner, expiry = expiring[asset_id]
            rows.append(
                StaleAsset(
                    asset_id,
                    title,
                    ctype,
                    owner,
                    _iso(expiry),
                    expiry - today,
                    sends,
                    exports,
                    _iso(latest),
                )
            )
        rows.sort(key=lambda s: (s.days_left, -s.sends, -s.exports, s.title.casefold(), s.asset_id))
        return rows


def _iso(day: int) -> str:
    return date_of(int(day)).isoformat()
