"""Real servers for the team tests, on 127.0.0.1 in temporary folders, one per session:
PostgreSQL (Debian's ``postgresql`` binaries) and an S3 server (``moto_server``).

Each test gets a fresh database made from a migrated template and its own bucket.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from keyring_backend import EnvKeyring  # noqa: E402
from servers import (  # noqa: E402
    USERS,
    Postgres,
    start_postgres,
    start_s3,
    stop_postgres,
)

from library import Library  # noqa: E402
from library.team import Team  # noqa: E402
from library.team.server import Server  # noqa: E402


@pytest.fixture(scope="session")
def postgres():
    pg = start_postgres()
    try:
        _make_template(pg)
        yield pg
    finally:
        stop_postgres(pg)


def _make_template(pg: Postgres) -> None:
    import psycopg

    from library.team.server import migrate

    with psycopg.connect(pg.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE team_template")
    migrate(pg.url(db="team_template"))
    with psycopg.connect(pg.url(), autocommit=True) as conn:
        for user, (group, password) in USERS.items():
            conn.execute(f"CREATE ROLE {user} LOGIN PASSWORD '{password}' IN ROLE {group}")


_numbers = itertools.count(1)


@pytest.fixture
def team_db(postgres):
    """A fresh team database (schema and grants applied); yields its name."""
    import psycopg

    name = f"team_{next(_numbers)}"
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE team_template")
    yield name


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    server, proc = start_s3(tmp_path_factory.mktemp("s3") / "moto.log")
    try:
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=10)


_buckets = itertools.count(1)


@pytest.fixture
def bucket(s3):
    name = f"team-{next(_buckets)}"
    return name


@pytest.fixture(autouse=True, scope="session")
def _test_keyring():
    """Secrets live in this process's environment (inherited by subprocesses), never in files."""
    import keyring

    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring_backend.EnvKeyring"
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(HERE)])
    keyring.set_keyring(EnvKeyring())
    yield


def run_cli(
    folder: Path, *args: str, timeout: float = 120, check: bool = True
) -> subprocess.CompletedProcess:
    """Run ``main.py --library folder ARGS`` as its own process, as a rep's machine would."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--library", str(folder), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def spawn_cli(folder: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--library", str(folder), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


STATUS_KEYS = {"role", "library_version", "last_publish", "last_pull", "outbox", "files_missing"}


@pytest.fixture(scope="session")
def marketer_template(tmp_path_factory, mixed_folder_template):
    folder = tmp_path_factory.mktemp("marketer")
    with Library(folder / "lib", workers=1) as lib:
        lib.add_paths([mixed_folder_template])
        assert lib.assets.ids(state="ok")
    return folder / "lib"


@pytest.fixture
def marketer(tmp_path, marketer_template) -> Path:
    folder = tmp_path / "marketer"
    shutil.copytree(marketer_template, folder)
    return folder


@dataclass
class TeamHarness:
    postgres: object
    s3: object
    db: str
    bucket: str

    def connect(self, folder: Path, user: str, role: str) -> None:
        with Library(folder) as lib:
            self.connect_lib(lib, user, role)

    def connect_lib(self, lib: Library, user: str, role: str) -> Team:
        return Team.connect(lib, self.s3.url(self.bucket), role, self.postgres.url(user, self.db))

    def admin(self):
        return psycopg.connect(self.postgres.url(db=self.db), autocommit=True)

    def server(self, user: str) -> Server:
        return Server(self.postgres.url(user, self.db, password=False), USERS[user][1])


@pytest.fixture
def runner(qtbot):
    """The app's task runner (real worker threads), for the team tests of the app."""
    from ui.tasks import TaskRunner

    task_runner = TaskRunner()
    yield task_runner
    assert task_runner.shutdown()


@pytest.fixture
def team(postgres, s3, team_db, bucket) -> TeamHarness:
    return TeamHarness(postgres, s3, team_db, bucket)


def status(folder: Path) -> dict:
    """``team status --json`` of a library (the CLI's own output is checked in a few tests)."""
    with Library(folder) as lib:
        return json.loads(json.dumps(Team(lib).status()))


def search_ids(folder: Path, text: str) -> set[int]:
    from search import SearchQuery

    with Library(folder) as lib:
        result = lib.search(
            SearchQuery(text=text, limit=500, include_hidden=True, as_you_type=False)
        )
        return {h.id for h in result.hits}


def wait_for(check, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
