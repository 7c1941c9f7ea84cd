"""Extraction in supervised worker processes, so one hostile file cannot hang or crash the app."""

from __future__ import annotations

import logging
import multiprocessing
import os
import struct
import tempfile
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
# Files queued per worker: enough that workers keep reading while the app stores a batch
# (storing a batch of ten-page PDFs takes about as long as a worker reading thirty).
IN_FLIGHT_PER_WORKER = 32
# A group of small files counts as this many in that queue: eight groups per worker.
GROUP_WEIGHT = 4
# Small text files are sent to a worker many at a time: one round trip per 3 KB file
# cost more than reading it. Office files, PDFs and big text files go one at a time.
GROUPED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm"})
GROUP_MAX_FILE = 256 * 1024
GROUP_FILES = 48
GROUP_BYTES = 2 * 1024 * 1024

Target = Callable[..., Extracted]
Then = Callable[[Path, Extracted], Extracted]
Outcome = tuple[Path, Extracted | ExtractionError]


class ExtractionPool:
    """Runs `extract_file` in worker processes with a time and memory limit per file.

    Use as a context manager. `map` may be called from any thread: workers are started
    with "spawn", never forked from a process that has threads.

    :param workers: number of processes; by default one per CPU, at most 4 (the app's own
        process mostly waits on them, or stores what they read).
    :param timeout: seconds a file may take before its worker is killed ("timed_out").
    :param max_chars: passed to `extract_file`.
    :param memory_limit: address-space limit per worker in bytes, where the platform
        allows one; ``None`` for no limit.
    :param target: the function run per file, called as ``target(path, max_chars=...)``;
        it must be importable by name (a module-level function). For tests.
    :param then: run in the worker on what ``target`` read, as ``then(path, extracted)``,
        under the same limits; a module-level function or a ``functools.partial`` of one.
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
        then: Then | None = None,
    ) -> None:
        self.workers = workers or max(1, min(4, os.cpu_count() or 2))
        self.timeout = timeout
        self.max_chars = max_chars
        self._target = target
        self._then = then
        self._pool = ProcessPool(
            max_workers=self.workers,
            max_tasks=max_tasks,
            initializer=_start_worker,
            initargs=(memory_limit, timeout),
            context=multiprocessing.get_context("spawn"),
        )
        self._marks: tempfile._TemporaryFileWrapper | None = None
        self._slot = 0

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

        A failed file is an outcome, not an exception: the batch always goes on. Small
        text files travel to a worker in groups; when a worker dies or runs out of time
        inside a group, the file it was reading takes the blame and the rest are read
        again. At most ``max_queued`` files are taken from ``paths`` ahead of their
        results, so paths may be a lazy iterable. Leaving the loop early cancels the
        files not yet started.
        """
        tasks = _tasks(paths)
        in_flight: dict[Future, _Task] = {}
        retry: list[_Task] = []
        limit = IN_FLIGHT_PER_WORKER * self.workers
        queued = 0
        try:
            while True:
                while queued < limit:
                    task = retry.pop() if retry else next(tasks, None)
                    if task is None:
                        break
                    in_flight[self._submit(task)] = task
                    queued += task.weight
                if not in_flight:
                    return
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    task = in_flight.pop(future)
                    queued -= task.weight
                    if len(task.paths) == 1:
                        yield task.paths[0], _outcome(task.paths[0], future)
                        continue
                    failure = future.exception()
                    if failure is None:
                        yield from zip(task.paths, future.result(), strict=True)
                        continue
                    position = self._progress(task)
                    if position < 0:  # stopped before its first file: nobody to blame
                        retry.extend(_Task([p]) for p in task.paths)
                        continue
                    culprit = task.paths[position]
                    if isinstance(failure, TimeoutError) and position > 0:
                        # The files before it used part of its time: it gets a try alone.
                        retry.append(_Task([culprit]))
                    else:
                        yield culprit, _outcome(culprit, future)
                    if rest := task.paths[:position] + task.paths[position + 1 :]:
                        retry.append(_Task(rest))
        finally:
            for future in in_flight:
                future.cancel()

    @property
    def max_queued(self) -> int:
        """How many files ``map`` may take from its input ahead of their results."""
        return IN_FLIGHT_PER_WORKER * self.workers // GROUP_WEIGHT * GROUP_FILES

    def close(self) -> None:
        """Stop the workers; a file still being read is abandoned."""
        self._pool.stop()
        self._pool.join()
        if self._marks is not None:
            self._marks.close()
            os.unlink(self._marks.name)
            self._marks = None

    def _submit(self, task: _Task) -> Future:
        if len(task.paths) == 1:
            return self._pool.schedule(
                _extract_one,
                args=(self._target, self._then, Path(task.paths[0]), self.max_chars),
                timeout=self.timeout,
            )
        if self._marks is None:
            self._marks = tempfile.NamedTemporaryFile(prefix="pitchpack-marks-", delete=False)
        self._slot = task.slot = (self._slot + 1) % MARK_SLOTS
        _write_mark(self._marks.fileno(), task.slot, -1)
        return self._pool.schedule(
            _extract_group,
            args=(
                self._target,
                self._then,
                task.paths,
                self.max_chars,
                self._marks.name,
                task.slot,
            ),
            timeout=self.timeout,
        )

    def _progress(self, task: _Task) -> int:
        """Which file of a group its worker was reading when it stopped."""
        fd = self._marks.fileno()
        os.lseek(fd, task.slot * 4, os.SEEK_SET)
        (position,) = struct.unpack("<i", os.read(fd, 4))
        return min(position, len(task.paths) - 1)


# A group's worker writes the position of the file it is reading into the group's slot of
# a small file, so that a group cut short can be blamed on one file. Slots are reused
# round-robin; far more than the groups ever in flight.
MARK_SLOTS = 4096


def _write_mark(fd: int, slot: int, position: int) -> None:
    # Seek and write rather than pwrite, which Windows lacks; each process has its own fd.
    os.lseek(fd, slot * 4, os.SEEK_SET)
    os.write(fd, struct.pack("<i", position))


class _Task:
    __slots__ = ("paths", "slot")

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.slot = -1

    @property
    def weight(self) -> int:
        return 1 if len(self.paths) == 1 else GROUP_WEIGHT


def _tasks(paths: Iterable[Path]) -> Iterator[_Task]:
    """Group small text files; everything else is a task of its own."""
    group: list[Path] = []
    size = 0
    for path in paths:
        path = Path(path)
        try:
            length = path.stat().st_size if path.suffix.lower() in GROUPED_SUFFIXES else -1
        except OSError:
            length = -1  # the reader reports why, with its own message
        if not 0 <= length <= GROUP_MAX_FILE:
            yield _Task([path])
            continue
        group.append(path)
        size += length
        if len(group) >= GROUP_FILES or size >= GROUP_BYTES:
            yield _Task(group)
            group, size = [], 0
    if group:
        yield _Task(group)


def _extract_one(target: Target, then: Then | None, path: Path, max_chars: int) -> Extracted:
    extracted = target(path, max_chars=max_chars)
    return then(path, extracted) if then is not None else extracted


def _extract_group(
    target: Target, then: Then | None, paths: list[Path], max_chars: int, marks: str, slot: int
) -> list[Extracted | ExtractionError]:
    """Worker side of a group: each file's outcome, in order; a file's error is its outcome."""
    results: list[Extracted | ExtractionError] = []
    fd = os.open(marks, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    try:
        for position, path in enumerate(paths):
            _write_mark(fd, slot, position)
            try:
                results.append(_extract_one(target, then, path, max_chars))
            except ExtractionError as exc:
                results.append(exc)
            except MemoryError:
                results.append(_too_large())
            except Exception as exc:
                log.warning("Unexpected error extracting %s: %r", path, exc, exc_info=True)
                results.append(_damaged())
    finally:
        os.close(fd)
    return results


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
        return _too_large()
    except Exception as exc:
        # The pool is where a bad file becomes data: a reader library's unexpected error
        # on one file must not end the batch. The worker's traceback goes to the log.
        log.warning(
            "Unexpected error extracting %s: %r\n%s", path, exc, getattr(exc, "traceback", "")
        )
        return _damaged()


def _too_large() -> ExtractionError:
    return ExtractionError(
        FailureReason.TOO_LARGE,
        "The file needs more memory to read than Pitchpack allows; it may be damaged.",
    )


def _damaged() -> ExtractionError:
    return ExtractionError(FailureReason.CORRUPT, "The file could not be read; it may be damaged.")


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
