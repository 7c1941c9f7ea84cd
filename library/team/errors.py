"""The errors team sync raises; messages say what happened and what to do."""

from __future__ import annotations

from library.errors import PitchpackError


class TeamError(PitchpackError):
    """A team library operation that cannot be done as asked."""


class NotConnected(TeamError):
    def __init__(self) -> None:
        super().__init__(
            "This library is not connected to a team library; run "
            "'pitchpack team connect DB_URL --store URL --role marketer|rep' first."
        )


class ServerUnavailable(TeamError):
    """The database or file store cannot be reached; the local copy keeps working."""


class PublishConflict(TeamError):
    """Another marketer published a change to an asset this marketer also changed."""

    def __init__(self, conflicts: list[tuple[int, str, int | None, int]]) -> None:
        self.conflicts = conflicts
        lines = [
            f"  asset {asset_id} '{title}': published as version {theirs} by another marketer, "
            f"your edit was based on {'nothing (a new asset)' if base is None else f'version {base}'}"
            for asset_id, title, base, theirs in conflicts
        ]
        super().__init__(
            "Nothing was published: another marketer changed the same assets first.\n"
            + "\n".join(lines)
            + "\nYour edits are kept in this library. Run 'pitchpack team pull' to take their "
            "version (yours is saved beside the library, in team/kept/), then edit and publish again."
        )


class FileMismatch(TeamError):
    """A downloaded file whose bytes do not match the hash it is stored under."""

    def __init__(self, key: str, actual: str) -> None:
        super().__init__(
            f"The file store's {key} holds bytes whose SHA-256 is {actual}: refused. "
            "Ask a marketer to publish the asset again."
        )
        self.key = key
