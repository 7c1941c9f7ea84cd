"""A keyring for tests that keeps secrets in the process environment, never in a file.

Subprocesses inherit what the test process stored, as a rep's app would find its keyring.
"""

from __future__ import annotations

import hashlib
import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


def _name(service: str, username: str) -> str:
    key = hashlib.sha1(f"{service}\0{username}".encode()).hexdigest()
    return f"PITCHPACK_TEST_SECRET_{key}"


class EnvKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get(_name(service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        os.environ[_name(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if os.environ.pop(_name(service, username), None) is None:
            raise PasswordDeleteError(username)
