"""Corpora for bench/quality.py: downloaded from PyPI into bench/.corpora/ on first use, with
the reference decomposition each one is scored against.

A reference maps every analysed module to the service it belongs to in the reference; it is
derived from the as-shipped tree (module names and folders), never from decompose's output.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPORA = HERE / ".corpora" / "quality"

# distribution -> (version, the top-level packages it ships)
DISTRIBUTIONS = {
    "django": ("5.2.8", ("django",)),
    "wagtail": ("7.2.1", ("wagtail",)),
    "pretix": ("2025.10.0", ("pretix",)),
    "shuup": ("3.1.0", ("shuup",)),
    "tendenci": ("16.30", ("tendenci",)),
    "httpx": ("0.28.1", ("httpx",)),
    "httpcore": ("1.0.9", ("httpcore",)),
    "h11": ("0.16.0", ("h11",)),
    "anyio": ("4.11.0", ("anyio",)),
    "sniffio": ("1.3.1", ("sniffio",)),
    "rich": ("14.2.0", ("rich",)),
    "markdown-it-py": ("4.0.0", ("markdown_it",)),
    "mdurl": ("0.1.2", ("mdurl",)),
    "pygments": ("2.19.2", ("pygments",)),
    "jsonschema": ("4.25.1", ("jsonschema",)),
    "referencing": ("0.37.0", ("referencing",)),
    "attrs": ("25.4.0", ("attr", "attrs")),  # one library, two packages
}
MERGED_LIBRARIES = (
    "httpx", "httpcore", "h11", "anyio", "sniffio", "rich",
    "markdown-it-py", "mdurl", "pygments", "jsonschema", "referencing", "attrs",
)

# A module's name and whether it is a package's __init__: what a reference is computed from.
ModuleList = Iterable[tuple[str, bool]]
Reference = dict[str, str]  # module -> reference service


@dataclass(frozen=True)
class Corpus:
    name: str
    description: str
    root: Path  # the as-shipped tree that decompose analyses
    reference: Callable[[ModuleList], Reference]
    django: bool  # counts towards the Django targets


def corpus(name: str) -> Corpus:
    """Fetch (once) and return one corpus by name."""
    return _BUILDERS[name]()


NAMES = ("sample_monolith", "django", "wagtail", "pretix", "shuup", "tendenci", "libraries")


# --------------------------------------------------------------------------- builders


def _sample() -> Corpus:
    root = REPO / "sample_monolith"
    intended = json.loads((root / "intended_decomposition.json").read_text(encoding="utf-8"))
    table = {module: service for service, modules in intended["services"].items() for module in modules}

    def reference(modules: ModuleList) -> Reference:
        return {name: table[name] for name, _ in modules if name in table}

    return Corpus("sample_monolith", "intended_decomposition.json", root, reference, django=False)


def _django() -> Corpus:
    root = _assemble("django", ["django"])

    def reference(modules: ModuleList) -> Reference:
        labels = {}
        for name, is_package in modules:
            package = name.split(".") if is_package else name.split(".")[:-1]
            if len(package) <= 1:
                labels[name] = "django (top-level modules)"
            elif package[1] == "contrib" and len(package) >= 3:
                labels[name] = ".".join(package[:3])
            else:
                labels[name] = ".".join(package[:2])
        return labels

    return Corpus("django", "top-level subpackages, each contrib app its own", root, reference, django=True)


def _django_apps(distribution: str) -> Corpus:
    root = _assemble(distribution, [distribution])
    apps = _app_packages(root)

    def reference(modules: ModuleList) -> Reference:
        labels = {}
        for name, is_package in modules:
            package = name.split(".") if is_package else name.split(".")[:-1]
            labels[name] = "rest"
            for cut in range(len(package), 0, -1):
                candidate = ".".join(package[:cut])
                if candidate in apps:
                    labels[name] = candidate
                    break
        return labels

    return Corpus(distribution, f"Django apps ({len(apps)}: apps.py or migrations/)", root, reference, django=True)


def _libraries() -> Corpus:
    root = _assemble("libraries", list(MERGED_LIBRARIES))
    library_of = {package: dist for dist in MERGED_LIBRARIES for package in DISTRIBUTIONS[dist][1]}

    def reference(modules: ModuleList) -> Reference:
        return {name: library_of[name.partition(".")[0]] for name, _ in modules if name.partition(".")[0] in library_of}

    return Corpus("libraries", f"one service per library ({len(MERGED_LIBRARIES)})", root, reference, django=False)


_BUILDERS: dict[str, Callable[[], Corpus]] = {
    "sample_monolith": _sample,
    "django": _django,
    "wagtail": lambda: _django_apps("wagtail"),
    "pretix": lambda: _django_apps("pretix"),
    "shuup": lambda: _django_apps("shuup"),
    "tendenci": lambda: _django_apps("tendenci"),
    "libraries": _libraries,
}


def _app_packages(root: Path) -> set[str]:
    """Dotted names of the packages that hold an ``apps.py`` or a ``migrations/`` folder."""
    apps = set()
    for marker in [*root.rglob("apps.py"), *root.rglob("migrations")]:
        if marker.name == "migrations" and not marker.is_dir():
            continue
        package = marker.parent
        if (package / "__init__.py").is_file():
            apps.add(".".join(package.relative_to(root).parts))
    return apps


# --------------------------------------------------------------------------- downloads


def _assemble(name: str, distributions: list[str]) -> Path:
    """A folder holding the distributions' top-level packages side by side (copied)."""
    target = CORPORA / "shipped" / name
    if not target.is_dir():
        building = target.with_name(target.name + ".partial")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        for distribution in distributions:
            unpacked = fetch(distribution)
            for package in DISTRIBUTIONS[distribution][1]:
                shutil.copytree(package_dir(unpacked, package), building / package)
        building.rename(target)
    return target


def fetch(distribution: str) -> Path:
    """The unpacked wheel (or sdist) of ``distribution`` at its pinned version."""
    version, _ = DISTRIBUTIONS[distribution]
    return download(distribution, version)


def download(distribution: str, version: str) -> Path:
    """``distribution==version`` from PyPI, unpacked once under bench/.corpora/downloads/."""
    unpacked = CORPORA / "downloads" / f"{distribution}-{version}"
    if unpacked.is_dir():
        return unpacked
    unpacked.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        arguments = ["download", "--quiet", "--no-deps", f"{distribution}=={version}", "-d", folder]
        command = [sys.executable, "-m", "pip", *arguments]
        if subprocess.run(command, stderr=subprocess.DEVNULL).returncode != 0:
            # An sdist whose metadata does not build: the wheel carries the same sources.
            binary = [*command, "--only-binary", ":all:"]
            if subprocess.run(binary, stderr=subprocess.DEVNULL).returncode != 0:
                # Metadata that pip 24.1 and later reject (shuup 3.1.0 requires
                # "toml (<1pytz>=2015.4,>=0.10.0)"): pip 24.0 still reads it.
                subprocess.run([sys.executable, str(_old_pip()), *arguments], check=True)
        (archive,) = Path(folder).iterdir()
        partial = unpacked.with_name(unpacked.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                wheel.extractall(partial)
        else:
            with tarfile.open(archive) as tar:
                tar.extractall(partial, filter="data")
        partial.rename(unpacked)
    return unpacked


def _old_pip() -> Path:
    """pip 24.0, run from its wheel (``python pip.whl/pip``), for metadata newer pips reject."""
    wheel = CORPORA / "downloads" / "pip-24.0-py3-none-any.whl"
    if not wheel.is_file():
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "pip==24.0"]
        subprocess.run([*command, "-d", str(wheel.parent)], check=True)
    return wheel / "pip"


def package_dir(unpacked: Path, package: str) -> Path:
    for pattern in (package, f"src/{package}", f"*/{package}", f"*/src/{package}", f"*/lib/{package}"):
        for candidate in sorted(unpacked.glob(pattern)):
            if (candidate / "__init__.py").is_file():
                return candidate
    raise SystemExit(f"no package {package!r} in {unpacked}")
