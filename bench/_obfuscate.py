"""Obfuscate a tree for bench/quality.py: every module moved flat into one package under a
meaningless name (or, for the layered variant, into a folder of that package: see _layer.py),
every import rewritten so the code still refers to the same modules.

With the folders gone, a decomposition can only come from what the code says, not from
where the files sit. What is rewritten:

- ``import a.b.c`` becomes ``import obf.m0007``, and the uses of ``a.b.c.X`` (and of
  ``a.b.X``, ``a.X``, which that import made reachable) become ``obf.m0007.X`` etc.;
- ``import a.b as d`` becomes ``import obf.m0003 as d``; ``from a.b import c`` becomes
  ``from obf import m0009 as c`` when ``c`` is a module, else ``from obf.m0003 import c``;
  relative imports are made absolute; a use ``d.c.X`` that reaches a deeper module through
  an aliased module becomes ``obf.m0009.X``, with ``import obf.m0009`` beside the alias's
  import when nothing else binds ``obf``;
- strings that are a dotted path into the project (``INSTALLED_APPS``, ``MIDDLEWARE``,
  ``ROOT_URLCONF``, ``import_module("a.b")``, string annotations): the longest prefix that
  names a module is renamed, so ``"a.b.apps.BConfig"`` becomes ``"obf.m0003.BConfig"``
  (paths to a module's class are renamed too, or the settings would name nothing).

A name is looked up as decompose looks it up: an import binds it for the module (or for
the function it sits in), and a function that binds the same name itself (a parameter, an
assignment, a loop variable) shadows the import in its body.

Written with the stdlib ``ast`` and ``ast.unparse`` rather than libcst: comments and
formatting are lost, which a static import analysis does not read, and it is an order of
magnitude faster on pretix or Django than libcst's parser; decompose reads with ``ast`` too,
so what is written parses the way it will be read. A file in syntax newer than the running
Python is rewritten from the lowering decompose reads it through (libcst, see
decompose.parse._lowering); a file that does not parse at all (Python 2) is copied unchanged.
"""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from decompose.parse._lowering import run_lowering, too_complex_for_libcst
from decompose.parse._read import decode_source
from decompose.parse._visitor import dotted_name

__all__ = ["renaming", "obfuscate", "rewrite_source", "PACKAGE"]

PACKAGE = "obf"
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_DYNAMIC_IMPORTERS = {"importlib.import_module", "import_module", "__import__"}
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def renaming(
    modules: Iterable[str], package: str = PACKAGE, folders: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Original module -> ``package.mNNNN``, or ``package.<folder>.mNNNN`` when ``folders``
    files it under a (dotted) folder; numbered in an order that hides the folders (sorted by
    a hash of the name, so neighbours in a folder are not neighbours here)."""
    names = sorted(set(modules), key=lambda name: (hashlib.sha256(name.encode()).hexdigest(), name))
    width = max(4, len(str(len(names))))
    return {
        name: ".".join([package, *([folders[name]] if folders is not None else []), f"m{index:0{width}d}"])
        for index, name in enumerate(names, start=1)
    }


def obfuscate(
    source_root: Path, files: Mapping[str, tuple[str, bool]], table: Mapping[str, str], target_root: Path
) -> None:
    """Write the modules of ``files`` (module -> (path relative to ``source_root``,
    is_package)) under ``target_root`` with their new names from ``table``, and an empty
    ``__init__.py`` for every package those names sit in."""
    tops = {name.partition(".")[0] for name in files}
    packages = {new.rsplit(".", cut)[0] for new in table.values() for cut in range(1, new.count(".") + 1)}
    for package in packages:
        folder = target_root / package.replace(".", "/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_bytes(b"")
    rejected: dict[str, str] = {}  # module -> source text that ast does not parse
    for name, (relative, is_package) in files.items():
        source = (source_root / relative).read_bytes()
        rewritten = rewrite_source(source, name, is_package, table, tops)
        if rewritten is None:
            rewritten = source
            text = decode_source(source).text
            if not too_complex_for_libcst(text):
                rejected[name] = text
        (target_root / (table[name].replace(".", "/") + ".py")).write_bytes(rewritten)
    # Newer grammar than the running Python (PEP 701 f-strings): decompose reads such a file
    # through libcst, lowered to what ast parses; so the lowering is what gets rewritten.
    for name, (lowered, _) in (run_lowering(rejected) if rejected else {}).items():
        if lowered is None:
            continue
        rewritten = rewrite_source(lowered.encode("utf-8"), name, files[name][1], table, tops)
        if rewritten is not None:
            (target_root / (table[name].replace(".", "/") + ".py")).write_bytes(rewritten)


def rewrite_source(
    source: bytes,
    module: str,
    is_package: bool,
    table: Mapping[str, str],
    tops: set[str] | None = None,
) -> bytes | None:
    """The module's source with its imports renamed; None when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    tops = tops if tops is not None else {name.partition(".")[0] for name in table}
    rewriter = _Rewriter(module, is_package, table, tops)
    try:
        tree = rewriter.rewrite(tree)
        return (ast.unparse(tree) + "\n").encode("utf-8", "surrogatepass")
    except (RecursionError, ValueError, UnicodeEncodeError):
        return None


# --------------------------------------------------------------------------- scopes


class _Binding:
    """What an import binds a name to: ``target`` as decompose resolves it; ``plain`` for
    ``import a.b`` (the name ``a`` is no longer bound once rewritten); ``statement`` is the
    import, beside which extra imports go."""

    __slots__ = ("target", "plain", "statement")

    def __init__(self, target: str, plain: bool, statement: ast.stmt):
        self.target, self.plain, self.statement = target, plain, statement


class _Scope:
    __slots__ = ("bindings", "local")

    def __init__(self) -> None:
        self.bindings: dict[str, _Binding] = {}
        self.local: set[str] = set()  # names the function binds itself (not by import)


class _Gatherer(ast.NodeVisitor):
    """First pass: which names imports bind in the module and in each function, and which
    names each function binds itself, the way decompose's visitor sees them."""

    def __init__(self, rewriter: _Rewriter):
        self.rewriter = rewriter
        self.scopes: dict[int, _Scope] = {0: _Scope()}  # id(function node) -> scope; 0: module
        self.frame = 0  # the function (or module) that imports here bind names in
        self.binds_locals = False  # in a function body, not in a class body
        self.declared_global: set[str] = set()

    def _bind(self, name: str) -> None:
        if self.binds_locals:
            self.scopes[self.frame].local.add(name)

    def visit_Import(self, node: ast.Import) -> None:
        table = self.scopes[self.frame].bindings
        for alias in node.names:
            if alias.name.partition(".")[0] not in self.rewriter.tops:
                continue
            if alias.asname:
                table.setdefault(alias.asname, _Binding(alias.name, False, node))
            else:
                top = alias.name.partition(".")[0]
                table.setdefault(top, _Binding(top, True, node))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self.rewriter.absolute(node.module or "", node.level)
        if base is None or base.partition(".")[0] not in self.rewriter.tops:
            return
        table = self.scopes[self.frame].bindings
        for alias in node.names:
            if alias.name != "*":
                table.setdefault(alias.asname or alias.name, _Binding(f"{base}.{alias.name}", False, node))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        # Decorators, defaults and annotations belong to the scope around the function.
        if not isinstance(node, ast.Lambda):
            self._bind(node.name)
            for decorator in node.decorator_list:
                self.visit(decorator)
            if node.returns is not None:
                self.visit(node.returns)
        arguments = node.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
        for default in [*arguments.defaults, *arguments.kw_defaults]:
            if default is not None:
                self.visit(default)
        for arg in every:
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)
        scope = _Scope()
        scope.local.update(arg.arg for arg in every if arg is not None)
        self.scopes[id(node)] = scope
        saved = (self.frame, self.binds_locals, self.declared_global)
        self.frame, self.binds_locals, self.declared_global = id(node), True, set()
        for statement in node.body if isinstance(node.body, list) else [node.body]:
            self.visit(statement)
        scope.local -= self.declared_global
        self.frame, self.binds_locals, self.declared_global = saved

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._bind(node.name)
        for child in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(child)
        # Names assigned in a class body bind nothing a function sees; its methods are scopes.
        saved, self.binds_locals = self.binds_locals, False
        for statement in node.body:
            self.visit(statement)
        self.binds_locals = saved

    def visit_Global(self, node: ast.Global | ast.Nonlocal) -> None:
        self.declared_global.update(node.names)

    visit_Nonlocal = visit_Global

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            self._bind(node.id)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self._bind(node.name)
        self.generic_visit(node)


# --------------------------------------------------------------------------- rewriting


class _Rewriter(ast.NodeTransformer):
    """Second pass: rename imports, the attribute chains that reach modules through them,
    and dotted strings into the project. ``tops`` are the project's top-level names."""

    def __init__(self, module: str, is_package: bool, table: Mapping[str, str], tops: set[str]):
        self.module = module
        self.is_package = is_package
        self.table = table
        self.tops = tops
        self.stack: list[int] = [0]
        self.in_annotation = False
        self.extra: dict[int, list[str]] = {}  # id(import statement) -> modules to import beside it

    def rewrite(self, tree: ast.Module) -> ast.Module:
        gatherer = _Gatherer(self)
        gatherer.visit(tree)
        self.scopes = gatherer.scopes
        # After rewriting, a module-level ``import a.b`` binds the package name for the module.
        self.package_bound = any(b.plain for b in self.scopes[0].bindings.values())
        tree = self.visit(tree)
        if self.extra:
            _Inserter(self.extra).visit(tree)
        return ast.fix_missing_locations(tree)

    # ---------------------------------------------------------------- names

    def absolute(self, module: str, level: int) -> str | None:
        """The absolute module a (relative) import names, as decompose computes it."""
        if level == 0:
            return module
        package = self.module.split(".") if self.is_package else self.module.split(".")[:-1]
        keep = len(package) - (level - 1)
        if keep < 1:
            return None
        return ".".join([*package[:keep], *([module] if module else [])])

    def longest(self, dotted: str) -> tuple[str, str] | None:
        """(renamed longest module prefix, the rest) of an absolute dotted path."""
        parts = dotted.split(".")
        for cut in range(len(parts), 0, -1):
            renamed = self.table.get(".".join(parts[:cut]))
            if renamed is not None:
                return renamed, ".".join(parts[cut:])
        return None

    def renamed_path(self, dotted: str) -> str | None:
        found = self.longest(dotted)
        if found is None:
            return None
        renamed, rest = found
        return f"{renamed}.{rest}" if rest else renamed

    def _binding(self, name: str) -> _Binding | None:
        """The import binding ``name`` has where the rewriter stands; None when a function
        around shadows it or no import binds it."""
        for frame in reversed(self.stack):
            scope = self.scopes.get(frame)
            if scope is None or frame == 0:
                continue
            if name in scope.local:
                return None
        for frame in reversed(self.stack):
            scope = self.scopes.get(frame)
            if scope is not None and name in scope.bindings:
                return scope.bindings[name]
        return None

    # ---------------------------------------------------------------- imports

    def visit_Import(self, node: ast.Import) -> ast.stmt:
        names = []
        for alias in node.names:
            renamed = self.renamed_path(alias.name) if alias.name.partition(".")[0] in self.tops else None
            names.append(ast.alias(renamed or alias.name, alias.asname))
        node.names = names  # the same node: imports added beside it later find it
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.stmt | list[ast.stmt]:
        base = self.absolute(node.module or "", node.level)
        if base is None or base.partition(".")[0] not in self.tops:
            return node
        groups: list[tuple[str, list[ast.alias]]] = []
        for alias in node.names:
            full = f"{base}.{alias.name}"
            if alias.name != "*" and full in self.table:
                module, _, leaf = self.table[full].rpartition(".")
                alias = ast.alias(leaf, alias.asname or alias.name)
            else:
                module = self.renamed_path(base) or base
            if groups and groups[-1][0] == module:
                groups[-1][1].append(alias)
            else:
                groups.append((module, [alias]))
        # The first statement is the original node, so that imports added beside it later
        # (for a deeper module reached through one of its names) find it.
        node.module, node.names, node.level = groups[0][0], groups[0][1], 0
        rest = [ast.copy_location(ast.ImportFrom(module=m, names=n, level=0), node) for m, n in groups[1:]]
        return [node, *rest] if rest else node

    # ---------------------------------------------------------------- scopes

    def _function(self, node):
        if not isinstance(node, ast.Lambda):
            node.decorator_list = [self.visit(d) for d in node.decorator_list]
            if node.returns is not None:
                node.returns = self._annotation(node.returns)
        node.args = self._outside_arguments(node.args)
        self.stack.append(id(node))
        if isinstance(node.body, list):
            node.body = self._statements(node.body)
        else:
            node.body = self.visit(node.body)
        self.stack.pop()
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _outside_arguments(self, arguments: ast.arguments) -> ast.arguments:
        arguments.defaults = [self.visit(d) for d in arguments.defaults]
        arguments.kw_defaults = [None if d is None else self.visit(d) for d in arguments.kw_defaults]
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]:
            if arg is not None and arg.annotation is not None:
                arg.annotation = self._annotation(arg.annotation)
        return arguments

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AnnAssign:
        node.annotation = self._annotation(node.annotation)
        node.target = self.visit(node.target)
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def _annotation(self, node: ast.expr) -> ast.expr:
        saved, self.in_annotation = self.in_annotation, True
        try:
            return self.visit(node)
        finally:
            self.in_annotation = saved

    def _statements(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for statement in body:
            result = self.visit(statement)
            if isinstance(result, list):
                out.extend(result)
            elif result is not None:
                out.append(result)
        return out

    # ---------------------------------------------------------------- uses

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if not isinstance(node.ctx, ast.Load):
            return node
        return self._chain(node, [])

    def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
        attributes = []
        inner: ast.expr = node
        while isinstance(inner, ast.Attribute):
            attributes.append(inner)
            inner = inner.value
        if not isinstance(inner, ast.Name):
            node.value = self.visit(node.value)
            return node
        return self._chain(inner, list(reversed(attributes)))

    def _chain(self, root: ast.Name, attributes: list[ast.Attribute]) -> ast.expr:
        """Rename ``root.a1.a2...`` when it reaches a module through an import; the
        attributes are listed innermost first."""
        binding = self._binding(root.id)
        if binding is None:
            return attributes[-1] if attributes else root
        absolute = ".".join([binding.target, *(a.attr for a in attributes)])
        found = self.longest(absolute)
        if found is None:
            return attributes[-1] if attributes else root
        renamed, rest = found
        consumed = len(absolute.split(".")) - (len(rest.split(".")) if rest else 0)
        depth = consumed - len(binding.target.split("."))  # attributes the module prefix takes
        if not binding.plain and depth <= 0:
            return attributes[-1] if attributes else root
        if not binding.plain and not self.package_bound:
            self.extra.setdefault(id(binding.statement), [])
            if renamed not in self.extra[id(binding.statement)]:
                self.extra[id(binding.statement)].append(renamed)
        replacement = _dotted_expression(renamed, root)
        if depth <= 0 and not attributes:
            return replacement
        if depth <= 0:
            attributes[0].value = replacement
        elif depth == len(attributes):
            return _with_ctx(replacement, attributes[-1])
        else:
            attributes[depth].value = replacement
        return attributes[-1]

    def visit_Constant(self, node: ast.Constant) -> ast.expr:
        value = node.value
        if not isinstance(value, str) or len(value) > 200:
            return node
        if _DOTTED.fullmatch(value) and value.partition(".")[0] in self.tops:
            renamed = self.renamed_path(value)
            if renamed is not None:
                return ast.copy_location(ast.Constant(renamed), node)
            return node
        if self.in_annotation:
            return self._string_annotation(node)
        return node

    def _string_annotation(self, node: ast.Constant) -> ast.expr:
        try:
            expression = ast.parse(node.value.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return node
        before = ast.dump(expression)
        expression = self.visit(expression)
        if ast.dump(expression) == before:
            return node
        return ast.copy_location(ast.Constant(ast.unparse(expression)), node)

    def visit_Call(self, node: ast.Call) -> ast.expr:
        callee = dotted_name(node.func)
        if callee in _DYNAMIC_IMPORTERS and node.args and isinstance(node.args[0], ast.Constant):
            literal = node.args[0]
            if isinstance(literal.value, str):
                renamed = self._dynamic_target(literal.value, node)
                if renamed is not None:
                    node.args[0] = ast.copy_location(ast.Constant(renamed), literal)
        self.generic_visit(node)
        return node

    def _dynamic_target(self, target: str, node: ast.Call) -> str | None:
        level = len(target) - len(target.lstrip("."))
        module = target[level:]
        if level:
            package = next((k.value for k in node.keywords if k.arg == "package"), None)
            if package is None and len(node.args) > 1:
                package = node.args[1]
            if not (isinstance(package, ast.Name) and package.id in {"__package__", "__name__"}):
                return None
            absolute = self.absolute(module, level)
        else:
            absolute = module
        if not absolute or absolute.partition(".")[0] not in self.tops:
            return None
        return self.renamed_path(absolute)


class _Inserter(ast.NodeVisitor):
    """Put ``import obf.mNNNN`` after the import statements that need it."""

    def __init__(self, extra: dict[int, list[str]]):
        self.extra = extra

    def generic_visit(self, node: ast.AST) -> None:
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                out = []
                for statement in body:
                    out.append(statement)
                    for module in self.extra.get(id(statement), ()):
                        out.append(ast.copy_location(ast.Import(names=[ast.alias(module)]), statement))
                setattr(node, field, out)
        super().generic_visit(node)


def _dotted_expression(dotted: str, like: ast.AST) -> ast.expr:
    parts = dotted.split(".")
    expression: ast.expr = ast.copy_location(ast.Name(parts[0], ast.Load()), like)
    for part in parts[1:]:
        expression = ast.copy_location(ast.Attribute(expression, part, ast.Load()), like)
    return expression


def _with_ctx(expression: ast.expr, like: ast.Attribute) -> ast.expr:
    if isinstance(expression, ast.Attribute):
        expression.ctx = like.ctx
    return ast.copy_location(expression, like)
