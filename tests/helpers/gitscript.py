"""Git repositories scripted by a test: commits with fixed authors, e-mails and dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

__all__ = ["T0", "HOUR", "DAY", "ANN", "BOB", "Scripted"]

T0 = 1_700_000_000  # 2023-11-14 22:13:20 UTC
HOUR, DAY = 3_600, 86_400
ANN = ("Ann Author", "ann@example.com")
BOB = ("Bob Builder", "bob@example.com")


class Scripted:
    """A repository whose commits are written by the test, with fixed identities and dates."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.clock = T0
        self.lines: dict[str, int] = {}
        self.git("init", "-q", "--initial-branch=main")

    def git(self, *args: str | bytes, author=ANN, when: int | None = None) -> str:
        moment = f"{when if when is not None else self.clock} +0000"
        env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_DATE": moment,
            "GIT_COMMITTER_DATE": moment,
        }
        identity = ["-c", b"user.name=" + _bytes(author[0]), "-c", b"user.email=" + _bytes(author[1])]
        command = ["git", "-C", str(self.path), *identity, "-c", "commit.gpgsign=false", *args]
        done = subprocess.run(command, capture_output=True, env=env)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        return done.stdout.decode("utf-8", "replace").strip()

    def commit(self, *paths: str, author=ANN, when: int | None = None, delete: tuple[str, ...] = ()) -> str:
        """Add a line to each of ``paths`` (creating them) and commit; return the commit id."""
        for relative in paths:
            file = self.path / relative
            file.parent.mkdir(parents=True, exist_ok=True)
            self.lines[relative] = self.lines.get(relative, 0) + 1
            with file.open("a", encoding="utf-8") as handle:
                handle.write(f"line_{self.lines[relative]} = {relative!r}\n")  # one blob per file
        for relative in delete:
            (self.path / relative).unlink()
        self.git("add", "-A")
        self.clock = when if when is not None else self.clock + HOUR
        self.git("commit", "-q", "--allow-empty", "-m", "change", author=author)
        return self.git("rev-parse", "HEAD")

    def rename(self, old: str, new: str) -> str:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)
        self.lines[new] = self.lines.pop(old, 0)
        self.clock += HOUR
        self.git("commit", "-q", "-m", f"move {old}")
        return self.git("rev-parse", "HEAD")

    def ids(self) -> list[str]:
        return self.git("rev-list", "--no-merges", "HEAD").split()


def _bytes(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")
