"""``decompose.model`` is a package of private modules, one per stage, re-exported by its
``__init__``: its ``__all__`` is exactly the value types the stages pass each other."""

from __future__ import annotations

import decompose.model

EXPECTED = {
    # diagnostics
    "Diagnostic",
    "Severity",
    # discovered files and import roots
    "DeferredFile",
    "Discovery",
    "Exclusion",
    "ImportCensus",
    "ImportRoot",
    "ModuleName",
    "SourceFile",
    # per-file facts
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
    # graph
    "DependencyGraph",
    "EdgeKind",
    "ModuleEdge",
    "ModuleInfo",
    "SymbolEdge",
    # history, ownership and hotspots
    "AuthorElsewhere",
    "AuthorWork",
    "ChangeHistory",
    "CoChangePair",
    "HistoryReport",
    "Hotspot",
    "ModuleHistory",
    "ServiceAuthor",
    "ServiceHotspots",
    "ServiceOwnership",
    # data
    "DataModel",
    "Entity",
    "EntityKind",
    "EntityUse",
    "UseKind",
    # services
    "ApiSymbol",
    "ApiSymbolKind",
    "CallSite",
    "CycleEdge",
    "Decomposition",
    "OwnershipConflict",
    "Service",
    "ServiceCycle",
    "ServiceDependency",
    "ServiceKind",
    "ServiceModule",
    "SymbolMove",
    "Tie",
    # metrics
    "Better",
    "Measures",
    "MetricsReport",
    "ModuleMetrics",
    "OverallMetrics",
    "ServiceMetrics",
}


def test_all_is_exactly_the_model_types():
    exported = decompose.model.__all__
    assert len(exported) == len(set(exported)), "a name stands twice in __all__"
    assert set(exported) == EXPECTED


def test_every_public_name_of_the_package_is_in_all():
    public = {name for name in vars(decompose.model) if not name.startswith("_")}
    assert public == set(decompose.model.__all__)


def test_every_exported_type_is_defined_in_the_package():
    for name in decompose.model.__all__:
        member = getattr(decompose.model, name)
        assert member.__module__.startswith("decompose.model._"), name


def test_each_private_module_exports_what_the_package_re_exports():
    modules = [
        value
        for name, value in vars(decompose.model).items()
        if name.startswith("_") and type(value) is type(decompose.model)
    ]
    assert {module.__name__ for module in modules} == {
        "decompose.model._data",
        "decompose.model._diagnostics",
        "decompose.model._facts",
        "decompose.model._files",
        "decompose.model._graph",
        "decompose.model._history",
        "decompose.model._metrics",
        "decompose.model._services",
    }
    exported = [name for module in modules for name in module.__all__]
    assert sorted(exported) == sorted(decompose.model.__all__)
    for module in modules:
        for name in module.__all__:
            assert getattr(decompose.model, name) is getattr(module, name)
