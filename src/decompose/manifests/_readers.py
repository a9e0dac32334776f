"""The project files a manifest is read from, one reader per format: ``pyproject.toml``
(PEP 621, Poetry, setuptools, Hatch), ``setup.cfg``, ``setup.py`` literals, requirements
files and lock files. Each file is read, never run; an unreadable one is a diagnostic."""

from __future__ import annotations

import ast
import configparser
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from decompose.model import Diagnostic, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

__all__ = ["ManifestReader", "normalise"]

_MAX_BYTES = 5_000_000
_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


class ManifestReader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.distributions: set[str] = set()
        self.package_dirs: set[tuple[str, str]] = set()
        self.diagnostics: list[Diagnostic] = []

    def read_folder(self, folder: Path) -> None:
        self._read(folder / "pyproject.toml", self._pyproject)
        self._read(folder / "setup.cfg", self._setup_cfg)
        self._read(folder / "setup.py", self._setup_py)
        self._read(folder / "uv.lock", self._toml_lock)
        self._read(folder / "poetry.lock", self._toml_lock)
        self._read(folder / "Pipfile.lock", self._pipfile_lock)
        self._read(folder / "Pipfile", self._pipfile)
        for metadata in sorted([*folder.glob("*.dist-info/METADATA"), *folder.glob("*.egg-info/PKG-INFO")]):
            self._read(metadata, self._metadata)
        self._read(folder / "PKG-INFO", self._metadata)
        requirements = list(folder.glob("requirements*.txt")) + list(folder.glob("requirements/*.txt"))
        for path in sorted(requirements):
            self._read(path, self._requirements)

    def _read(self, path: Path, parse) -> None:
        try:
            if not path.is_file() or path.stat().st_size > _MAX_BYTES:
                return
            text = path.read_text(encoding="utf-8", errors="replace")
            parse(text, path)
        except (OSError, ValueError, SyntaxError, RecursionError, tomllib.TOMLDecodeError) as error:
            self.diagnostics.append(
                Diagnostic(
                    path=self._rel(path),
                    code="manifest-unreadable",
                    message=f"could not be read for declared dependencies: {type(error).__name__}",
                    severity=Severity.INFO,
                )
            )

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _folder(self, base: Path, relative: str) -> str | None:
        """``relative`` (a folder named in ``base``'s project file) relative to the root."""
        if not isinstance(relative, str) or relative.startswith("/"):
            return None
        joined = PurePosixPath(self._rel(base)) / relative.strip().rstrip("/")
        parts: list[str] = []
        for part in joined.parts:
            if part == "..":
                if not parts:
                    return None
                parts.pop()
            elif part != ".":
                parts.append(part)
        return "/".join(parts) or "."

    def _declare(self, requirements: Iterable[object]) -> None:
        for requirement in requirements:
            if not isinstance(requirement, str):
                continue
            match = _REQUIREMENT_NAME.match(requirement)
            if match:
                self.distributions.add(normalise(match.group(1)))

    def _package_dir(self, base: Path, relative: object, reason: str) -> None:
        folder = self._folder(base, relative) if isinstance(relative, str) else None
        if folder is not None and folder != ".":
            self.package_dirs.add((folder, reason))

    # ---------------------------------------------------------------- formats

    def _pyproject(self, text: str, path: Path) -> None:
        data = tomllib.loads(text)
        base = path.parent
        project = _table(data.get("project"))
        self._declare(_list(project.get("dependencies")))
        for extra in _table(project.get("optional-dependencies")).values():
            self._declare(_list(extra))
        for group in _table(data.get("dependency-groups")).values():
            self._declare(_list(group))
        tool = _table(data.get("tool"))
        poetry = _table(tool.get("poetry"))
        self._declare(k for k in _table(poetry.get("dependencies")) if k.lower() != "python")
        self._declare(_table(poetry.get("dev-dependencies")))
        for group in _table(poetry.get("group")).values():
            self._declare(_table(_table(group).get("dependencies")))
        for entry in _list(poetry.get("packages")):
            entry = _table(entry)
            if "from" in entry:
                self._package_dir(base, entry["from"], "pyproject.toml [tool.poetry] packages")
        setuptools = _table(tool.get("setuptools"))
        for target in _table(setuptools.get("package-dir")).values():
            self._package_dir(base, target, "pyproject.toml [tool.setuptools] package-dir")
        find = _table(_table(setuptools.get("packages")).get("find"))
        for where in _list(find.get("where")):
            self._package_dir(base, where, "pyproject.toml [tool.setuptools.packages.find] where")
        wheel = _table(_table(_table(_table(tool.get("hatch")).get("build")).get("targets")).get("wheel"))
        for package in _list(wheel.get("packages")):
            if isinstance(package, str) and "/" in package.strip("/"):
                self._package_dir(
                    base, package.strip("/").rpartition("/")[0], "pyproject.toml hatch wheel packages"
                )

    def _setup_cfg(self, text: str, path: Path) -> None:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.read_string(text)
        if parser.has_section("options"):
            options = parser["options"]
            self._declare(options.get("install_requires", "").splitlines())
            for line in options.get("package_dir", "").splitlines():
                key, _, target = line.partition("=")
                if target.strip() and not key.strip():
                    self._package_dir(path.parent, target.strip(), "setup.cfg [options] package_dir")
        if parser.has_section("options.extras_require"):
            for value in parser["options.extras_require"].values():
                self._declare(value.splitlines())
        if parser.has_section("options.packages.find"):
            where = parser["options.packages.find"].get("where", "").strip()
            if where:
                self._package_dir(path.parent, where, "setup.cfg [options.packages.find] where")

    def _setup_py(self, text: str, path: Path) -> None:
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node.func) not in {"setup", "setuptools.setup"}:
                continue
            for keyword in node.keywords:
                value = _literal(keyword.value)
                if keyword.arg in {"install_requires", "tests_require", "setup_requires"}:
                    self._declare(_list(value))
                elif keyword.arg == "extras_require":
                    for extra in _table(value).values():
                        self._declare(_list(extra))
                elif keyword.arg == "package_dir":
                    self._package_dir(path.parent, _table(value).get(""), "setup.py package_dir")
                elif keyword.arg == "packages" and isinstance(keyword.value, ast.Call):
                    where = _find_packages_where(keyword.value)
                    if where:
                        self._package_dir(path.parent, where, "setup.py find_packages")

    def _toml_lock(self, text: str, path: Path) -> None:
        for package in _list(tomllib.loads(text).get("package")):
            name = _table(package).get("name")
            if isinstance(name, str):
                self.distributions.add(normalise(name))

    def _pipfile_lock(self, text: str, path: Path) -> None:
        data = json.loads(text)
        if isinstance(data, dict):
            for section in ("default", "develop"):
                self._declare(_table(data.get(section)))

    def _pipfile(self, text: str, path: Path) -> None:
        data = tomllib.loads(text)
        for section in ("packages", "dev-packages"):
            self._declare(_table(data.get(section)))

    def _metadata(self, text: str, path: Path) -> None:
        """Core metadata of a built distribution (a wheel's METADATA, an sdist's PKG-INFO)."""
        for line in text.splitlines():
            if not line.strip():
                break  # the headers end at the first blank line
            if line.startswith("Requires-Dist:"):
                self._declare([line.partition(":")[2]])

    def _requirements(self, text: str, path: Path) -> None:
        for line in text.splitlines():
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith(("#", "-", "http:", "https:", "git+", ".", "/")):
                continue
            self._declare([line])


def _table(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _literal(node: ast.AST) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return ""


def _find_packages_where(call: ast.Call) -> str | None:
    if not _call_name(call.func).endswith(("find_packages", "find_namespace_packages")):
        return None
    if call.args:
        where = _literal(call.args[0])
        return where if isinstance(where, str) else None
    for keyword in call.keywords:
        if keyword.arg == "where":
            where = _literal(keyword.value)
            return where if isinstance(where, str) else None
    return None


def normalise(distribution: str) -> str:
    """PEP 503 normalisation: lower case, runs of ``-_.`` as one dash."""
    return re.sub(r"[-_.]+", "-", distribution).lower()
