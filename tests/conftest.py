"""Shared fixtures: fresh libraries, real documents of every format, the sample library, the
rep's settings, usage histories and a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import usage_oracle  # noqa: E402
from documents import make_mixed_folder  # noqa: E402
from people import REP  # noqa: E402
from smtp import Inbox, free_port  # noqa: E402

from library import Library  # noqa: E402


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "library", workers=1)
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def mixed_folder_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    make_mixed_folder(folder)
    return folder


@pytest.fixture
def mixed_folder(tmp_path: Path, mixed_folder_template: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(mixed_folder_template, folder)
    return folder


@pytest.fixture(scope="session")
def sample_library_template(tmp_path_factory) -> Path:
    """A library folder with the sample library loaded, built once per test session."""
    from library.sample import load_sample_library

    folder = tmp_path_factory.mktemp("sample-library")
    with Library(folder) as lib:
        load_sample_library(lib)
        lib.embeddings.run()  # as the app does in the background after loading it
    return folder


@pytest.fixture
def sample_library(tmp_path: Path, sample_library_template: Path):
    folder = tmp_path / "sample-library"
    shutil.copytree(sample_library_template, folder)
    lib = Library(folder, workers=1)
    yield lib
    lib.close()


@pytest.fixture
def rep_settings(monkeypatch):
    """Stores the sample rep's details (sender, signature) in a library: ``rep_settings(lib)``.

    No SMTP password comes from the environment, so tests see what a fresh machine sees.
    """
    from library.packets.mail import PASSWORD_ENV

    monkeypatch.delenv(PASSWORD_ENV, raising=False)

    def store(lib: Library) -> Library:
        lib.save_rep_settings(REP)
        return lib

    return store


@pytest.fixture(scope="session")
def usage_history(tmp_path_factory, sample_library_template):
    """``usage_history(seed)``: a folder holding the sample library with a generated history
    of several reps stored (see ``usage_oracle.make_history``), and its events. Built once per
    seed and session; copy the folder before changing it."""
    made: dict[int, tuple[Path, list]] = {}

    def make(seed: int = 5) -> tuple[Path, list]:
        if seed not in made:
            folder = tmp_path_factory.mktemp(f"history-{seed}") / "library"
            shutil.copytree(sample_library_template, folder)
            with Library(folder, rep="tester") as lib:
                events = usage_oracle.make_history(lib, seed=seed)
                assert lib.add_usage_events(events) == len(events)
            made[seed] = (folder, events)
        return made[seed]

    return make


@pytest.fixture
def smtp_server():
    """Start real SMTP servers on 127.0.0.1: ``smtp_server(Inbox())`` returns the SmtpConfig
    of one serving that handler; all are stopped after the test."""
    from aiosmtpd.controller import Controller

    from library.packets import SmtpConfig

    controllers = []

    def start(handler: Inbox | None = None) -> SmtpConfig:
        controller = Controller(handler or Inbox(), hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        return SmtpConfig("127.0.0.1", controller.port, security="none", timeout=10)

    yield start
    for controller in controllers:
        controller.stop()
