"""The graph stage's output: modules, and the dependencies between modules and between symbols."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from decompose.model._diagnostics import Diagnostic
from decompose.model._facts import Definition, ParseStatus
from decompose.model._files import ImportCensus, ImportRoot, ModuleName

__all__ = ["DependencyGraph", "EdgeKind", "ModuleEdge", "ModuleInfo", "SymbolEdge"]


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
    APP_CONFIG = "app_config"  # an AppConfig subclass to the app package its name gives
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
    SETTING = "setting"  # django.conf settings.NAME read, to the settings module declaring NAME


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
    # Project packages declared as Django apps: named by an AppConfig or INSTALLED_APPS
    apps: tuple[ModuleName, ...] = ()

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
