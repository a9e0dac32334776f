"""What the user must hear of about the input: a file skipped, a parse failure."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Diagnostic", "Severity"]


class Severity(str, enum.Enum):
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """Something about the input the user must hear of: a file skipped, a parse failure."""

    path: str  # relative to the analysed root, POSIX separators
    code: str  # stable, machine-readable: "syntax-error", "symlink-loop", ...
    message: str
    line: int | None = None
    severity: Severity = Severity.WARNING
