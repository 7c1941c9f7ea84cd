"""Real servers for the team tests, on 127.0.0.1 in temporary folders, one per session:
PostgreSQL (Debian's ``postgresql`` binaries) and an S3 server (``moto_server``).

Each test gets a fresh database made from a migrated template and its own bucket.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from keyring_backend import EnvKeyring  # noqa: E402

from library import Library  # noqa: E402
from library.team import Team  # noqa: E402
from library.team.server import Server  # noqa: E402

ADMIN_PASSWORD = "admin-secret"
USERS = {
    "marketer1": ("pitchpack_marketer", "m1-secret"),
    "marketer2": ("pitchpack_marketer", "m2-secret"),
    "rep1": ("pitchpack_rep", "r1-secret"),
    "rep2": ("pitchpack_rep", "r2-secret"),
}
S3_KEY, S3_SECRET = "testkey", "testsecret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bindir() -> Path:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    pytest.fail("PostgreSQL server binaries not found: apt-get install postgresql (.ci/run does)")


def _wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port}")


@dataclass
class Postgres:
    bindir: Path
    root: Path
    port: int

    def _as_owner(self, *cmd: str) -> list[str]:
        # PostgreSQL refuses to run as root: run it as the postgres user then.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *cmd]
        return list(cmd)

    def start(self) -> None:
        subprocess.run(
            self._as_owner(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-l",
                str(self.root / "log"),
                "-w",
                "-o",
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off",
                "start",
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            self._as_owner(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-w",
                "-m",
                "fast",
                "stop",
            ),
            check=True,
            capture_output=True,
        )

    def url(self, user: str = "admin", db: str = "postgres", password: bool = True) -> str:
        secret = ADMIN_PASSWORD if user == "admin" else USERS[user][1]
        auth = f"{user}:{secret}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{db}"


@pytest.fixture(scope="session")
def postgres():
    bindir = _pg_bindir()
    root = Path(tempfile.mkdtemp(prefix="pitchpack-pg-"))
    pwfile = root / "pw"
    pwfile.write_text(ADMIN_PASSWORD)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(pwfile, "postgres")
    pg = Postgres(bindir, root, _free_port())
    subprocess.run(
        pg._as_owner(
            str(bindir / "initdb"),
            "-D",
            str(root / "data"),
            "-U",
            "admin",
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--no-sync",
        ),
        check=True,
        capture_output=True,
    )
    pg.start()
    try:
        _make_template(pg)
        yield pg
    finally:
        try:
            pg.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(root, ignore_errors=True)


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


@dataclass
class S3:
    port: int

    def url(self, bucket: str, secret: bool = True) -> str:
        auth = f"{S3_KEY}:{S3_SECRET}" if secret else S3_KEY
        return f"http://{auth}@127.0.0.1:{self.port}/{bucket}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.port}",
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
            region_name="us-east-1",
        )


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    moto = Path(sys.executable).parent / "moto_server"
    command = [str(moto)] if moto.exists() else [sys.executable, "-m", "moto.server"]
    port = _free_port()
    log = open(tmp_path_factory.mktemp("s3") / "moto.log", "wb")
    proc = subprocess.Popen([*command, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    try:
        _wait_port(port)
        yield S3(port)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


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
