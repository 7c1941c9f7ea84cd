"""Real PostgreSQL and S3 servers on 127.0.0.1 in temporary folders, for the team tests
and the team benchmark: Debian's ``postgresql`` binaries and moto's ``moto_server``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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
    raise RuntimeError(
        "PostgreSQL server binaries not found: apt-get install postgresql (.ci/run does)"
    )


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


def start_postgres() -> Postgres:
    """initdb a cluster in a temporary folder and start it; ``stop_postgres`` removes it."""
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
    return pg


def stop_postgres(pg: Postgres) -> None:
    try:
        pg.stop()
    except subprocess.CalledProcessError:
        pass
    shutil.rmtree(pg.root, ignore_errors=True)


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


def start_s3(log_path: Path) -> tuple[S3, subprocess.Popen]:
    moto = Path(sys.executable).parent / "moto_server"
    command = [str(moto)] if moto.exists() else [sys.executable, "-m", "moto.server"]
    port = _free_port()
    log = open(log_path, "wb")
    proc = subprocess.Popen([*command, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    log.close()
    _wait_port(port)
    return S3(port), proc


def asset_data(asset_id: int, title: str, stage: str = "Awareness", words: int = 3) -> dict:
    """A published asset's data, as a marketer's publish sends it, without a file."""
    from library.team.local import DATA_FIELDS

    data = {f: "" for f in DATA_FIELDS}
    data.update(
        title=title,
        content_type="white paper",
        status="approved",
        created="2026-01-01T00:00:00+00:00",
        updated="2026-01-01T00:00:00+00:00",
        expires=None,
        page_count=1,
        paged=False,
        word_count=words,
        language=None,
        content_hash=f"{asset_id:064x}",
        size=10,
        truncated=False,
        file_name=f"asset-{asset_id}.txt",
        terms={"stage": [stage]},
        versions=[],
    )
    return data
