"""ui/tasks.py: results and failures reach the GUI thread, inline and on real threads."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from library.errors import PitchpackError
from library.progress import Progress
from ui import tasks


def test_inline_success_is_delivered_before_run_returns(inline_runner):
    got = []
    task = inline_runner.run(lambda: 6 * 7, on_success=got.append)
    assert got == [42]
    assert task.is_finished
    assert inline_runner.active == 0


def test_inline_failure_goes_to_on_failure(inline_runner):
    errors = []
    inline_runner.run(
        lambda: 1 / 0,
        on_success=lambda _: pytest.fail("no result expected"),
        on_failure=errors.append,
    )
    assert isinstance(errors[0], ZeroDivisionError)


def test_failure_is_shown_with_show_error_by_default(inline_runner, monkeypatch):
    shown = []
    monkeypatch.setattr(tasks, "show_error", lambda parent, exc: shown.append(exc))
    runner = inline_runner

    def fail():
        raise PitchpackError("That folder is not there.")

    runner.run(fail)
    assert [str(e) for e in shown] == ["That folder is not there."]


def test_hooks_receive_progress_and_cancel(inline_runner):
    seen: list[Progress] = []

    def work(progress, cancel: threading.Event):
        progress(Progress("reading", 1, 2, "a.pdf"))
        progress(Progress("reading", 2, 2, "b.pdf"))
        return cancel.is_set()

    task = inline_runner.run(work, hooks=True, on_progress=seen.append)
    assert [p.done for p in seen] == [1, 2]
    assert not task.cancelled


def test_progress_is_throttled_but_keeps_the_last_step(inline_runner):
    seen: list[Progress] = []

    def work(progress, cancel):
        for n in range(1, 1001):
            progress(Progress("scanning", n, 1000))

    inline_runner.run(work, hooks=True, on_progress=seen.append)
    assert 1 <= len(seen) < 100
    assert seen[-1].done == 1000


def test_write_pool_and_read_pool_are_used_as_asked(inline_runner):
    runner, reads, writes = inline_runner, inline_runner.reads, inline_runner.writes
    runner.run(lambda: None)
    runner.run(lambda: None, write=True)
    runner.run(lambda: None, write=True)
    assert (reads.started, writes.started) == (1, 2)


def test_real_thread_delivers_on_the_gui_thread(qtbot, runner):
    worker_threads, delivery_threads = [], []

    def work():
        worker_threads.append(QThread.currentThread())
        return "done"

    task = runner.run(work, on_success=lambda _: delivery_threads.append(QThread.currentThread()))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        pass
    assert blocker.args == ["done"]
    qtbot.waitUntil(lambda: bool(delivery_threads))
    assert worker_threads[0] is not qtbot_main_thread()
    assert delivery_threads[0] is qtbot_main_thread()


def qtbot_main_thread():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance().thread()


def test_real_failure_signal(qtbot, runner):
    task = runner.run(lambda: {}["missing"], on_failure=lambda exc: None)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], KeyError)


def test_real_cancel_reaches_the_callable(qtbot, runner):
    started = threading.Event()

    def work(progress, cancel: threading.Event):
        started.set()
        return cancel.wait(10)  # returns True as soon as the GUI cancels

    task = runner.run(work, hooks=True, write=True)
    assert started.wait(5)
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        task.cancel()
    assert blocker.args == [True]


def test_real_writes_run_in_order(qtbot, runner):
    order: list[int] = []
    tasks_ = [runner.run(lambda n=n: order.append(n), write=True) for n in range(8)]
    qtbot.waitUntil(lambda: all(t.is_finished for t in tasks_), timeout=5000)
    assert order == list(range(8))
