"""The codemod: one module's imports of a service's internals rewritten to use its facade.

libcst keeps every byte it is not asked to change, so a file comes back identical but for
the import statements (and the ``pkg.mod.name`` uses after ``import pkg.mod``) that named
the service's modules. Every import form counts wherever it stands: ``from`` imports,
``import x.y as z``, ``import x.y`` with its attribute uses, under ``if TYPE_CHECKING:``
and inside functions.

The result is a value, never an exception: what could not be rewritten unambiguously (a
star import of an internal module, a name the facade does not export, a module used as a
value) comes back as problems, and the caller writes nothing.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper

from decompose.extract._edits import FileRewrite, Finding, ServiceView
from decompose.extract._planner import Planner
from decompose.extract._project import ProjectIndex
from decompose.extract._rewriter import Rewriter
from decompose.model import ModuleName

__all__ = ["ServiceView", "FileRewrite", "Finding", "rewrite_module"]


def rewrite_module(
    code: bytes,
    module: ModuleName,
    index: ProjectIndex,
    view: ServiceView,
    *,
    eager: bool = True,
) -> FileRewrite:
    """``module``'s source with its imports of ``view``'s internals pointed at the facade.

    With ``eager`` false, module-level imports (those that run when the module is imported)
    are kept as they are and reported: importing the facade there would be circular.
    """
    try:
        tree = cst.parse_module(code)
    except cst.ParserSyntaxError as error:
        return FileRewrite(
            module, None, problems=(Finding(error.raw_line, f"libcst cannot parse it: {error.message}"),)
        )
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    plan = Planner(wrapper, module, index, view, eager)
    wrapper.visit(plan)
    plan.find_uses()
    if plan.problems:
        return FileRewrite(module, None, problems=tuple(plan.problems))
    changed = plan.changes_anything()
    new_code = None
    if changed:
        new_tree = tree.visit(Rewriter(plan))
        new_code = new_tree.bytes
        if new_code == code:
            new_code = None
    return FileRewrite(
        module,
        new_code,
        strings=tuple(plan.strings),
        kept=tuple(plan.kept),
        eager_facade=plan.eager_facade,
        rewritten=len(plan.statements_by_node) if new_code is not None else 0,
    )
