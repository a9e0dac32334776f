"""Property tests: any syntactically valid program is analysed without an exception."""

from __future__ import annotations

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decompose.graph import build_graph
from decompose.model import ModuleName, ParseStatus, SourceFile
from decompose.parse import parse_source

# hypothesmith compiles what it generates; its SyntaxWarnings are not ours.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
# One strategy for both tests: building it compiles hypothesmith's grammar (over a second).
_PROGRAMS = hypothesmith.from_grammar()


@_SETTINGS
@given(source=_PROGRAMS)
def test_any_valid_module_parses_to_facts(source):
    result = parse_source(source)
    # hypothesmith's grammar is the newest Python's: what the running parser rejects must
    # come back as a value with a reason, never an exception.
    assert result.status in set(ParseStatus)
    if result.status is not ParseStatus.OK:
        assert result.diagnostics


@_SETTINGS
@given(sources=st.lists(_PROGRAMS, min_size=2, max_size=4))
def test_any_valid_package_builds_a_graph(sources):
    files = [SourceFile(ModuleName("pkg"), "pkg/__init__.py", True)] + [
        SourceFile(ModuleName(f"pkg.m{i}"), f"pkg/m{i}.py", False) for i in range(len(sources) - 1)
    ]
    results = [parse_source(source, file=file) for source, file in zip(sources, files, strict=True)]
    graph = build_graph(results)
    assert [m.name for m in graph.modules] == sorted(f.module for f in files)
