"""The text embedding model: static word vectors shipped inside the ``wordllama`` package.

Nothing is downloaded: the weights and the tokenizer are read from the installed package's
own folder. Texts are cut into chunks, embedded, averaged and normalised to unit vectors.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL_NAME = "wordllama-l2_supercat-256"
CHUNK_CHARS = 2_000  # characters of one embedded chunk; a page is cut into chunks this long
MAX_CHUNKS = 64  # chunks kept per asset: the first ones, which say what it is about
QUESTIONS_KEPT = 256  # recent questions whose vectors are kept
MIN_WORDS = 3  # fewer English-looking words than this: no vector
_WORD = re.compile(r"[A-Za-z]{2,}")
_ENGLISH = {None, "", "en"}
_LOADED: list = []  # the model, loaded once per process: it is read-only and 16 MB
_LOAD_LOCK = threading.Lock()


class EmbeddingUnavailable(Exception):
    """The embedding model could not be loaded; search falls back to full text."""


class Embedder:
    """Loads the model on first use (about a second) and embeds texts; thread-safe.

    :param name: the model's name, stored beside each vector so a change is noticed.
    """

    def __init__(self, name: str = MODEL_NAME) -> None:
        self.name = name
        self._model = None
        self._questions: dict[str, np.ndarray | None] = {}
        self._questions_lock = threading.Lock()

    @property
    def dim(self) -> int:
        return int(self._load().embedding.shape[1])

    def _load(self):
        if self._model is None:
            with _LOAD_LOCK:
                if not _LOADED:
                    _LOADED.append(_load_wordllama())
                self._model = _LOADED[0]
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (len(texts) x dim, float32); a text with no known word gets zeros."""
        model = self._load()
        if not texts:
            return np.empty((0, model.embedding.shape[1]), np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), model.embedding.shape[1]), np.float32)
        # Sorted by length so each batch pads its token ids to similar lengths.
        vectors = model.embed([texts[i] for i in order], norm=False, batch_size=32)
        out[order] = vectors
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        good = np.isfinite(norms[:, 0]) & (norms[:, 0] > 1e-6)
        out[~good] = 0.0
        out[good] /= norms[good]
        return out

    def embed_query(self, text: str) -> np.ndarray | None:
        """The question as a unit vector (read-only), or None when it has no word the model
        knows. Recent questions are remembered: search as you type, facet clicks and paging
        ask the same text again."""
        if text in self._questions:
            return self._questions[text]
        vector = self.embed([text])[0] if _WORD.search(text) else None
        if vector is not None and vector.any():
            vector.setflags(write=False)
        else:
            vector = None
        with self._questions_lock:
            if len(self._questions) >= QUESTIONS_KEPT:
                self._questions.pop(next(iter(self._questions)), None)
            self._questions[text] = vector
        return vector


def _load_wordllama():
    # wordllama calls logging.basicConfig() on import, which would take over the
    # application's logging: keep the root logger as it was.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as exc:
        raise EmbeddingUnavailable(f"the embedding model is not installed ({exc})") from exc
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    # The package ships its weights and tokenizer in its own folder; pointing the cache
    # there and disabling downloads makes loading work offline and never try the network.
    try:
        return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    except (OSError, ValueError) as exc:
        raise EmbeddingUnavailable(f"the embedding model could not be loaded ({exc})") from exc


def embeddable(text: str, language: str | None) -> str | None:
    """Why this text gets no vector ("empty", "not English"), or None when it gets one."""
    if language not in _ENGLISH:
        return "not English"
    words = _WORD.findall(text[:20_000])
    if len(words) < MIN_WORDS:
        return "empty"
    # Text in a non-Latin script, or mostly numbers, is too little for English word vectors.
    letters = sum(len(w) for w in words)
    visible = sum(1 for c in text[:20_000] if not c.isspace())
    return None if letters >= 0.4 * visible else "not English"


def chunks(pages: list[str], paged: bool) -> tuple[list[int], list[str]]:
    """Cut page texts into chunks: (page number or 0 when unpaged, text), first ones kept."""
    numbers, texts = [], []
    for number, text in enumerate(pages, 1):
        text = " ".join(text.split())
        for start in range(0, len(text), CHUNK_CHARS):
            piece = text[start : start + CHUNK_CHARS]
            if _WORD.search(piece):
                numbers.append(number if paged else 0)
                texts.append(piece)
            if len(texts) >= MAX_CHUNKS:
                return numbers, texts
    return numbers, texts


def text_key(model: str, title: str, summary: str, text_hash: str) -> str:
    """What a stored vector was made from: an unchanged key means nothing to embed again."""
    digest = hashlib.sha1()
    for part in (model, title, summary, text_hash):
        digest.update(part.encode("utf-8", "replace") + b"\x00")
    return digest.hexdigest()
