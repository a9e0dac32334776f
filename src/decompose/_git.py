"""Read one revision of a git repository into a folder, leaving the repository alone.

``git archive`` streams the revision's tree; nothing is checked out, the working tree, the
index, the refs and the repository's configuration are untouched. Files marked
``export-ignore`` in ``.gitattributes`` are left out, as in any archive of the repository.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import NamedTuple

from decompose.errors import InputError

__all__ = ["Revision", "export_revision"]


class Revision(NamedTuple):
    spec: str  # as the user wrote it: "main", "HEAD~2", "v1.4:src"
    commit: str  # the full commit id ("" when the spec names a tree, not a commit)
    root: Path  # where its tree was written

    @property
    def label(self) -> str:
        return f"{self.spec} ({self.commit[:10]})" if self.commit else self.spec


def export_revision(repo: Path, spec: str, into: Path) -> Revision:
    """Write the tree of revision ``spec`` of the repository at ``repo`` into ``into`` (a
    new or empty folder). ``spec`` is anything git names a tree by, ``REV:path`` included.

    Raises InputError when git is missing, ``repo`` is not a repository, or ``spec`` names
    no tree in it.
    """
    if shutil.which("git") is None:
        raise InputError("git is not installed (or not on PATH): it is needed to read revisions")
    if not spec or spec.startswith("-") or "\n" in spec:
        raise InputError(f"{spec!r} is not a git revision")
    if not Path(repo).is_dir():
        raise InputError(f"{repo} is not a folder")
    inside = _git(repo, "rev-parse", "--is-inside-work-tree", "--git-dir", check=False)
    if inside.returncode != 0:
        raise InputError(f"{repo} is not a git repository")
    tree_spec = spec if ":" in spec else f"{spec}^{{tree}}"
    tree = _git(repo, "rev-parse", "--verify", "--quiet", tree_spec, check=False)
    if tree.returncode != 0 or _git(repo, "cat-file", "-t", tree.stdout.strip()).stdout.strip() != "tree":
        raise InputError(f"{spec!r} is not a revision (or a folder of one) in the git repository {repo}")
    commit_spec = spec.partition(":")[0] or "HEAD"
    commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{commit_spec}^{{commit}}", check=False)
    into.mkdir(parents=True, exist_ok=True)
    _extract(repo, tree.stdout.strip(), into)
    return Revision(spec, commit.stdout.strip() if commit.returncode == 0 else "", into)


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, encoding="utf-8", errors="replace"
    )
    if check and completed.returncode != 0:
        raise InputError(f"git {args[0]} failed in {repo}: {completed.stderr.strip()}")
    return completed


def _extract(repo: Path, tree: str, into: Path) -> None:
    process = subprocess.Popen(
        ["git", "-C", str(repo), "archive", "--format=tar", tree],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
            for member in archive:
                safe = _safe(member, into)
                if safe is not None:
                    archive.extract(safe, into, **_NO_FILTER)
    except tarfile.TarError as error:
        process.kill()
        raise InputError(f"git archive of {tree} in {repo} could not be read: {error}") from None
    finally:
        process.stdout.close()
        stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        if process.stderr:
            process.stderr.close()
        code = process.wait()
    if code != 0:
        raise InputError(f"git archive failed in {repo}: {stderr.strip()}")


# The members are checked by ``_safe`` already; newer Pythons want the filter said.
_NO_FILTER = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}


def _safe(member: tarfile.TarInfo, into: Path) -> tarfile.TarInfo | None:
    """The member if it stays inside ``into`` and is a plain file, folder or inner link;
    git writes nothing else, but the archive is read as untrusted input all the same."""
    data_filter = getattr(tarfile, "data_filter", None)
    if data_filter is not None:
        try:
            return data_filter(member, str(into))
        except tarfile.FilterError:
            return None
    parts = Path(member.name).parts
    if Path(member.name).is_absolute() or ".." in parts:
        return None
    if member.isfile() or member.isdir():
        return member
    return None  # links skipped on Pythons without tarfile's data filter
