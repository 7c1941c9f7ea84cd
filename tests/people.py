"""The rep and the prospect the packet tests share: who sends, and to whom."""

from __future__ import annotations

from library.packets import Prospect, RepSettings

REP = RepSettings(
    rep_name="Priya Raman",
    rep_title="Senior Account Executive",
    rep_email="priya.raman@harborline.example",
    rep_company="Harborline Data",
)
JANE = Prospect(
    "Jane", "Doe", "jane@acme.example", "Acme Corp", "Chief Financial Officer", "CFO", "Decision"
)
