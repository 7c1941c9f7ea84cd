"""Files stored once by content hash (``sha256/<hash>``), in an S3-compatible store or a
shared folder; every download is checked against its hash before it is kept."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from library.team.errors import FileMismatch, ServerUnavailable, TeamError

CHUNK = 1 << 20


def key_of(content_hash: str) -> str:
    return f"sha256/{content_hash}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _download(content_hash: str, target: Path, fetch) -> None:
    """``fetch(key, temp)`` writes the stored bytes to ``temp``; they are kept at ``target``
    only if they hash to ``content_hash``, so a reader never sees a wrong or partial file."""
    key = key_of(content_hash)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.part")
    fetch(key, temp)
    actual = sha256_file(temp)
    if actual != content_hash:
        temp.unlink(missing_ok=True)
        raise FileMismatch(key, actual)
    os.replace(temp, target)


class FolderFiles:
    """``<folder>/files/sha256/<hash>`` on a shared folder; written under a temporary name,
    then renamed, so a reader never sees half a file."""

    def __init__(self, folder: Path) -> None:
        self.root = Path(folder) / "files"

    def has(self, content_hash: str) -> bool:
        return (self.root / key_of(content_hash)).exists()

    def put(self, content_hash: str, source: Path) -> bool:
        """Store ``source`` unless present; True when it was copied."""
        target = self.root / key_of(content_hash)
        if target.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, temp)
        os.replace(temp, target)
        return True

    def get(self, content_hash: str, target: Path) -> None:
        def fetch(key: str, temp: Path) -> None:
            try:
                shutil.copyfile(self.root / key, temp)
            except FileNotFoundError:
                raise TeamError(f"The shared folder has no {key} yet; publish again.") from None

        _download(content_hash, target, fetch)


class S3Files:
    """An S3-compatible bucket, reached with boto3. ``url`` is ``http(s)://KEY@host/bucket``
    (the secret key comes separately, from the keyring)."""

    def __init__(self, url: str, secret: str | None) -> None:
        import boto3
        from botocore.config import Config

        parts = urlsplit(url)
        self.bucket = parts.path.strip("/").split("/")[0]
        if not self.bucket:
            raise TeamError(f"The store URL {url} names no bucket; write it as http://host/bucket.")
        endpoint = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=parts.username or "pitchpack",
            aws_secret_access_key=secret or "",
            region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
            config=Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 2}),
        )

    def _call(self, method, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

        try:
            return method(Bucket=self.bucket, **kwargs)
        except ClientError:
            raise
        except (EndpointConnectionError, BotoCoreError) as exc:
            raise ServerUnavailable(f"The file store cannot be reached: {exc}") from None

    def ensure_bucket(self) -> None:
        from botocore.exceptions import ClientError

        try:
            self._call(self.client.head_bucket)
        except ClientError:
            self._call(self.client.create_bucket)

    def has(self, content_hash: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._call(self.client.head_object, Key=key_of(content_hash))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise TeamError(f"The file store refused a request: {exc}") from None

    def put(self, content_hash: str, source: Path) -> bool:
        if self.has(content_hash):
            return False
        with open(source, "rb") as body:
            self._call(self.client.put_object, Key=key_of(content_hash), Body=body)
        return True

    def get(self, content_hash: str, target: Path) -> None:
        from botocore.exceptions import ClientError

        def fetch(key: str, temp: Path) -> None:
            try:
                response = self._call(self.client.get_object, Key=key)
            except ClientError as exc:
                raise TeamError(f"The file store has no {key}: {exc}") from None
            with open(temp, "wb") as out:
                for block in response["Body"].iter_chunks(CHUNK):
                    out.write(block)

        _download(content_hash, target, fetch)
