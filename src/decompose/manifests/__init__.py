"""What a project declares about itself: the distributions it depends on and where its
packages live, read from ``pyproject.toml``, ``setup.cfg``, ``setup.py`` literals,
``requirements*.txt`` and lock files (``uv.lock``, ``poetry.lock``, ``Pipfile.lock``).

The files are read, never run: ``setup.py`` is parsed and only literal arguments of
``setup(...)`` count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from decompose.manifests._readers import ManifestReader, normalise
from decompose.model import Diagnostic, Discovery

__all__ = [
    "Manifest",
    "manifest_folders",
    "read_manifests",
    "import_names",
    "installed_import_names",
    "normalise",
]


# Distributions whose import name is not their own name, normalised. A short list of the
# well-known ones; an installed distribution's own record (``top_level``) is read as well.
_KNOWN_IMPORT_NAMES: dict[str, tuple[str, ...]] = {
    "beautifulsoup4": ("bs4",),
    "pillow": ("PIL",),
    "pyyaml": ("yaml",),
    "python-dateutil": ("dateutil",),
    "scikit-learn": ("sklearn",),
    "scikit-image": ("skimage",),
    "opencv-python": ("cv2",),
    "opencv-python-headless": ("cv2",),
    "djangorestframework": ("rest_framework",),
    "djangorestframework-simplejwt": ("rest_framework_simplejwt",),
    "django-filter": ("django_filters",),
    "django-cors-headers": ("corsheaders",),
    "django-environ": ("environ",),
    "django-storages": ("storages",),
    "django-debug-toolbar": ("debug_toolbar",),
    "django-rq": ("django_rq",),
    "django-redis": ("django_redis",),
    "django-csp": ("csp",),
    "django-user-agents": ("django_user_agents",),
    "drf-spectacular": ("drf_spectacular",),
    "drf-yasg": ("drf_yasg",),
    "psycopg2-binary": ("psycopg2",),
    "psycopg-binary": ("psycopg",),
    "mysqlclient": ("MySQLdb",),
    "pymysql": ("pymysql",),
    "pyjwt": ("jwt",),
    "python-jose": ("jose",),
    "python-dotenv": ("dotenv",),
    "python-multipart": ("multipart",),
    "python-magic": ("magic",),
    "python-slugify": ("slugify",),
    "pyopenssl": ("OpenSSL",),
    "pycryptodome": ("Crypto",),
    "pycryptodomex": ("Cryptodome",),
    "protobuf": ("google",),
    "google-cloud-storage": ("google",),
    "google-api-python-client": ("googleapiclient",),
    "attrs": ("attr", "attrs"),
    "setuptools": ("setuptools", "pkg_resources"),
    "msgpack-python": ("msgpack",),
    "pyzmq": ("zmq",),
    "pygobject": ("gi",),
    "pywin32": ("win32api", "win32con", "pywintypes"),
    "typing-extensions": ("typing_extensions",),
    "ujson": ("ujson",),
    "markdown": ("markdown",),
    "flask-sqlalchemy": ("flask_sqlalchemy",),
    "sqlalchemy-utils": ("sqlalchemy_utils",),
    "email-validator": ("email_validator",),
    "boto3": ("boto3",),
    "sentry-sdk": ("sentry_sdk",),
    "ldap3": ("ldap3",),
    "python-ldap": ("ldap",),
    "dnspython": ("dns",),
    "pyserial": ("serial",),
    "pytz": ("pytz",),
    "faker": ("faker",),
    "factory-boy": ("factory",),
    "graphene-django": ("graphene_django",),
    "channels-redis": ("channels_redis",),
    "uvicorn": ("uvicorn",),
}


_HOST_PREFIXES = frozenset({"django", "python", "py"})


@dataclass(frozen=True)
class Manifest:
    distributions: tuple[str, ...] = ()  # normalised distribution names, sorted
    # (folder relative to the analysed folder, why): where packaging says packages live
    package_dirs: tuple[tuple[str, str], ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def declared_imports(self) -> frozenset[str]:
        """Top-level import names the declared distributions provide (a best guess for the
        ones not installed here)."""
        installed = _installed_import_names()
        names: set[str] = set()
        for distribution in self.distributions:
            names.update(import_names(distribution, installed))
        return frozenset(names)


def read_manifests(folders: Iterable[Path], root: Path) -> Manifest:
    """The declarations of every project file in ``folders`` (paths in the result are
    relative to ``root``, the analysed folder)."""
    reader = ManifestReader(root)
    for folder in sorted(set(folders)):
        reader.read_folder(folder)
    return Manifest(
        distributions=tuple(sorted(reader.distributions)),
        package_dirs=tuple(sorted(reader.package_dirs)),
        diagnostics=tuple(sorted(reader.diagnostics)),
    )


_MANIFEST_LEVELS_UP = 3


def manifest_folders(root: Path, found: Discovery) -> list[Path]:
    """Where the project declares itself: the analysed folder, the folder holding it when
    it is a package (a project's ``pyproject.toml`` sits beside its package), nested
    projects, and the folders of entry scripts (``requirements.txt`` beside ``manage.py``)."""
    folders = {root}
    outer = root
    while (outer / "__init__.py").is_file() and outer.parent != outer:
        outer = outer.parent
    folders.add(outer)
    # A folder of a repository (``backend/``) is declared at the repository's top: look up
    # to the work tree's top, a few levels at most.
    above, passed = outer, []
    for _ in range(_MANIFEST_LEVELS_UP):
        if (above / ".git").exists() or above.parent == above:
            break
        above = above.parent
        passed.append(above)
        if (above / ".git").exists():
            folders.update(passed)
            break
    folders.update(root / rel for rel, _ in found.source_roots)
    folders.update((root / rel).parent for rel, _ in found.source_roots if rel.rsplit("/", 1)[-1] == "src")
    folders.update((root / f.path).parent for f in found.files if f.path.rsplit("/", 1)[-1] == "manage.py")
    return sorted(folders)


def import_names(distribution: str, installed: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The top-level names a distribution is imported by: its installed record, the
    well-known exceptions, or its own name with dashes and dots as underscores."""
    name = normalise(distribution)
    if installed and name in installed:
        return installed[name]
    if name in _KNOWN_IMPORT_NAMES:
        return _KNOWN_IMPORT_NAMES[name]
    tokens = name.split("-")
    guesses = {"_".join(tokens)}
    # Plugins are named after their host (django-mptt imports as mptt, python-ldap as
    # ldap); suites after their first and last words
    # (social-auth-core as social_core, strawberry-graphql as strawberry).
    if len(tokens) > 1:
        if tokens[0] in _HOST_PREFIXES:
            guesses.add("_".join(tokens[1:]))
        else:
            guesses.add(tokens[0])
            guesses.add(f"{tokens[0]}_{tokens[-1]}")
    return tuple(sorted(guesses))


def installed_import_names() -> frozenset[str]:
    """Top-level names of every distribution installed beside decompose."""
    return frozenset(name for names in _installed_import_names().values() for name in names)


_INSTALLED: dict[str, tuple[str, ...]] | None = None


def _installed_import_names() -> dict[str, tuple[str, ...]]:
    """Normalised distribution -> its top-level import names, from installed metadata."""
    global _INSTALLED
    if _INSTALLED is None:
        from importlib.metadata import packages_distributions

        by_distribution: dict[str, set[str]] = {}
        try:
            mapping = packages_distributions()
        except Exception:  # broken metadata of some installed package: read none
            mapping = {}
        for top, distributions in mapping.items():
            if not top.isidentifier():
                continue
            for distribution in distributions:
                by_distribution.setdefault(normalise(distribution), set()).add(top)
        _INSTALLED = {name: tuple(sorted(tops)) for name, tops in by_distribution.items()}
    return _INSTALLED
