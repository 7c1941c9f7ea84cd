"""Team settings: URLs are stored without their secrets; bad input gets a clear message."""

from __future__ import annotations

import pytest

from library import Library
from library.team import NotConnected, Team, TeamError
from library.team.settings import split_secret


@pytest.mark.parametrize(
    ("url", "bare", "secret"),
    [
        (
            "postgresql://dana:pw@db.example:5432/team",
            "postgresql://dana@db.example:5432/team",
            "pw",
        ),
        ("postgresql://dana:p%40ss%3Aw@db/team", "postgresql://dana@db/team", "p@ss:w"),
        ("postgresql://dana@db/team", "postgresql://dana@db/team", None),
        ("http://KEY:SECRET@127.0.0.1:9000/bucket", "http://KEY@127.0.0.1:9000/bucket", "SECRET"),
        ("postgresql://dana:pw@[::1]:5432/team", "postgresql://dana@[::1]:5432/team", "pw"),
    ],
)
def test_split_secret(url, bare, secret):
    assert split_secret(url) == (bare, secret)


def test_connect_refuses_what_cannot_work(tmp_path):
    with Library(tmp_path / "lib") as lib:
        with pytest.raises(NotConnected, match="team connect"):
            Team(lib)
        with pytest.raises(TeamError, match="marketer or rep"):
            Team.connect(lib, str(tmp_path), "boss")
        with pytest.raises(TeamError, match="must be an S3 URL"):
            Team.connect(lib, str(tmp_path), "rep", "postgresql://u:p@h/db")
        with pytest.raises(TeamError, match="must be a folder"):
            Team.connect(lib, "http://h/bucket", "rep")
        with pytest.raises(TeamError, match="does not exist"):
            Team.connect(lib, str(tmp_path / "nowhere"), "rep")


def test_status_without_a_team_is_one_line_and_exit_1(tmp_path, capsys):
    from main import main

    assert main(["--library", str(tmp_path / "lib"), "team", "status", "--json"]) == 1
    assert "not connected" in capsys.readouterr().err
