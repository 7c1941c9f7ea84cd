"""The errors Pitchpack's core raises: one hierarchy, messages written for users."""

from __future__ import annotations


class PitchpackError(Exception):
    """Base of every error the core raises on purpose; its message is shown to users."""


class AssetNotFound(PitchpackError):
    def __init__(self, asset_id: int | str) -> None:
        super().__init__(f"No asset with id {asset_id} in this library.")
        self.asset_id = asset_id


class UnknownTerm(PitchpackError):
    """A stage, persona or other taxonomy term that the library does not define."""


class SettingsError(PitchpackError):
    """The settings file cannot be read or written, or a key or value is not valid."""


class InvalidQuery(PitchpackError):
    """A search query that cannot be understood."""


class ExtractionError(PitchpackError):
    """Text could not be extracted from a file; carries a FailureReason."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason

    def __reduce__(self) -> tuple:
        # Extraction runs in worker processes, so errors are pickled back to the app;
        # rebuilding without __init__ works for subclasses with other signatures too.
        return (_rebuild_error, (type(self), self.args, self.__dict__))


def _rebuild_error(cls: type[ExtractionError], args: tuple, state: dict) -> ExtractionError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class UnsupportedFormat(ExtractionError):
    def __init__(self, suffix: str) -> None:
        super().__init__(
            "unsupported",
            f"Files of type '{suffix or 'without extension'}' are not supported "
            "(PDF, DOCX, PPTX, HTML, Markdown and plain text are).",
        )


class CsvImportError(PitchpackError):
    """A metadata spreadsheet that cannot be read."""


class LibraryLocked(PitchpackError):
    """Another process holds the library for writing."""
