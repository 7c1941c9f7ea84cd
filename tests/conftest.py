"""Shared fixtures: fresh libraries, real documents of every format, the sample library."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from documents import make_mixed_folder  # noqa: E402

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
