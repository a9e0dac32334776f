"""Import roots: every folder the code is imported from, and the one name of each module.

Discovery names modules from the analysed folder (or a ``src/`` layout, or a nested
project). Code often runs from deeper: Django's ``manage.py`` puts its own folder on the
path, so ``label_studio/tasks/models.py`` is imported as ``tasks.models``. A folder is a
root when it holds ``manage.py``, ``wsgi.py`` or ``asgi.py``; when an entry script or a
settings module adds it to ``sys.path``; when packaging names it (``package-dir``,
``find_packages(where=...)``); when the configuration says so; and, as the general rule,
when the code imports its subpackages by top-level names that no standard-library module
or declared distribution owns.

A module reachable from two roots is one module: it is named the way the code imports it
more often, and the other name resolves to it (``Aliases``).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from decompose.model import (
    DeferredFile,
    Diagnostic,
    Discovery,
    ImportRoot,
    ModuleName,
    ParseResult,
    SourceFile,
)
from decompose.roots._syspath import sys_path_roots

__all__ = ["Aliases", "RootPlan", "find_roots", "NO_ALIASES", "NO_ROOTS", "STDLIB"]

STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}  # top-level names the standard library owns
_ENTRY_SCRIPTS = {"manage.py", "wsgi.py", "asgi.py"}
_MAX_NAMES_IN_REASON = 5


@dataclass(frozen=True)
class Aliases:
    """The other names of modules: ``canonical`` turns any spelling into the chosen one,
    ``outer_name`` gives a module's name from the outermost root (for relative imports)."""

    to_canonical: Mapping[str, str]  # dotted prefix -> the prefix it stands for
    outer: Mapping[ModuleName, str]  # canonical module -> its name from the outermost root
    depth: int = 0  # most parts in any prefix of ``to_canonical``

    def canonical(self, dotted: str) -> str:
        if not self.to_canonical:
            return dotted
        name = ModuleName(dotted)
        for cut in range(min(self.depth, name.depth), 0, -1):
            target = self.to_canonical.get(name.head(cut))
            if target is not None:
                rest = name.tail(name.depth - cut)
                return ModuleName(target).child(rest) if rest else target
        return dotted

    def outer_name(self, module: ModuleName) -> str:
        return self.outer.get(module, module)

    def tops(self) -> frozenset[str]:
        """Top-level names that only an alias makes the project's."""
        return frozenset(ModuleName(key).top for key in self.to_canonical)


NO_ALIASES = Aliases({}, {})


@dataclass(frozen=True)
class RootPlan:
    """How the graph stage reads imports: the roots, the other names of modules, and who
    owns the top-level names the project does not."""

    roots: tuple[ImportRoot, ...] = ()
    aliases: Aliases = NO_ALIASES
    renamed: Mapping[ModuleName, ModuleName] = field(default_factory=dict)  # discovered -> chosen
    declared: frozenset[str] = frozenset()  # top-level names of declared distributions
    installed: frozenset[str] = frozenset()  # top-level names installed beside decompose
    diagnostics: tuple[Diagnostic, ...] = ()  # configured roots that could not be used

    def rename(self, file: SourceFile) -> SourceFile:
        new = self.renamed.get(file.module)
        return file if new is None else replace(file, module=new)

    def rename_results(self, results: Iterable[ParseResult]) -> list[ParseResult]:
        return [
            r if r.file.module not in self.renamed else replace(r, file=self.rename(r.file)) for r in results
        ]

    def rename_deferred(self, deferred: Iterable[DeferredFile]) -> tuple[DeferredFile, ...]:
        return tuple(
            d if d.file.module not in self.renamed else replace(d, file=self.rename(d.file)) for d in deferred
        )


NO_ROOTS = RootPlan()


def find_roots(
    found: Discovery,
    results: Sequence[ParseResult],
    declared: frozenset[str] = frozenset(),
    package_dirs: Iterable[tuple[str, str]] = (),
    configured: Sequence[str] = (),
    installed: frozenset[str] = frozenset(),
) -> RootPlan:
    """The import roots of the discovered tree and the names they give its modules.

    ``declared`` holds the top-level names that declared distributions own;
    ``configured`` (folders relative to the analysed one) replaces detection.
    """
    tree = _Tree(found, results)
    base = [ImportRoot(".", "the analysed folder", prefix=tree.prefix_of("."), named_here=True)]
    base += [ImportRoot(rel, reason, prefix="", named_here=True) for rel, reason in found.source_roots]
    candidates: dict[str, str] = {}
    unused: list[Diagnostic] = []
    if configured:
        for folder in configured:
            rel = _normal(folder)
            if rel is None:
                unused.append(_unused_root(folder, "it is not a folder inside the analysed one"))
            elif rel != "." and rel not in tree.modules_under:
                unused.append(_unused_root(folder, "no analysed module is below it"))
            else:
                candidates.setdefault(rel, "configured (roots)")
    else:
        for rel, reason in _entry_script_roots(found.files):
            candidates.setdefault(rel, reason)
        for rel, reason in sys_path_roots(Path(found.root), found.files):
            candidates.setdefault(rel, reason)
        for rel, reason in package_dirs:
            candidates.setdefault(rel, reason)
    # Folders whose modules discovery already named from there need no second name.
    extra = {rel: reason for rel, reason in candidates.items() if tree.prefix_of(rel)}
    if not configured:
        for rel, reason in _roots_by_imports(tree, declared, extra).items():
            extra.setdefault(rel, reason)
    if "." in extra:
        base = base[1:]
    plan = _plan(tree, base, extra)
    return replace(plan, declared=declared, installed=installed, diagnostics=tuple(unused))


def _unused_root(folder: str, why: str) -> Diagnostic:
    return Diagnostic(path=".", code="root-unused", message=f"root {folder!r} is not used: {why}")


class _Tree:
    """The discovered files as folders: the dotted name of each folder and the names of
    its children."""

    def __init__(self, found: Discovery, results: Sequence[ParseResult]) -> None:
        self.results = results
        files = [r.file for r in results] + [d.file for d in found.deferred]
        self.modules = {f.module for f in files}
        self.import_tops = _absolute_import_tops(results)  # statements per top-level name imported
        # Modules and their top-level names: what an import below a folder may reach.
        self.defined = set(self.modules) | {
            f"{r.file.module}.{d.name}" for r in results for d in r.facts.definitions if "." not in d.name
        }
        self.project_tops = {f.module.top for f in files}
        self.folder_prefix: dict[str, ModuleName] = {}
        self.children: dict[str, set[str]] = defaultdict(set)
        self.modules_under: dict[str, list[SourceFile]] = defaultdict(list)
        for file in files:
            path = PurePosixPath(file.path)
            named = file.module if file.is_package else file.module.parent  # the parts naming folders
            for folder in path.parents:
                below = len(path.parts) - 1 - len(folder.parts)  # folders between it and the file
                prefix = named.head(named.depth - below) if below <= named.depth else None
                rel = folder.as_posix()
                if prefix is None or (rel != "." and (not prefix or prefix.leaf != folder.name)):
                    break  # above the source root discovery named the file from
                self.folder_prefix.setdefault(rel, prefix)
                self.modules_under[rel].append(file)
                tail = file.module.relative_to(prefix) if prefix else file.module
                if tail and tail != "__init__":
                    self.children[rel].add(tail.top)

    def prefix_of(self, rel: str) -> ModuleName:
        return self.folder_prefix.get(rel, ModuleName())


def _normal(folder: str) -> str | None:
    parts: list[str] = []
    for part in PurePosixPath(folder.replace("\\", "/")).parts:
        if part in {"", "."}:
            continue
        if part == ".." or part == "/":
            return None
        parts.append(part)
    return "/".join(parts) or "."


def _entry_script_roots(files: Iterable[SourceFile]) -> list[tuple[str, str]]:
    """``manage.py`` runs from its folder; ``wsgi.py``/``asgi.py`` sit in the project
    package, imported from the folder above it."""
    found = []
    for file in files:
        path = PurePosixPath(file.path)
        if path.name not in _ENTRY_SCRIPTS:
            continue
        folder = path.parent
        if path.name != "manage.py" and file.module.depth > 1:
            if folder == PurePosixPath("."):
                continue  # the analysed folder is the project package: imported from above it
            folder = folder.parent
        found.append((folder.as_posix() or ".", f"holds {path.as_posix()}"))
    # manage.py first: it is the script that runs from its folder.
    return sorted(found, key=lambda item: (item[0], not item[1].endswith("manage.py"), item[1]))


def _absolute_import_tops(results: Iterable[ParseResult]) -> Counter[str]:
    """Statements importing each top-level name (absolute imports only)."""
    counts: Counter[str] = Counter()
    for result in results:
        seen = set()
        for fact in result.facts.imports:
            if fact.level == 0 and fact.module:
                key = (fact.line, ModuleName(fact.module).top)
                if key not in seen:
                    seen.add(key)
                    counts[key[1]] += 1
    return counts


def _roots_by_imports(tree: _Tree, declared: frozenset[str], known: Mapping[str, str]) -> dict[str, str]:
    """The general rule: folders whose children the code imports by top-level names that
    neither the project's own top-level packages, the standard library nor a declared
    distribution owns. Greedy: the folder explaining most names first."""
    counts = tree.import_tops
    explained = set()
    for rel in known:
        explained |= tree.children.get(rel, set())
    wanted = {
        name
        for name in counts
        if name not in tree.project_tops
        and name not in STDLIB
        and name not in declared
        and name not in explained
        and name.isidentifier()
    }
    evidence = _imported_paths(tree.results, wanted)
    offers: dict[str, set[str]] = {}
    for rel, children in tree.children.items():
        prefix = tree.prefix_of(rel)
        if rel == "." or not prefix:
            continue
        # A name counts only when an import reaches below it into this folder's modules
        # (``tasks.models``, ``from tasks import models``): a bare ``import redis`` beside a
        # project ``redis.py`` is more likely the library.
        names = {
            name
            for name in children & wanted
            if any(prefix.child(path) in tree.defined for path in evidence[name])
        }
        if names:
            offers[rel] = names
    chosen: dict[str, str] = {}
    while offers:
        rel = min(offers, key=lambda r: (-sum(counts[n] for n in offers[r]), r.count("/"), r))
        names = offers.pop(rel)
        ranked = sorted(names, key=lambda n: (-counts[n], n))
        shown = ", ".join(ranked[:_MAX_NAMES_IN_REASON]) + (
            ", …" if len(ranked) > _MAX_NAMES_IN_REASON else ""
        )
        chosen[rel] = f"its modules are imported by top-level name ({shown})"
        for other in list(offers):
            offers[other] -= names
            if not offers[other]:
                del offers[other]
    return chosen


def _imported_paths(results: Iterable[ParseResult], names: set[str]) -> dict[str, set[str]]:
    """For each top-level name, the dotted paths below it that imports name: ``tasks.models``
    for ``import tasks.models``, ``tasks.Task`` for ``from tasks import Task``."""
    paths: dict[str, set[str]] = defaultdict(set)
    for result in results:
        for fact in result.facts.imports:
            if fact.level or not fact.module:
                continue
            top = ModuleName(fact.module).top
            if top not in names:
                continue
            if "." in fact.module:
                paths[top].add(fact.module)
            if fact.name and fact.name != "*":
                paths[top].add(f"{fact.module}.{fact.name}")
    return paths


def _plan(tree: _Tree, base: list[ImportRoot], extra: Mapping[str, str]) -> RootPlan:
    counts = tree.import_tops
    full_counts: Counter[str] = Counter()
    for result in tree.results:
        for fact in result.facts.imports:
            if fact.level == 0 and fact.module:
                name = ModuleName(fact.module)
                for cut in range(2, min(name.depth, 6) + 1):
                    full_counts[name.head(cut)] += 1
    roots = list(base)
    to_canonical: dict[str, str] = {}
    renamed: dict[ModuleName, ModuleName] = {}
    claimed: set[str] = set()  # short top-level names a deeper root took
    # Deepest first: a file is named from the innermost root that names it.
    for rel in sorted(extra, key=lambda r: (-r.count("/"), r)):
        prefix = tree.prefix_of(rel)
        files = [
            f
            for f in tree.modules_under[rel]
            if f.module.is_below(prefix) and f.module not in renamed
        ]
        inside = {f.module for f in tree.modules_under[rel]}
        # A short name may not be a top-level name of modules elsewhere; the root's own
        # prefix may (netbox/netbox/ inside netbox/ becomes ``netbox``).
        outside = {m.top for m in tree.modules - inside} | claimed
        children = sorted(tree.children.get(rel, set()))
        usable = [c for c in children if c not in outside and c.isidentifier()]
        short_uses = sum(counts[c] for c in usable)
        long_uses = sum(full_counts[prefix.child(c)] for c in usable)
        named_here = short_uses > long_uses and bool(usable)
        new_names = {f.module: f.module.relative_to(prefix) for f in files}
        if named_here and set(new_names.values()) & (tree.modules - set(new_names)):
            named_here = False  # a short name would collide with an existing module
        if named_here:
            for file in files:
                if file.module.relative_to(prefix).top in usable:
                    renamed[file.module] = new_names[file.module]
            for child in usable:
                to_canonical[prefix.child(child)] = child
        else:
            for child in usable:
                if child != prefix.top:  # that name is the long form itself
                    to_canonical[child] = prefix.child(child)
        claimed.update(usable)
        roots.append(ImportRoot(rel, extra[rel], prefix=prefix, named_here=named_here))
    # A deeper root's prefix was written in discovered names; say it in chosen ones.
    settled = Aliases(to_canonical, {}, max((ModuleName(k).depth for k in to_canonical), default=0))
    for key, target in list(to_canonical.items()):
        for _ in range(len(extra)):
            again = settled.canonical(target) if target else target
            if again == target or again == key:
                break
            target = again
        to_canonical[key] = target
    outer = {new: old for old, new in renamed.items()}
    depth = max((ModuleName(key).depth for key in to_canonical), default=0)
    return RootPlan(
        roots=tuple(sorted(roots)),
        aliases=Aliases(to_canonical, outer, depth),
        renamed=renamed,
    )
