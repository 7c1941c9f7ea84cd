"""Asset vectors kept in the catalog, embedded in the background, handed to the search index.

Each readable asset gets one row: its own unit vector first, then one per page or slide
chunk (for the best page of a related hit), stored with the model's name and a key of the
text it was made from. An unchanged asset is never embedded again; a changed one, one
embedded by another model, or one whose stored vector is damaged is embedded on the next
``run``. Empty and non-English texts get a row with no vector and a reason.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, replace

import numpy as np

from library.db import generation, now
from library.embedder import Embedder, EmbeddingUnavailable, chunks, embeddable, text_key
from library.models import FileState
from library.progress import ProgressHook, cancelled, report
from search import SearchQuery, SearchResult
from search.vectors import VectorTable

log = logging.getLogger(__name__)

BATCH = 32  # assets embedded and written per transaction
HEAD_WEIGHT = 0.5  # share of title and summary in an asset's vector; the rest is its text
CLOSEST_SAID = 3  # the suggestions closest to a packet say so in their reason
_VERSION_KEY = "embedding_version"
_FIELD = re.compile(r'[A-Za-z]+:(?:"[^"]*"?|\S+)')


class EmbeddingManager:
    """Vectors of the library's assets for semantic search and "more like this".

    :param lock: the library's write lock, held only while a batch of vectors is written.
    :param embedder: the model; ``Embedder()`` (wordllama, loaded on first use) by default.
    """

    def __init__(
        self,
        db,
        assets,
        *,
        lock: threading.RLock,
        embedder: Embedder | None = None,
    ) -> None:
        self.db = db
        self.assets = assets
        self.embedder = embedder or Embedder()
        self._lock = lock
        self._table: VectorTable | None = None
        self._table_lock = threading.Lock()
        self._pending: tuple[tuple, list[int]] | None = None
        self._corrupt: set[int] = set()
        self._run_lock = threading.Lock()
        self.unavailable: str | None = None  # why the model could not be loaded

    # -- what is stored -------------------------------------------------------------------

    def _version(self) -> int:
        row = self.db.execute("SELECT value FROM info WHERE key = ?", (_VERSION_KEY,)).fetchone()
        return int(row[0]) if row else 0

    def pending(self) -> list[int]:
        """Readable assets whose vector is missing, stale, from another model or damaged."""
        key = (generation(self.db), self._version(), len(self._corrupt))
        cached = self._pending
        if cached is not None and cached[0] == key:
            return cached[1]
        rows = self.db.execute(
            """
            SELECT a.id, a.title, a.summary, a.text_hash, e.model, e.text_hash, e.dim,
                   length(e.pages), length(e.vectors), e.vectors IS NULL AND e.reason IS NOT NULL
            FROM assets a LEFT JOIN embeddings e ON e.asset_id = a.id
            WHERE a.file_state = ? ORDER BY a.id
            """,
            (FileState.OK,),
        ).fetchall()
        model = self.embedder.name
        todo = []
        for asset_id, title, summary, thash, e_model, e_key, dim, n_pages, n_bytes, novec in rows:
            fresh = e_model == model and e_key == text_key(model, title, summary, thash)
            intact = novec or (
                dim and n_bytes == (1 + (n_pages or 0) // 4) * dim * 4 and (n_pages or 0) % 4 == 0
            )
            if not (fresh and intact) or asset_id in self._corrupt:
                todo.append(asset_id)
        self._pending = (key, todo)
        return todo

    def coverage(self) -> tuple[int, int]:
        """(assets embedded or found to need no vector, readable assets)."""
        total = self.db.execute(
            "SELECT count(*) FROM assets WHERE file_state = ?", (FileState.OK,)
        ).fetchone()[0]
        return total - len(self.pending()), total

    def table(self) -> VectorTable:
        """Every asset's own vector made by the current model, damaged ones left out."""
        version = (self._version(), self.embedder.name)
        table = self._table
        if table is not None and table.version == version:
            return table
        with self._table_lock:
            if self._table is not None and self._table.version == version:
                return self._table
            rows = self.db.execute(
                "SELECT asset_id, dim, substr(vectors, 1, dim * 4) FROM embeddings "
                "WHERE model = ? AND vectors IS NOT NULL ORDER BY asset_id",
                (self.embedder.name,),
            ).fetchall()
            dims = {dim for _, dim, _ in rows}
            dim = max(dims, key=lambda d: sum(1 for r in rows if r[1] == d)) if dims else 0
            ids, blobs = [], []
            for asset_id, row_dim, blob in rows:
                if row_dim == dim and isinstance(blob, bytes) and len(blob) == dim * 4:
                    ids.append(asset_id)
                    blobs.append(blob)
                else:
                    self._corrupt.add(asset_id)
            matrix = np.frombuffer(b"".join(blobs), np.float32).reshape(len(ids), dim)
            norms = np.linalg.norm(matrix, axis=1) if len(ids) else np.empty(0)
            good = np.isfinite(norms) & (np.abs(norms - 1.0) < 1e-2)
            self._corrupt.update(int(i) for i, ok in zip(ids, good, strict=True) if not ok)
            self._table = VectorTable(
                np.array(ids, np.int64)[good], np.ascontiguousarray(matrix[good]), version
            )
            return self._table

    def vectors(self, asset_id: int) -> tuple[np.ndarray, list[int]] | None:
        """(asset vector then chunk vectors, chunk page numbers) of one asset, if intact."""
        row = self.db.execute(
            "SELECT dim, pages, vectors FROM embeddings WHERE asset_id = ? AND model = ?",
            (asset_id, self.embedder.name),
        ).fetchone()
        if row is None or row[2] is None or not row[0]:
            return None
        dim, pages, blob = row
        numbers = (
            np.frombuffer(pages or b"", np.int32).tolist() if len(pages or b"") % 4 == 0 else None
        )
        if numbers is None or len(blob) != (1 + len(numbers)) * dim * 4:
            self._corrupt.add(asset_id)
            return None
        matrix = np.frombuffer(blob, np.float32).reshape(-1, dim)
        if not np.isfinite(matrix).all():
            self._corrupt.add(asset_id)
            return None
        return matrix, numbers

    # -- embedding ------------------------------------------------------------------------

    def run(
        self,
        *,
        progress: ProgressHook = None,
        cancel: threading.Event | None = None,
        limit: int | None = None,
        only: list[int] | None = None,
    ) -> int:
        """Embed every pending asset (at most ``limit``; of ``only`` if given), in batches;
        returns how many.

        Safe to call from a background thread while searches run: each batch is written
        in its own short transaction, and searches pick the new vectors up at once. If the
        model cannot be loaded, nothing is embedded and ``unavailable`` says why.
        """
        with self._run_lock:
            todo = self.pending()
            if only is not None:
                wanted = set(only)
                todo = [asset_id for asset_id in todo if asset_id in wanted]
            todo = todo[:limit] if limit is not None else todo
            if not todo:
                return 0
            try:
                self.embedder.dim  # noqa: B018 - load the model before reporting progress
            except EmbeddingUnavailable as exc:
                self.unavailable = str(exc)
                log.warning("Semantic search is off: %s", exc)
                return 0
            done = 0
            report(progress, "embedding", 0, len(todo))
            for start in range(0, len(todo), BATCH):
                if cancelled(cancel):
                    break
                batch = todo[start : start + BATCH]
                self._write(self._embed_batch(batch))
                done += len(batch)
                report(progress, "embedding", done, len(todo))
            return done

    def warm(self) -> None:
        """Load the model now, so that the first question typed does not wait for it.

        Loading holds Python's global lock for about 0.1 s in one call (the tokenizer), which
        would freeze a window typed into; call this from a background thread at start.
        """
        if self.unavailable:
            return
        try:
            self.embedder.dim  # noqa: B018 - loads the model
        except EmbeddingUnavailable as exc:
            self.unavailable = str(exc)

    def _embed_batch(self, ids: list[int]) -> list[tuple]:
        model = self.embedder.name
        found = [a for a in self.assets.get_many(ids) if a.file_state == FileState.OK]
        items = [
            Embeddable(
                a.title, a.summary, [p.text for p in self.assets.pages(a.id)], a.paged, a.language
            )
            for a in found
        ]
        rows = []
        for asset, (matrix, numbers, reason) in zip(
            found, vectorize(self.embedder, items), strict=True
        ):
            key = text_key(model, asset.title, asset.summary, asset.text_hash)
            if matrix is None:
                rows.append((asset.id, model, key, 0, None, None, reason))
            else:
                pages = np.array(numbers, np.int32).tobytes()
                rows.append((asset.id, model, key, matrix.shape[1], pages, matrix.tobytes(), None))
        return rows

    def _write(self, rows: list[tuple]) -> None:
        stamp = now()
        with self._lock, self.db.atomic():
            # An asset deleted while its batch was embedded is skipped, not an error.
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO embeddings "
                "(asset_id, model, text_hash, dim, pages, vectors, reason, embedded) "
                "SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM assets WHERE id = ?)",
                [(*row, stamp, row[0]) for row in rows],
            )
            self.db.execute(
                "INSERT INTO info VALUES (?, '1') ON CONFLICT(key) DO UPDATE "
                "SET value = CAST(value AS INTEGER) + 1",
                (_VERSION_KEY,),
            )
        self._corrupt.difference_update(row[0] for row in rows)

    # -- use in search --------------------------------------------------------------------

    def prepare(self, query: SearchQuery, index) -> SearchQuery:
        """Give the query its vector and the index the current vectors, unless text-only."""
        if query.mode == "text" or query.vector is not None and query.mode == "semantic":
            if query.mode != "text":
                index.set_vectors(self.table())
            return query
        if not query.text.strip() or self.unavailable:
            return query
        try:
            vector = self.embedder.embed_query(question_text(query.text))
        except EmbeddingUnavailable as exc:
            self.unavailable = str(exc)
            return query
        query = replace(query, vector=vector)
        if query.vector is not None:
            index.set_vectors(self.table())
        return query

    def finish(self, result: SearchResult) -> SearchResult:
        """Say how many assets are embedded, and open each related hit at its best chunk."""
        query = result.query
        if query.mode == "text" or query.vector is None:
            return result
        result.embedded, result.embeddable = self.coverage()
        for hit in result.hits:
            if hit.match == "related" or query.mode == "semantic":
                hit.page = self.best_page(hit.id, query.vector) or hit.page
        return result

    def similar_query(self, asset_id: int, limit: int) -> SearchQuery | None:
        """A semantic query for the assets most like this one (None: it has no vector).

        The asset is embedded first if it is not yet.
        """
        self.run(only=[asset_id])
        stored = self.vectors(asset_id)
        if stored is None:
            return None
        return SearchQuery(mode="semantic", vector=stored[0][0], limit=limit, as_you_type=False)

    def profile_vector(self, asset_ids: list[int], text: str = "") -> np.ndarray | None:
        """One unit vector for a set of assets and a note (a packet): their mean direction."""
        parts = [stored[0][0] for i in asset_ids if (stored := self.vectors(i)) is not None]
        if text.strip() and not self.unavailable:
            try:
                note = self.embedder.embed_query(text)
            except EmbeddingUnavailable:
                note = None
            if note is not None:
                parts.append(note)
        if not parts:
            return None
        mean = np.mean(parts, axis=0)
        norm = np.linalg.norm(mean)
        return (mean / norm).astype(np.float32) if norm > 1e-6 else None

    def rank_suggestions(self, suggestions: list, asset_ids: list[int], note: str = "") -> list:
        """Packet suggestions re-ranked by how close each is to the packet's assets and note.

        How well an asset fits the prospect's stage and persona still counts first; among
        equal fits, closeness in meaning comes before use by reps, and the reasons of the
        closest say so. Unchanged when nothing in the packet has a vector yet.
        """
        profile = self.profile_vector(asset_ids, note)
        if profile is None or not suggestions:
            return suggestions
        table = self.table()
        sims = dict(zip(table.ids.tolist(), table.similarities(profile).tolist(), strict=True))
        closeness = {s.asset.id: max(sims.get(s.asset.id, 0.0), 0.0) for s in suggestions}
        ranked = sorted(suggestions, key=lambda s: (-s.score, -closeness[s.asset.id]))
        closest = sorted(closeness, key=closeness.get, reverse=True)[:CLOSEST_SAID]
        for s in ranked:
            if s.asset.id in closest and closeness[s.asset.id] > 0:
                s.reason = s.reason.rstrip(".") + "; close to this packet's assets and note."
        return ranked

    def best_page(self, asset_id: int, vector: np.ndarray) -> int | None:
        """The page or slide of an asset most like ``vector`` (None for unpaged assets)."""
        stored = self.vectors(asset_id)
        if stored is None or not stored[1] or not any(stored[1]):
            return None
        matrix, numbers = stored
        sims = matrix[1:] @ vector.astype(np.float32)
        return int(numbers[int(np.argmax(sims))]) or None


@dataclass
class Embeddable:
    """What an asset's vectors are made from."""

    title: str
    summary: str
    pages: list[str]
    paged: bool = False
    language: str | None = None


def vectorize(
    embedder: Embedder, items: list[Embeddable]
) -> list[tuple[np.ndarray | None, list[int], str | None]]:
    """For each item: (its vector then one per chunk, the chunks' page numbers, None), or
    (None, [], reason) when its text gets no vector. One model call per batch of texts."""
    out: list = [None] * len(items)
    heads, bodies, owners = [], [], []
    for i, item in enumerate(items):
        head = f"{item.title}. {item.summary}"
        reason = embeddable(head + " " + " ".join(item.pages)[:20_000], item.language)
        if reason is not None:
            out[i] = (None, [], reason)
            continue
        numbers, texts = chunks(item.pages, item.paged)
        owners.append((i, numbers, len(texts)))
        heads.append(head)
        bodies.extend(texts)
    head_vecs = embedder.embed(heads)
    body_vecs = embedder.embed(bodies)
    at = 0
    for (i, numbers, count), head_vec in zip(owners, head_vecs, strict=True):
        body = body_vecs[at : at + count]
        at += count
        vector = _combine(head_vec, body)
        if not vector.any():
            out[i] = (None, [], "empty")
        else:
            out[i] = (np.vstack([vector[None, :], body]).astype(np.float32), numbers, None)
    return out


def _combine(head: np.ndarray, body: np.ndarray) -> np.ndarray:
    """An asset's vector: its title and summary, and the mean of its text chunks, blended."""
    if not len(body):
        return head
    mean = body.mean(axis=0)
    norm = np.linalg.norm(mean)
    mean = mean / norm if norm > 1e-6 else mean
    vector = HEAD_WEIGHT * head + (1.0 - HEAD_WEIGHT) * mean
    norm = np.linalg.norm(vector)
    return (vector / norm).astype(np.float32) if norm > 1e-6 else np.zeros_like(head)


def question_text(text: str) -> str:
    """The words of a query to embed: field filters, negated words and operators left out."""
    text = _FIELD.sub(" ", text)
    words = []
    for token in text.replace('"', " ").replace("(", " ").replace(")", " ").split():
        if ":" in token or token.startswith("-") or token in ("AND", "OR", "NOT"):
            continue
        words.append(token)
    return " ".join(words)
