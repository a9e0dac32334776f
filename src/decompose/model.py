"""Value types passed between the pipeline's stages.

Every type here is frozen and picklable: the parse stage's results cross process
boundaries and caches, and nothing downstream may mutate what an earlier stage produced.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import ClassVar, NamedTuple, NewType

__all__ = [
    "ModuleName",
    "SourceFile",
    "Diagnostic",
    "Severity",
    "Discovery",
    "Exclusion",
    "DeferredFile",
    "ImportRoot",
    "ImportCensus",
    "ImportFact",
    "Definition",
    "DefinitionKind",
    "Reference",
    "ReferenceKind",
    "StringRef",
    "FileFacts",
    "ParseStatus",
    "ParseResult",
    "EdgeKind",
    "ModuleEdge",
    "SymbolEdge",
    "ModuleInfo",
    "DependencyGraph",
    "CoChangePair",
    "AuthorWork",
    "ModuleHistory",
    "ChangeHistory",
    "SqlRef",
    "ModelMeta",
    "RelationRef",
    # framework wiring (graph/_wiring.py)
    "HookKind",
    "HookRef",
    "EntityKind",
    "Entity",
    "UseKind",
    "EntityUse",
    "DataModel",
    "ServiceModule",
    "Tie",
    "CallSite",
    "ApiSymbol",
    "ServiceDependency",
    "Service",
    "SymbolMove",
    "CycleEdge",
    "ServiceCycle",
    "OwnershipConflict",
    "Decomposition",
    "ModuleMetrics",
    "ServiceMetrics",
    "OverallMetrics",
    "Measures",
    "MetricsReport",
    # ownership and hotspots (metrics/_history.py)
    "ServiceAuthor",
    "AuthorElsewhere",
    "ServiceOwnership",
    "Hotspot",
    "ServiceHotspots",
    "HistoryReport",
]

# The one identity of a module: its dotted import name, e.g. "shop.models.core".
ModuleName = NewType("ModuleName", str)


# --------------------------------------------------------------------------- discovery


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


@dataclass(frozen=True, order=True)
class SourceFile:
    """A Python file found under the root, with the module name Python would give it."""

    module: ModuleName
    path: str  # relative to the analysed root, POSIX separators
    is_package: bool  # an ``__init__.py``


@dataclass(frozen=True, order=True)
class Exclusion:
    """A file or folder left out on purpose, by a default rule or the user's pattern."""

    path: str
    reason: str


@dataclass(frozen=True, order=True)
class DeferredFile:
    """A test file: analysed only if the analysed code imports it (``django.test`` is a
    library, ``tests/test_views.py`` is not)."""

    file: SourceFile
    group: str  # the folder (or file) the rule matched, for reporting
    reason: str


@dataclass(frozen=True)
class Discovery:
    root: str  # absolute path of the analysed tree
    files: tuple[SourceFile, ...]  # sorted by module name
    diagnostics: tuple[Diagnostic, ...]
    excluded: tuple[Exclusion, ...] = ()
    deferred: tuple[DeferredFile, ...] = ()
    # Folders that module names are counted from (the src layout, nested projects), with why.
    source_roots: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------- import roots


@dataclass(frozen=True, order=True)
class ImportRoot:
    """A folder on the import path: the code names the modules below it from there."""

    path: str  # relative to the analysed folder, POSIX; "." for the folder itself
    reason: str  # why it counts as a root, for the report
    # The dotted name discovery gave the folder ("" when names already start below it), and
    # whether the modules below it are named from here (the code imports them that way) or
    # keep their discovered names, with the short form resolving to them.
    prefix: str = ""
    named_here: bool = False


@dataclass(frozen=True)
class ImportCensus:
    """Every absolute import statement, classified by who owns the top-level name it imports."""

    project: int = 0  # the project's own modules
    resolved: int = 0  # ... of which the module (or the name in it) was found
    stdlib: int = 0
    declared: int = 0  # distributions the project declares (pyproject, requirements, lock files)
    installed: int = 0  # installed here, not declared
    unknown: int = 0
    unknown_names: tuple[tuple[str, int], ...] = ()  # top-level name, statements; most first

    @property
    def total(self) -> int:
        return self.project + self.stdlib + self.declared + self.installed + self.unknown

    @property
    def resolved_share(self) -> float:
        """Of the imports that look like the project's (its own, or owned by nobody), the
        share that resolved to a project module; 1.0 when there are none."""
        looking = self.project + self.unknown
        return self.resolved / looking if looking else 1.0


# --------------------------------------------------------------------------- per-file facts


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
    # body (see the parse stage's visitor for what counts); 0 for classes and variables.
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


# --------------------------------------------------------------------------- graph


class EdgeKind(str, enum.Enum):
    IMPORT = "import"
    TYPE_ONLY = "type_only"
    LAZY = "lazy"
    DYNAMIC = "dynamic"
    CALL = "call"
    INHERIT = "inherit"
    DECORATOR = "decorator"
    ANNOTATION = "annotation"
    REFERENCE = "reference"
    STRING = "string"  # a dotted path in a string literal that names a project module
    # Framework wiring (graph/_wiring.py): a dependency a framework makes by name. Each takes
    # over the plain reference or string use it explains, so an occurrence counts once.
    DJANGO_MODEL = "django_model"  # "orders.Order", apps.get_model, settings.AUTH_USER_MODEL
    SIGNAL = "signal"  # a receiver on the sender model and on the modules sending its signal
    ADMIN = "admin"  # admin.site.register(Order) / @admin.register(Order)
    MODEL_BINDING = "model_binding"  # Meta.model = Order, queryset = Order.objects...
    URL = "url"  # include("app.urls"), a view's dotted path in a route
    LOADER = "loader"  # get_class("x.forms", "F"), get_classes, import_string
    TASK = "task"  # send_task / signature / a beat schedule naming a Celery task
    BLUEPRINT = "blueprint"  # Flask app.register_blueprint(bp)
    ORM = "orm"  # SQLAlchemy relationship("Order"), ForeignKey("orders.id")
    ROUTER = "router"  # FastAPI app.include_router(router)
    DEPENDS = "depends"  # FastAPI Depends(get_db)


# Edges are named tuples rather than dataclasses: a million-line project has hundreds of
# thousands of them, and tuples are built and sorted several times faster.
class ModuleEdge(NamedTuple):
    source: ModuleName
    target: ModuleName
    kind: EdgeKind
    weight: int  # occurrences
    lines: tuple[int, ...]  # where, in the source module


class SymbolEdge(NamedTuple):
    """A use of one top-level symbol by another (or by module-level code, symbol "")."""

    source_module: ModuleName
    source_symbol: str
    target_module: ModuleName
    target_symbol: str
    kind: EdgeKind
    weight: int
    lines: tuple[int, ...] = ()  # where, in the source module


@dataclass(frozen=True)
class ModuleInfo:
    name: ModuleName
    path: str
    is_package: bool
    lines: int
    status: ParseStatus
    definitions: tuple[Definition, ...]
    stdlib: tuple[str, ...]  # top-level names of standard-library modules imported
    third_party: tuple[str, ...]  # top-level names of other external modules imported


@dataclass(frozen=True)
class DependencyGraph:
    modules: tuple[ModuleInfo, ...]  # sorted by name
    edges: tuple[ModuleEdge, ...]  # sorted; no self edges
    symbol_edges: tuple[SymbolEdge, ...]  # sorted; intra-module uses included
    diagnostics: tuple[Diagnostic, ...] = ()
    roots: tuple[ImportRoot, ...] = ()
    imports: ImportCensus = ImportCensus()

    def to_networkx(self):  # -> networkx.DiGraph
        """Module graph with one edge per pair; ``weight`` sums kinds, ``kinds`` splits it."""
        import networkx as nx

        graph = nx.DiGraph()
        for module in self.modules:
            graph.add_node(module.name, path=module.path, lines=module.lines)
        for edge in self.edges:
            if graph.has_edge(edge.source, edge.target):
                data = graph.edges[edge.source, edge.target]
                data["weight"] += edge.weight
                data["kinds"][edge.kind.value] = edge.weight
            else:
                graph.add_edge(
                    edge.source, edge.target, weight=edge.weight, kinds={edge.kind.value: edge.weight}
                )
        return graph

    def symbol_networkx(self):  # -> networkx.DiGraph
        """Symbol graph: nodes ``"module:Symbol"`` (``"module:"`` for module-level code)."""
        import networkx as nx

        graph = nx.DiGraph()
        for edge in self.symbol_edges:
            source = f"{edge.source_module}:{edge.source_symbol}"
            target = f"{edge.target_module}:{edge.target_symbol}"
            if graph.has_edge(source, target):
                graph.edges[source, target]["weight"] += edge.weight
            else:
                graph.add_edge(source, target, weight=edge.weight)
        return graph


# --------------------------------------------------------------------------- history


class CoChangePair(NamedTuple):
    """Two modules changed in the same commits (code-maat's coupling), ``a < b``."""

    a: ModuleName
    b: ModuleName
    shared: int  # changesets changing both
    degree: float  # shared / mean revisions of the two, in percent


class AuthorWork(NamedTuple):
    author: str  # a name through the mailmap, a hash of it, never an e-mail address
    commits: int
    lines: int  # lines added plus deleted


class ModuleHistory(NamedTuple):
    module: ModuleName
    revisions: int  # changesets changing it (the largest left out)
    churn: int  # lines added plus deleted, every commit read
    authors: tuple[AuthorWork, ...]  # over the authors' window, most commits first


@dataclass(frozen=True)
class ChangeHistory:
    """What the git history says about the analysed modules (see ``decompose.history``)."""

    commits: int  # commits read
    head: str  # the commit read from
    truncated: bool  # older commits exist that were not read
    # The modules each changeset changed, changesets over the size limit left out: what
    # ``cross_service_commits`` is measured on, for any decomposition.
    changesets: tuple[tuple[ModuleName, ...], ...]
    cochange: tuple[CoChangePair, ...]  # pairs over the thresholds, most shared first
    modules: tuple[ModuleHistory, ...]  # sorted by module; modules never changed left out
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- data


class EntityKind(str, enum.Enum):
    DJANGO = "django"  # a Django model class
    SQLALCHEMY = "sqlalchemy"  # an SQLAlchemy declarative class
    TABLE = "table"  # a table seen only in SQL strings


@dataclass(frozen=True, order=True)
class Entity:
    name: str  # "module:Class" for models, "table:<name>" for bare tables
    kind: EntityKind
    module: ModuleName | None  # where it is defined (None for a bare table)
    symbol: str  # the class ("" for a bare table)
    table: str  # the table name it maps to (derived when not declared)
    app_label: str | None = None


class UseKind(str, enum.Enum):
    DEFINE = "define"
    REFERENCE = "reference"  # imported or named
    QUERY = "query"  # manager / session query: Order.objects.filter, session.query(Order)
    RELATION = "relation"  # ForeignKey / relationship, string references included
    SQL = "sql"  # its table named in a literal SQL string


@dataclass(frozen=True, order=True)
class EntityUse:
    entity: str  # Entity.name
    module: ModuleName
    kind: UseKind
    lines: tuple[int, ...]


@dataclass(frozen=True)
class DataModel:
    entities: tuple[Entity, ...] = ()
    uses: tuple[EntityUse, ...] = ()


# --------------------------------------------------------------------------- services


@dataclass(frozen=True)
class Tie:
    """One reason a module sits where it does: another module and the signal joining them."""

    module: ModuleName
    kind: str  # a code edge kind ("call", "import", ...) or a similarity signal ("vocabulary", ...)
    weight: float  # the tie's weight in the fused similarity graph, rounded to 4 decimals


@dataclass(frozen=True)
class ServiceModule:
    name: ModuleName
    path: str
    confidence: float = 1.0  # share of consensus runs that put it with its service's core
    # Why here, and what else it could be: its strongest ties into its own service, and
    # into the service it is next most tied to (None when it is tied to no other).
    ties: tuple[Tie, ...] = ()
    runner_up: str | None = None
    runner_up_ties: tuple[Tie, ...] = ()
    own_weight: float = 0.0  # all its ties into its own service, summed
    runner_up_weight: float = 0.0  # all its ties into the runner-up, summed


@dataclass(frozen=True)
class CallSite:
    service: str
    module: ModuleName
    line: int


@dataclass(frozen=True)
class ApiSymbol:
    """A class or function of one service that other services use."""

    module: ModuleName
    symbol: str
    kind: str  # "class", "function", "variable"
    signature: str
    doc: str
    uses: int  # cross-service uses, all kinds
    callers: tuple[CallSite, ...]  # the first few (at most 20), by service, module and line
    caller_modules: int = 0  # modules of other services that use it, all of them
    caller_services: int = 0  # other services that use it


@dataclass(frozen=True)
class ServiceDependency:
    service: str
    weight: int  # cross-service uses, all kinds
    kinds: tuple[tuple[str, int], ...]  # (edge kind, uses), most first


@dataclass(frozen=True)
class Service:
    name: str
    kind: str  # "domain", "shared" (the kernel most modules use) or "package"
    modules: tuple[ServiceModule, ...]
    lines: int = 0
    api: tuple[ApiSymbol, ...] = ()
    depends_on: tuple[ServiceDependency, ...] = ()
    entities: tuple[str, ...] = ()  # entities the service owns


@dataclass(frozen=True)
class SymbolMove:
    """Split a god module: move one of its symbols to the service that uses it."""

    module: ModuleName
    symbol: str
    from_service: str
    to_service: str
    uses_by_target: int
    uses_by_home: int


@dataclass(frozen=True)
class CycleEdge:
    source: ModuleName
    target: ModuleName
    weight: int


@dataclass(frozen=True)
class ServiceCycle:
    services: tuple[str, ...]  # one cycle, in order
    edges: tuple[CycleEdge, ...]  # the module edges that close it
    cheapest_cut: tuple[CycleEdge, ...]  # the lightest edges whose removal breaks it


@dataclass(frozen=True)
class OwnershipConflict:
    entity: str
    owner: str
    users: tuple[tuple[str, int], ...]  # (service, uses) of services other than the owner


@dataclass(frozen=True)
class Decomposition:
    services: tuple[Service, ...] = field(default_factory=tuple)
    method: str = "packages"
    symbol_moves: tuple[SymbolMove, ...] = ()
    cycles: tuple[ServiceCycle, ...] = ()
    ownership: tuple[tuple[str, str], ...] = ()  # (entity, owning service)
    conflicts: tuple[OwnershipConflict, ...] = ()


# --------------------------------------------------------------------------- metrics
# Definitions and sources are in the metrics stage (``decompose.metrics``); ratios are
# rounded to 4 decimals there, so that the same code gives the same figures anywhere.


@dataclass(frozen=True)
class ModuleMetrics:
    """One module's coupling (Martin), abstraction and complexity (McCabe)."""

    module: ModuleName
    service: str  # the service it is in, in the decomposition measured
    lines: int
    afferent: int  # Ca: distinct project modules that depend on it (edges of every kind)
    efferent: int  # Ce: distinct project modules it depends on
    instability: float | None  # I = Ce / (Ca + Ce); None when it has no coupling at all
    classes: int  # top-level classes
    abstract_classes: int
    abstractness: float  # A = abstract classes / classes; 0 for a module without classes
    distance: float | None  # D = |A + I - 1| from the main sequence; None when I is
    functions: int  # functions and methods
    complexity: int  # cyclomatic complexity summed over its functions and methods
    max_complexity: int  # of its most complex function or method (0 without any)


@dataclass(frozen=True)
class ServiceMetrics:
    """One service's size, cohesion and coupling (module edges, weighted by occurrences)."""

    name: str
    kind: str
    modules: int
    lines: int
    cohesion: float | None  # share of the weight of edges touching it that stays inside; higher is better
    internal_weight: int
    out_edges: int  # distinct (module, module) dependencies on other services
    out_weight: int
    out_services: int  # distinct services it depends on
    in_edges: int  # distinct (module, module) dependencies of other services on it
    in_weight: int
    in_services: int  # distinct services that depend on it
    api_size: int  # its classes, functions and names other services use
    entities: int  # entities it owns
    entities_in_conflict: int  # of those, the ones other services use too
    # With git history: changesets changing it, and of those the ones changing another service too.
    commits: int | None = None
    crossing_commits: int | None = None


@dataclass(frozen=True)
class OverallMetrics:
    """Figures of a whole decomposition; ``values()`` is the stable flat mapping a CI gate
    reads, and ``BETTER`` says for each whether higher or lower is better."""

    services: int
    modules: int
    modularity: float  # Newman's Q; higher is better
    mq: float  # Bunch TurboMQ, from 0 to the number of services; higher is better
    sm: float  # structural modularity (Jin et al.), from -1 to 1; higher is better
    icp: float  # inter-call percentage (Jin et al.), from 0 to 1; lower is better
    ifn: float  # interface number: API symbols per service; lower is better
    ned: float  # non-extreme distribution: share of modules in services of sane size; higher is better
    cross_call_share: float  # share of call occurrences that cross services; lower is better
    cross_edges: int  # distinct (module, module) dependencies across services; lower is better
    cross_weight: int  # occurrences of those; lower is better
    cycles: int  # mutual dependencies and three-service cycles; lower is better
    cyclic_services: int  # services on a dependency cycle; lower is better
    # With git history: the share of changesets changing two services or more (independent
    # deployability); lower is better. None without history, and then absent from ``values``.
    cross_service_commits: float | None = None

    BETTER: ClassVar[Mapping[str, str | None]] = MappingProxyType(
        {
            "services": None,
            "modules": None,
            "modularity": "higher",
            "mq": "higher",
            "sm": "higher",
            "icp": "lower",
            "ifn": "lower",
            "ned": "higher",
            "cross_call_share": "lower",
            "cross_edges": "lower",
            "cross_weight": "lower",
            "cycles": "lower",
            "cyclic_services": "lower",
            "cross_service_commits": "lower",
        }
    )
    # Figures only git history gives: None without it, and then left out of ``values``.
    HISTORY_ONLY: ClassVar[frozenset[str]] = frozenset({"cross_service_commits"})

    def values(self) -> dict[str, float]:
        """Every figure by its stable name, in declaration order (those not measured left out)."""
        return {f.name: float(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class Measures:
    """Metrics of one decomposition of one graph."""

    modules: tuple[ModuleMetrics, ...]  # sorted by module
    services: tuple[ServiceMetrics, ...]  # in the decomposition's order
    overall: OverallMetrics
    # With git history: (service, service, changesets changing both), most first.
    shared_commits: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class MetricsReport:
    """The proposal and the code's current package structure, measured the same way."""

    proposed: Measures
    current: Measures


# --------------------------------------------------------------------------- ownership and hotspots
# What the git history says about each proposed service: who changes it (Conway's law: a
# service changed by the team of another is coupled to that team) and where change meets
# complexity (hotspots). Computed by ``decompose.metrics.measure_history``.


class ServiceAuthor(NamedTuple):
    """One author's work on one service, summed over its modules."""

    author: str  # as ``AuthorWork.author``: a name, a hash of it, never an e-mail address
    commits: int  # commits changing its modules, counted per module (a commit changing two counts twice)
    lines: int  # lines added plus deleted in its modules


class AuthorElsewhere(NamedTuple):
    """A module whose main author (most commits) changes another service more than this one."""

    module: ModuleName
    author: str
    service: str  # the module's service
    elsewhere: str  # the service the author changes most
    commits_here: int  # the author's commits in ``service`` (as ``ServiceAuthor.commits``)
    commits_elsewhere: int  # ... and in ``elsewhere``


@dataclass(frozen=True)
class ServiceOwnership:
    """Who changed a service over the authors' window (``HistoryOptions.months_of_authors``)."""

    service: str
    commits: int  # every author's commits, as ``ServiceAuthor.commits``
    lines: int
    authors: int  # distinct authors
    top_authors: tuple[ServiceAuthor, ...]  # the first ten, most commits first
    concentration: float | None  # share of ``commits`` by the top three authors; None without commits
    elsewhere: tuple[AuthorElsewhere, ...]  # its modules whose main author works mostly elsewhere, by module


class Hotspot(NamedTuple):
    """A module's change and complexity: code that is both complex and often changed."""

    module: ModuleName
    service: str
    revisions: int  # as ``ModuleHistory.revisions``
    churn: int  # lines added plus deleted, every commit read
    complexity: int  # McCabe's, summed over its functions and methods
    score: int  # churn × complexity
    main_author: str | None  # most commits over the authors' window; None: no author in it
    authors: int  # distinct authors over the window


class ServiceHotspots(NamedTuple):
    service: str
    load: int  # its modules' hotspot scores, summed
    share: float  # of every module's score, 0..1 (0 when no module scores)
    modules: int  # its modules scoring above 0
    hottest: ModuleName | None  # its highest-scoring module; None when none scores


@dataclass(frozen=True)
class HistoryReport:
    """Ownership and hotspots of a decomposition, from the history of its modules."""

    ownership: tuple[ServiceOwnership, ...]  # in the decomposition's order
    modules: tuple[Hotspot, ...]  # every analysed module, by name (a module never changed scores 0)
    hotspots: tuple[Hotspot, ...]  # the highest scores above 0 (at most 20), highest first
    service_hotspots: tuple[ServiceHotspots, ...]  # every service, highest load first
