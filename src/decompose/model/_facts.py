"""Per-file facts: what the parse stage reads in one file, as written, and its verdict on it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from decompose.model._diagnostics import Diagnostic
from decompose.model._files import SourceFile

__all__ = [
    "Definition",
    "DefinitionKind",
    "FileFacts",
    "HookKind",
    "HookRef",
    "ImportFact",
    "ModelMeta",
    "ParseResult",
    "ParseStatus",
    "Reference",
    "ReferenceKind",
    "RelationRef",
    "SqlRef",
    "StringRef",
]


# The four fact types below are named tuples, not dataclasses: a large tree has hundreds of
# thousands of them, built in workers, pickled back, and rebuilt from the cache, and tuples
# are several times cheaper to build than frozen dataclasses.
class ImportFact(NamedTuple):
    """One name an import statement binds (or one module it loads), as written.

    ``import a.b`` binds ``a`` and loads ``a.b``; ``from . import x as y`` binds ``y``.
    Relative imports are kept relative (``level`` > 0): resolving them needs the
    module's own name, which is the graph stage's business.
    """

    module: str  # dotted module as written ("" for ``from . import x``)
    level: int  # 0 absolute, n leading dots
    name: str | None  # the imported name for ``from`` imports, "*" for star, None for ``import``
    bound_as: str | None  # the local name bound; None for star and dynamic imports
    line: int
    scope: str = ""  # qualified name of the enclosing function, "" at module level
    type_only: bool = False  # under ``if TYPE_CHECKING:``
    lazy: bool = False  # inside a function body
    conditional: bool = False  # under if/try at module level
    dynamic: bool = False  # importlib.import_module / __import__ with a literal


class DefinitionKind(str, enum.Enum):
    CLASS = "class"
    FUNCTION = "function"
    METHOD = "method"
    VARIABLE = "variable"


class Definition(NamedTuple):
    name: str  # qualified within the module: "Order", "Order.total"
    kind: DefinitionKind
    line: int
    end_line: int
    bases: tuple[str, ...] = ()  # dotted expressions as written
    signature: str = ""  # "(self, amount: Decimal, *, currency='EUR') -> Money"
    doc: str = ""  # first line of the docstring
    # Functions and methods: McCabe's cyclomatic complexity, 1 + the decision points in the
    # body (see the parse stage's ``_flow.py`` for what counts); 0 for classes and variables.
    complexity: int = 0
    # Declared abstract: a class with an ``abc.ABC`` or ``Protocol`` base, an ``ABCMeta``
    # metaclass, an ``@abstractmethod`` method, or a Django/SQLAlchemy abstract model; a
    # function or method decorated ``@abstractmethod``.
    abstract: bool = False


class ReferenceKind(str, enum.Enum):
    CALL = "call"
    INHERIT = "inherit"
    DECORATOR = "decorator"
    ANNOTATION = "annotation"
    REFERENCE = "reference"


class Reference(NamedTuple):
    """Uses of a dotted name that is not bound locally, e.g. ``services.place`` called,
    grouped by where they stand (one value per name, kind and scope keeps caches small)."""

    target: str  # dotted expression as written: "services.place", "Order.objects.filter"
    kind: ReferenceKind
    scope: str  # qualified name of the innermost enclosing def/class, "" at module level
    lines: tuple[int, ...]  # one entry per use, sorted; a line repeats for two uses on it


class StringRef(NamedTuple):
    """A string literal shaped like a dotted path: settings entries, model references."""

    value: str
    line: int
    scope: str


class ParseStatus(str, enum.Enum):
    OK = "ok"
    PARTIAL = "partial"  # facts recovered from a file that did not parse whole
    FAILED = "failed"  # nothing could be read from the file


@dataclass(frozen=True)
class FileFacts:
    lines: int
    imports: tuple[ImportFact, ...] = ()
    definitions: tuple[Definition, ...] = ()
    references: tuple[Reference, ...] = ()
    string_refs: tuple[StringRef, ...] = ()
    all_names: tuple[str, ...] | None = None  # ``__all__`` when it is a literal
    sql_refs: tuple[SqlRef, ...] = ()
    model_meta: tuple[ModelMeta, ...] = ()
    relations: tuple[RelationRef, ...] = ()
    hooks: tuple[HookRef, ...] = ()  # framework wiring: see ``HookRef``


class RelationRef(NamedTuple):
    """A model field pointing at another model: ``ForeignKey("orders.Order")``,
    ``ManyToManyField(Product)``, ``relationship("Order")``."""

    field: str  # the called name as written: "models.ForeignKey", "relationship"
    target: str  # the target as written: "orders.Order", "Order", "self"
    is_string: bool
    line: int
    scope: str  # the class the field is declared in


# --------------------------------------------------------------------------- framework hooks
# Framework wiring (issue 11): the calls, decorators, class attributes and settings by which
# a framework joins code by name rather than by import. The visitor records each as written,
# by its shape alone; the graph stage (``graph/_wiring.py``) resolves them to typed edges.


class HookKind(str, enum.Enum):
    """What a hook is, by its shape; what ``names``, ``strings`` and ``subject`` hold."""

    MODEL = "model"  # apps.get_model("orders", "Order") / get_model("orders.Order"): strings
    # get_class("x.forms", "F"), get_classes("x.forms", ["A", "B"]), import_string("x.y.Z"): strings
    LOADER = "loader"
    URL = "url"  # include("app.urls"), path("x/", "app.views.f"), url(r"..", "app.views.f"): strings
    TASK = "task"  # @app.task / @shared_task on function ``subject``: strings, its custom name if literal
    TASK_CALL = "task_call"  # send_task("name"), signature("name"): strings, the task name
    SCHEDULE = "schedule"  # a dict literal's "task": "name" (beat schedules): strings, the task name
    SIGNAL = "signal"  # ``subject = Signal(...)`` at module level
    # @receiver(sig, sender=X), sig.connect(h, sender=X): names, the signals; subject, the sender
    # as written; strings, a lazy sender "app.Model"
    RECEIVER = "receiver"
    ADMIN = "admin"  # admin.site.register(Order, OrderAdmin), @admin.register(Order): names
    BINDING = "binding"  # class-level ``model = Order`` (Meta's too), ``queryset = Order.objects...``
    BLUEPRINT = "blueprint"  # app.register_blueprint(bp): names
    ROUTER = "router"  # app.include_router(router): names
    DEPENDS = "depends"  # Depends(get_db), Security(get_user): names
    # a top-level class ``subject`` with bases and a literal name or label: strings (name, label)
    APP_CONFIG = "app_config"
    SETTING = "setting"  # module-level INSTALLED_APPS, *_APPS, AUTH_USER_MODEL (``hook``): strings


class HookRef(NamedTuple):
    """A framework hook as written, e.g. ``admin.site.register(Order)``: the callee, the
    dotted names and literal strings it is given, and where it stands."""

    kind: HookKind
    hook: str  # the callee, decorator or setting as written: "admin.site.register", "receiver"
    names: tuple[str, ...]  # dotted names given to it, as written
    strings: tuple[str, ...]  # literal strings given to it, in order
    line: int
    end_line: int  # the hook's last line: the names it is given stand within line..end_line
    scope: str
    subject: str = ""  # what it applies to: the decorated function, the bound name, the sender


class SqlRef(NamedTuple):
    """A table named in a literal SQL string: ``SELECT ... FROM orders_order``."""

    table: str  # lower-cased, unquoted, without schema
    verb: str  # "select", "insert", "update", "delete", or another SQL statement's keyword
    line: int
    scope: str


class ModelMeta(NamedTuple):
    """What a class body says about the table behind it (Django ``Meta``, SQLAlchemy)."""

    symbol: str  # the class, qualified within the module
    table: str | None  # ``db_table`` / ``__tablename__`` when literal
    app_label: str | None  # Django ``Meta.app_label`` when literal
    abstract: bool = False  # Django ``Meta.abstract = True`` / SQLAlchemy ``__abstract__ = True``


@dataclass(frozen=True)
class ParseResult:
    """The parse stage's verdict on one file. Never an exception: failures are values."""

    file: SourceFile
    status: ParseStatus
    facts: FileFacts
    diagnostics: tuple[Diagnostic, ...] = ()
