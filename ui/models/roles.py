"""Every custom item data role of Pitchpack's models, each with its own number.

One list, so a delegate or a view reading a role from any model reads the same thing:
the asset id is ``AssetIdRole`` in every model that has one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

_USER = Qt.ItemDataRole.UserRole

# Shared by several models.
AssetIdRole = _USER + 1
SortRole = _USER + 2  # the value a proxy sorts on
ChipsRole = _USER + 3  # [(kind, label)] for the chip delegate
TypeRole = _USER + 4  # the content type, for the type icon

# Asset table.
RowRole = _USER + 10
FilterTextRole = _USER + 11

# Search results.
HitRole = _USER + 20
SnippetRole = _USER + 21
PageRole = _USER + 22
MatchRole = _USER + 23  # "text", or "related": listed for its meaning

# Packet items, suggestions and history.
NoteRole = _USER + 30
OutdatedRole = _USER + 31  # a sentence when the asset changed since sending
NumberRole = _USER + 32
ReasonRole = _USER + 33
ScoreRole = _USER + 34
PacketIdRole = _USER + 35
SummaryRole = _USER + 36

# Facet tree and saved searches.
FacetRole = _USER + 40
ValueRole = _USER + 41
CountRole = _USER + 42
ActiveRole = _USER + 43
KindRole = _USER + 44  # "facet", "value" or "more"
SavedSearchRole = _USER + 45

# Usage tables, taxonomy terms, import issues.
WeeksRole = _USER + 50  # a gap's weekly counts, for the sparkline
IntensityRole = _USER + 51  # a heat map cell's share of the largest, 0..1
TermRole = _USER + 52
PathRole = _USER + 53
