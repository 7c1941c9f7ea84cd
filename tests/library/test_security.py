"""Security checks: paths from spreadsheets stay in their folder, and an SMTP password used
for a real send ends up in no file of the library, no log line and no output."""

from __future__ import annotations

import base64
import logging
import os
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from library import Library, PitchpackError
from library.csv_import import resolve_row_path
from library.packets import RepSettings
from library.packets.mail import PASSWORD_ENV
from main import main

SECRET = "Sw0rdfish-never-stored"


# -- spreadsheet paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["../outside.pdf", "sub/../../outside.pdf", "../../../../etc/passwd", "link/x.pdf"]
)
def test_csv_paths_cannot_climb_out_of_their_folder(tmp_path: Path, value: str) -> None:
    base = tmp_path / "sheets"
    (base / "sub").mkdir(parents=True)
    os.symlink(tmp_path, base / "link")  # a link that leads out is no way out either
    with pytest.raises(PitchpackError, match="outside the spreadsheet's folder"):
        resolve_row_path(value, base)


def test_csv_paths_inside_or_absolute_are_taken_as_written(tmp_path: Path) -> None:
    base = tmp_path / "sheets"
    base.mkdir()
    assert resolve_row_path("sub/deck.pptx", base) == (base / "sub" / "deck.pptx").resolve()
    assert resolve_row_path(str(tmp_path / "x.pdf"), base) == tmp_path / "x.pdf"


def test_a_spreadsheet_row_that_climbs_out_adds_nothing(library: Library, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("Outside the folder.\n", encoding="utf-8")
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    (sheets / "ok.txt").write_text("Inside the folder.\n", encoding="utf-8")
    sheet = sheets / "meta.csv"
    sheet.write_text("path,title\nok.txt,Fine\n../secret.txt,Stolen\n", encoding="utf-8")
    report = library.import_csv(sheet)
    assert [Path(a.path).name for a in library.assets.all()] == ["ok.txt"]
    assert report.errors == ["row 3: '../secret.txt' points outside the spreadsheet's folder."]


# -- the SMTP password ---------------------------------------------------------------------


class LoginInbox:
    """Accepts mail after a login with the one right password."""

    def __init__(self) -> None:
        self.logins: list[bool] = []
        self.messages = 0

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = auth_data.login == b"dana" and auth_data.password == SECRET.encode()
        self.logins.append(ok)
        return AuthResult(success=ok)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages += 1
        return "250 Accepted"


@pytest.fixture
def smtp_with_login():
    inbox = LoginInbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox,
        auth_require_tls=False,  # loopback only: the app allows plain login there alone
    )
    controller.start()
    yield inbox, port
    controller.stop()


def test_no_secret_in_library_files_logs_or_output(
    tmp_path, mixed_folder, smtp_with_login, monkeypatch, capsys, caplog
) -> None:
    inbox, port = smtp_with_login
    lib_dir = tmp_path / "lib"
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    caplog.set_level(logging.DEBUG)
    assert main(["--library", str(lib_dir), "add", str(mixed_folder)]) == 0
    with Library(lib_dir) as lib:
        settings = RepSettings(rep_name="Dana Rep", rep_email="dana@harborline.example")
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        settings.smtp_security, settings.smtp_user = "none", "dana"
        lib.packets.settings.save(settings)
        asset_ids = [str(i) for i in lib.assets.ids(state="ok")[:2]]
    person = ["--first-name", "Ana", "--last-name", "Lima", "--email", "ana@acme.example"]
    person += ["--company", "Acme", "--role", "CFO", "--persona", "CFO", "--stage", "Decision"]
    assert main(["--library", str(lib_dir), "packet", "new", *person]) == 0
    packet_id = capsys.readouterr().out.split()[-1]
    assert main(["--library", str(lib_dir), "packet", "add", packet_id, *asset_ids]) == 0
    assert main(["--debug", "--library", str(lib_dir), "packet", "send", packet_id]) == 0
    assert inbox.logins == [True] and inbox.messages == 1
    eml = tmp_path / "draft.eml"
    assert main(["--library", str(lib_dir), "packet", "email", packet_id, "--eml", str(eml)]) == 0
    with Library(lib_dir) as lib:  # saving settings again never writes a password
        lib.packets.settings.save(lib.packets.settings.load())

    forms = [SECRET.encode(), SECRET.encode("utf-16-le")]
    forms += [base64.b64encode(f"\0dana\0{SECRET}".encode()), base64.b64encode(SECRET.encode())]
    holders = [p for p in lib_dir.rglob("*") if p.is_file()] + [eml]
    assert any(p.name == "settings.json" for p in holders)
    for path in holders:
        data = path.read_bytes()
        assert not any(form in data for form in forms), f"the password is in {path}"
    output = capsys.readouterr()
    app_logs = [
        r.getMessage()
        for r in caplog.records
        if r.name.split(".")[0] in ("library", "search", "main", "root")
    ]
    for text in (output.out, output.err, *app_logs):
        assert not any(form.decode("latin-1") in text for form in forms)
