"""Extraction in supervised worker processes, so one hostile file cannot hang or crash the app."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path
from types import TracebackType

from pebble import ProcessExpired, ProcessPool

from library.errors import ExtractionError
from library.extract import DEFAULT_MAX_CHARS, extract_file
from library.models import Extracted, FailureReason

log = logging.getLogger(__name__)

DEFAULT_MEMORY_LIMIT = 2 * 1024**3
# Workers are replaced now and then, so what a reader leaks is given back.
DEFAULT_MAX_TASKS = 200
IN_FLIGHT_PER_WORKER = 4

Target = Callable[..., Extracted]
Outcome = tuple[Path, Extracted | ExtractionError]


class ExtractionPool:
    """Runs `extract_file` in worker processes with a time and memory limit per file.

    Use as a context manager. `map` may be called from any thread: workers are started
    with "spawn", never forked from a process that has threads.

    :param workers: number of processes; by default one less than the CPUs, at most 4.
    :param timeout: seconds a file may take before its worker is killed ("timed_out").
    :param max_chars: passed to `extract_file`.
    :param memory_limit: address-space limit per worker in bytes, where the platform
        allows one; ``None`` for no limit.
    :param target: the function run per file, called as ``target(path, max_chars=...)``;
        it must be importable by name (a module-level function). For tests.
    """

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = 60.0,
        max_chars: int = DEFAULT_MAX_CHARS,
        *,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
        max_tasks: int = DEFAULT_MAX_TASKS,
        target: Target = extract_file,
    ) -> None:
        self.workers = workers or max(1, min(4, (os.cpu_count() or 2) - 1))
        self.timeout = timeout
        self.max_chars = max_chars
        self._target = target
        self._pool = ProcessPool(
            max_workers=self.workers,
            max_tasks=max_tasks,
            initializer=_start_worker,
            initargs=(memory_limit, timeout),
            context=multiprocessing.get_context("spawn"),
        )

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def map(self, paths: Iterable[Path]) -> Iterator[Outcome]:
        """Extract every path, yielding ``(path, Extracted or ExtractionError)`` as each
        finishes, in no particular order.

        A failed file is an outcome, not an exception: the batch always goes on. At most
        ``4 * workers`` files are queued at a time, so paths may be a lazy iterable.
        Leaving the loop early cancels the files not yet started.
        """
        pending_paths = iter(paths)
        in_flight: dict[Future[Extracted], Path] = {}
        limit = IN_FLIGHT_PER_WORKER * self.workers
        try:
            while True:
                for path in pending_paths:
                    in_flight[self._submit(path)] = path
                    if len(in_flight) >= limit:
                        break
                if not in_flight:
                    return
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    path = in_flight.pop(future)
                    yield path, _outcome(path, future)
        finally:
            for future in in_flight:
                future.cancel()

    def close(self) -> None:
        """Stop the workers; a file still being read is abandoned."""
        self._pool.stop()
        self._pool.join()

    def _submit(self, path: Path) -> Future[Extracted]:
        return self._pool.schedule(
            self._target,
            args=(Path(path),),
            kwargs={"max_chars": self.max_chars},
            timeout=self.timeout,
        )


def _outcome(path: Path, future: Future[Extracted]) -> Extracted | ExtractionError:
    try:
        return future.result()
    except ExtractionError as exc:
        return exc
    except TimeoutError:
        return ExtractionError(
            FailureReason.TIMED_OUT,
            "Reading the file took too long and was stopped; "
            "it may be damaged or unusually complex.",
        )
    except ProcessExpired as exc:
        log.warning("Extraction worker for %s died with exit code %s", path, exc.exitcode)
        return ExtractionError(
            FailureReason.CORRUPT,
            "The file made the reader stop unexpectedly; it may be damaged.",
        )
    except MemoryError:
        return ExtractionError(
            FailureReason.TOO_LARGE,
            "The file needs more memory to read than Pitchpack allows; it may be damaged.",
        )
    except Exception as exc:
        # The pool is where a bad file becomes data: a reader library's unexpected error
        # on one file must not end the batch. The worker's traceback goes to the log.
        log.warning(
            "Unexpected error extracting %s: %r\n%s", path, exc, getattr(exc, "traceback", "")
        )
        return ExtractionError(
            FailureReason.CORRUPT, "The file could not be read; it may be damaged."
        )


def _start_worker(memory_limit: int | None, timeout: float) -> None:
    """Pool initializer: the limits that hold for every file the worker reads."""
    from library.extract import ocr

    ocr.set_time_limit(timeout)
    _limit_memory(memory_limit)


def _limit_memory(limit: int | None) -> None:
    """Cap the worker's address space (inherited by the OCR engine), where the platform can."""
    if limit is None:
        return
    try:
        import resource
    except ImportError:  # Windows
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        # Some platforms refuse an address-space limit; the time limit still applies.
        pass
