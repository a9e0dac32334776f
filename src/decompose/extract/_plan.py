"""Plan one extraction: the facade, every rewritten module, the contract; nothing written.

The plan is made from an analysis (stored or fresh) and the tree it was made of. The tree
is parsed again (the rewrite must see the code as it is now), and an analysis older than
the code is refused: its API surface could miss names the code now uses.
"""

from __future__ import annotations

import keyword
import re
from collections import deque
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

from decompose.discover import DiscoverOptions
from decompose.extract._codemod import FileRewrite, ServiceView, rewrite_module
from decompose.extract._model import (
    AmbiguousRewrite,
    Export,
    ExtractError,
    ExtractPlan,
    FileChange,
    KeptImport,
    StringReference,
)
from decompose.extract._moves import MovePlan, moved_module_name, plan_moves
from decompose.extract._project import ProjectIndex
from decompose.extract._texts import FACADE_MARK, contract_text, facade_text
from decompose.model import Decomposition, DependencyGraph, ModuleInfo, ModuleName, Service, SourceFile
from decompose.parse import parse_files

__all__ = ["plan_extraction", "default_facade", "contract_file", "Source"]

_MAX_FILE_BYTES = DiscoverOptions().max_file_bytes  # the files an analysis reads, the extraction reads


class Source(Protocol):
    """What the plan reads of an analysis: a stored one (``StoredAnalysis``) or a fresh one."""

    project: str
    graph: DependencyGraph
    decomposition: Decomposition


def contract_file(service: str) -> str:
    """The import-linter file written beside the code: ``importlinter-<service>.toml``."""
    return f"importlinter-{_identifier(service).replace('_', '-')}.toml"


def default_facade(service: Service) -> ModuleName:
    """``<package>.<service>_api``: in the deepest package holding all of the service's
    modules that are in packages (top level when they share none)."""
    common = ModuleName.common_ancestor(m.name.parent for m in service.modules if m.name.parent)
    return common.child(f"{_identifier(service.name)}_api")


def plan_extraction(
    tree: str | Path,
    service: str,
    analysis: Source,
    *,
    facade: str | None = None,
    moves: bool = False,
    jobs: int = 1,
) -> ExtractPlan:
    """What extracting ``service`` of ``analysis`` from the code at ``tree`` would write.

    Raises ExtractError when the service is unknown, the facade's name is unusable, the
    analysis is older than the code or two API names clash; AmbiguousRewrite (an
    ExtractError) when an import cannot be rewritten without guessing.
    """
    root = Path(tree).resolve()
    if not root.is_dir():
        raise ExtractError(f"{tree} is not a folder")
    services = {s.name: s for s in analysis.decomposition.services}
    if service not in services:
        known = ", ".join(sorted(services)) or "none"
        raise ExtractError(f"no service {service!r} in the analysis of {analysis.project} (services: {known})")
    chosen = services[service]
    infos = {m.name: m for m in analysis.graph.modules}
    facade_name = ModuleName(facade) if facade else default_facade(chosen)
    _check_module_name(facade_name)
    facade_path = _path_for(facade_name, infos, chosen.modules[0].name)
    existing = _existing(root, facade_path)
    if existing is not None and not existing.startswith(FACADE_MARK):
        raise ExtractError(
            f"{facade_path} exists and was not written by decompose extract; choose another facade with --facade"
        )
    internals = frozenset(m.name for m in chosen.modules) - {facade_name}
    index = _index(root, analysis.graph.modules, jobs)
    moved = MovePlan()
    if moves:
        target = moved_module_name(facade_name, service)
        _check_module_name(target)
        moved = plan_moves(
            root, analysis.decomposition, chosen, index, infos, facade_name, _path_for(target, infos, chosen.modules[0].name)
        )
    exports = _exports(chosen, moved.exports)
    moved_modules = frozenset(ModuleName(m.to_module) for m in moved.applied)
    redirected = tuple((m.module, m.symbol, m.symbol) for m in moved.applied)  # old homes of moved names
    view = ServiceView(
        facade_name, internals | moved_modules, tuple((e.module, e.symbol, e.name) for e in exports) + redirected
    )
    overrides = {c.path: c.after for c in moved.changes if c.before is not None}
    rewrites = _rewrite_all(root, index, view, exports, facade_name, overrides, moved.loads)
    if moved.applied:  # the service's own imports of a moved name: from its new module
        inside = ServiceView(next(iter(moved_modules)), frozenset(), redirected)
        for module in sorted(internals & set(index.modules)):
            if _touches(index, module, inside):
                code = _read(root, index.file(module).path, overrides)
                rewrites[module] = rewrite_module(code, module, index, inside)
    problems = [
        f"{index.file(r.module).path}:{p.line}: {p.message}" for r in rewrites.values() for p in r.problems
    ]
    if problems:
        raise AmbiguousRewrite(tuple(problems))
    kept = tuple(
        dict.fromkeys(
            [
                *moved.kept,
                *(
                    KeptImport(index.file(r.module).path, k.line, r.module, k.target, k.message)
                    for r in sorted(rewrites.values(), key=lambda r: r.module)
                    for k in r.kept
                ),
            ]
        )
    )
    changes = {c.path: c for c in moved.changes}
    for rewrite in rewrites.values():
        if rewrite.code is not None:
            path = index.file(rewrite.module).path
            changes[path] = FileChange(path, _read(root, path), rewrite.code)
    facade_change = FileChange(facade_path, existing, facade_text(service, analysis.project, facade_name, exports))
    changes[facade_path] = facade_change
    contract = contract_file(service)
    all_internals = internals | moved_modules
    changes[contract] = FileChange(
        contract,
        _existing(root, contract),
        contract_text(service, facade_name, all_internals, infos.values(), kept, contract, moved_modules),
    )
    for change in changes.values():
        _check_inside(root, change.path)
    return ExtractPlan(
        root=root,
        service=service,
        facade=facade_name,
        facade_path=facade_path,
        exports=exports,
        changes=tuple(sorted(changes.values(), key=lambda c: c.path)),
        strings=_strings(index, view, rewrites, exports),
        kept=kept,
        contract_path=contract,
        moves=tuple(moved.applied),
        rewritten_statements=sum(r.rewritten for r in rewrites.values()),
        import_root="/".join(facade_path.split("/")[: -facade_name.depth]),
    )


# ------------------------------------------------------------------------------ steps


def _index(root: Path, modules: Iterable[ModuleInfo], jobs: int) -> ProjectIndex:
    """The tree parsed again under the analysis's module names; refused when it changed."""
    modules = list(modules)
    missing = [m.path for m in modules if not (root / m.path).is_file()]
    if missing:
        raise ExtractError(
            f"the analysis does not describe {root}: {', '.join(missing[:5])} missing"
            + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            + " (is it the tree that was analysed?)"
        )
    files = [SourceFile(m.name, m.path, m.is_package) for m in modules]
    run = parse_files(root, files, _MAX_FILE_BYTES, jobs=jobs)
    known = {m.name: _fingerprint(m.lines, m.definitions) for m in modules}
    changed = sorted(
        r.file.path for r in run.results if _fingerprint(r.facts.lines, r.facts.definitions) != known[r.file.module]
    )
    if changed:
        raise ExtractError(
            f"the code changed since it was analysed ({', '.join(changed[:5])}"
            + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
            + "): analyse it again first"
        )
    return ProjectIndex(run.results)


def _fingerprint(lines: int, definitions) -> tuple:
    """What an analysis records of a file, to tell whether the file changed since."""
    return lines, tuple((d.name, d.kind, d.line, d.end_line) for d in definitions)


def _exports(service: Service, moved: Iterable[Export]) -> tuple[Export, ...]:
    """The facade's names: the service's API surface; two names alike are a clash."""
    by_name: dict[str, set[tuple[ModuleName, str]]] = {}
    for symbol in service.api:
        top = symbol.symbol.partition(".")[0]
        by_name.setdefault(top, set()).add((symbol.module, top))
    for export in moved:
        by_name[export.name] = {(export.module, export.symbol)}
    clashes = {name: places for name, places in by_name.items() if len(places) > 1}
    if clashes:
        described = "; ".join(
            f"{name}: " + ", ".join(f"{module}.{symbol}" for module, symbol in sorted(places))
            for name, places in sorted(clashes.items())
        )
        raise ExtractError(
            f"the facade cannot export two names alike (the rewrite would be ambiguous; nothing was written): "
            f"{described}. Rename one of each first"
        )
    return tuple(
        sorted(
            (Export(name, module, symbol) for name, places in by_name.items() for module, symbol in places),
            key=lambda e: (e.module, e.name),
        )
    )


def _rewrite_all(
    root: Path,
    index: ProjectIndex,
    view: ServiceView,
    exports: tuple[Export, ...],
    facade: ModuleName,
    overrides: Mapping[str, bytes],
    loads: Iterable[str],
) -> dict[ModuleName, FileRewrite]:
    """Every module outside the service that imports its internals, rewritten; those the
    facade's own imports lead back to keep their module-level imports (else circular)."""
    candidates = [m for m in index.modules if m not in view.internals and m != facade and _touches(index, m, view)]
    rewrites = {m: rewrite_module(_read(root, index.file(m).path, overrides), m, index, view) for m in candidates}
    eager = dict(index.eager_imports())
    for module, rewrite in rewrites.items():
        if rewrite.eager_facade:
            eager[module] = eager[module] | {facade}
    # The facade's own packages have run (or are running) before its first line: importing
    # them again from there runs nothing.
    above = set(index.loaded_by(facade.parent)) if facade.parent else set()
    starts = {loaded for module in [*(e.module for e in exports), *loads] for loaded in index.loaded_by(module)}
    reached = _reachable(starts - above, eager, blocked=above)
    for module in sorted(m for m, r in rewrites.items() if r.eager_facade and m in reached):
        code = _read(root, index.file(module).path, overrides)
        rewrites[module] = rewrite_module(code, module, index, view, eager=False)
    return rewrites


def _touches(index: ProjectIndex, module: ModuleName, view: ServiceView) -> bool:
    """Whether any import of ``module`` may name the service's internals (a cheap filter
    on the parse facts before libcst reads the file)."""
    exported = view.exported()
    for fact in index.facts(module).imports:
        if fact.dynamic:
            continue
        if fact.name == "*":
            return True
        target = index.import_target(module, fact)
        if target is None or not index.is_project(target):
            continue
        if set(index.loaded_by(target)) & view.internals:
            return True
        found = index.locate(target)
        if found is not None and (found.module in view.internals or (found.module, found.symbol) in exported):
            return True
    return False


def _reachable(
    starts: Iterable[ModuleName], edges: Mapping[ModuleName, Iterable[ModuleName]], blocked: set[ModuleName]
) -> set[ModuleName]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen and target not in blocked:
                seen.add(target)
                queue.append(target)
    return seen


def _strings(
    index: ProjectIndex, view: ServiceView, rewrites: Mapping[ModuleName, FileRewrite], exports: tuple[Export, ...]
) -> tuple[StringReference, ...]:
    """Dotted strings outside the service that name its internals, with the facade's name."""
    exported = {(e.module, e.symbol): e.name for e in exports}
    found: set[StringReference] = set()
    for module in index.modules:
        if module in view.internals or module == view.facade:
            continue
        path = index.file(module).path
        for ref in index.facts(module).string_refs:
            location = index.locate(ref.value)
            if location is None or location.module not in view.internals:
                continue
            name = exported.get((location.module, location.symbol)) if location.symbol else None
            target = f"{location.module}:{location.symbol}" if location.symbol else location.module
            found.add(StringReference(path, ref.line, ref.value, target, f"{view.facade}.{name}" if name else ""))
        rewrite = rewrites.get(module)
        for finding in rewrite.strings if rewrite is not None else ():
            found.add(StringReference(path, finding.line, finding.message, "", ""))
    return tuple(sorted(found, key=lambda s: (s.path, s.line, s.value)))


# ------------------------------------------------------------------------------ files


def _path_for(module: ModuleName, infos: Mapping[ModuleName, ModuleInfo], near: ModuleName) -> str:
    """Where a new module of that name goes: beside its package's ``__init__``, or beside a
    module of the same package."""
    package, leaf = module.parent, module.leaf
    if package:
        info = infos.get(package)
        if info is not None and info.is_package:
            return _join(info.path.rpartition("/")[0], f"{leaf}.py")
        sibling = next((i for name, i in sorted(infos.items()) if name.parent == package), None)
        if sibling is None:
            raise ExtractError(f"the facade's package {package} is not in the analysed tree; choose --facade")
        return _join(sibling.path.rpartition("/")[0], f"{leaf}.py")
    # A top-level facade goes where the top-level package or module ``near`` is.
    info = infos.get(near.top)
    if info is None:
        raise ExtractError(f"cannot tell where the top-level module {module} would go; choose --facade")
    parts = info.path.split("/")
    folder = "/".join(parts[: -2 if info.is_package else -1])
    return _join(folder, f"{leaf}.py")


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _check_module_name(name: str) -> None:
    parts = name.split(".")
    if not all(p.isidentifier() and not keyword.iskeyword(p) for p in parts):
        raise ExtractError(f"--facade: {name!r} is not a dotted module name")


def _check_inside(root: Path, relative: str) -> None:
    """Refuse to write anywhere but inside the analysed tree (symbolic links included)."""
    target = (root / relative).resolve()
    if target != root and root not in target.parents:
        raise ExtractError(f"{relative} is outside the analysed tree {root}; nothing was written")


def _existing(root: Path, relative: str) -> bytes | None:
    path = root / relative
    return path.read_bytes() if path.is_file() else None


def _read(root: Path, relative: str, overrides: Mapping[str, bytes] | None = None) -> bytes:
    if overrides and relative in overrides:
        return overrides[relative]
    return (root / relative).read_bytes()


def _identifier(name: str) -> str:
    text = re.sub(r"\W+", "_", name).strip("_").lower() or "service"
    return f"s_{text}" if text[0].isdigit() else text

