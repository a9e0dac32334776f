"""From commits to what the rest of the pipeline reads: ``ChangeHistory``."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping

from decompose.errors import ConfigError
from decompose.history._cochange import authors, cochange, module_sets
from decompose.history._model import AUTHOR_MODES, History, HistoryOptions
from decompose.model import AuthorWork, ChangeHistory, CoChangePair, ModuleHistory, ModuleName

__all__ = ["summarise"]


def summarise(
    history: History,
    module_of: Mapping[str, ModuleName],
    options: HistoryOptions,
    author_mode: str = AUTHOR_MODES[0],
) -> ChangeHistory:
    """The history as the pipeline reads it; ``author_mode`` says how authors are shown:
    by name (through the mailmap), as a short hash of the name, or not at all."""
    if author_mode not in AUTHOR_MODES:
        raise ConfigError(f"history.authors: {author_mode!r} is not one of {', '.join(AUTHOR_MODES)}")
    sets = module_sets(history, module_of, options)
    revisions = Counter(module for modules in sets for module in modules)
    churn: Counter[str] = Counter()
    for commit in history.commits:
        for path, added, deleted in commit.changes:
            module = module_of.get(path)
            if module is not None:
                churn[module] += added + deleted
    by_module = authors(history, module_of, options) if author_mode != "none" else {}
    modules = []
    for module in sorted(set(revisions) | set(churn) | set(by_module)):
        work = tuple(
            AuthorWork(_shown(share.author, author_mode), share.commits, share.lines)
            for share in by_module.get(module, ())
        )
        modules.append(ModuleHistory(ModuleName(module), revisions[module], churn[module], work))
    return ChangeHistory(
        commits=len(history.commits),
        head=history.head,
        truncated=history.truncated,
        changesets=tuple(tuple(ModuleName(m) for m in modules_) for modules_ in sets),
        cochange=tuple(
            CoChangePair(ModuleName(p.a), ModuleName(p.b), p.shared, round(p.degree, 2))
            for p in cochange(history, module_of, options)
        ),
        modules=tuple(modules),
        notes=history.notes,
    )


def _shown(author: str, mode: str) -> str:
    if mode == "hash":
        return "author-" + hashlib.sha256(author.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return author
