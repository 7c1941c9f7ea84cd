"""Team library: marketers publish to PostgreSQL and an S3-compatible store (or a shared
folder), reps pull a local copy and work offline, usage events pool exactly once.

psycopg and boto3 are used only inside this package.
"""

from library.team.errors import (
    FileMismatch,
    NotConnected,
    PublishConflict,
    ServerUnavailable,
    TeamError,
)
from library.team.news import PullNews
from library.team.sync import PublishReport, PullReport, Team, team_role, team_status

__all__ = [
    "FileMismatch",
    "NotConnected",
    "PublishConflict",
    "PublishReport",
    "PullNews",
    "PullReport",
    "ServerUnavailable",
    "Team",
    "TeamError",
    "team_role",
    "team_status",
]
