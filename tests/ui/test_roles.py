"""One list of item data roles: a role means the same thing in every model."""

from __future__ import annotations

import importlib
import pkgutil

import ui.models
from ui.models import roles


def _roles(module) -> dict[str, int]:
    return {name: int(value) for name, value in vars(module).items() if name.endswith("Role")}


def test_every_role_has_its_own_number():
    declared = _roles(roles)
    assert len(declared) >= 25
    assert len(set(declared.values())) == len(declared)


def test_models_use_the_shared_roles():
    shared = _roles(roles)
    for info in pkgutil.iter_modules(ui.models.__path__):
        module = importlib.import_module(f"ui.models.{info.name}")
        for name, value in _roles(module).items():
            assert shared.get(name) == value, f"ui.models.{info.name} declares its own {name}"
