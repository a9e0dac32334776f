"""The vocabulary of identifiers as a coupling signal.

Modules of one bounded context speak one language: ``orders/checkout.py`` defines
``OrderLine`` and ``place_order``; ``views/order_views.py`` and ``tasks/order_tasks.py`` use
the same words though no folder says so. Each module becomes a TF-IDF vector of the words
in its own name and in the names of its top-level classes and functions, and two modules
are tied by the cosine of their vectors.

Words that say nothing about a domain are left out by rule, never by a list of a project's
words: the words of a module's own packages (``views`` in ``views/order_views.py``: that is
the layer speaking), words shorter than three letters, and words used by more than
``_MOST_SHARE`` of the modules (``get``, ``list``, ``base``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from decompose.model import DefinitionKind, ModuleInfo, ModuleName

__all__ = ["layer_packages", "module_words", "vocabulary_ties", "vocabulary_pairs", "words_of"]

_MOST_SHARE = 0.05  # a word in more of the modules than this is too common to tell
_FEWEST_MOST = 4  # ... but a small project may use a domain word in this many modules
_NAME_WEIGHT = 2.0
_DEFINITION_WEIGHT = 1.0
_LEAST_SIMILARITY = 0.15
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def words_of(identifier: str) -> list[str]:
    """``OrderLineItem`` → order, line, item; ``get_HTTPClient`` → get, http, client."""
    return [_singular(w.lower()) for w in _WORD.findall(identifier) if len(w) >= 3 and not w.isdigit()]


def module_words(module: ModuleInfo) -> Counter:
    """Word → weight for one module."""
    parts = module.name.split(".")
    layer = {w for part in parts[:-1] for w in words_of(part)}
    counts: Counter = Counter()
    for word in words_of(parts[-1]):
        if word not in layer:
            counts[word] += _NAME_WEIGHT
    for definition in module.definitions if _DEFINITION_WEIGHT else ():
        if "." in definition.name or definition.kind is DefinitionKind.VARIABLE:
            continue
        if definition.name.startswith("_"):
            continue
        for word in words_of(definition.name):
            if word not in layer:
                counts[word] += _DEFINITION_WEIGHT
    return counts


def vocabulary_ties(
    modules: Sequence[ModuleInfo], members: Iterable[ModuleName]
) -> list[tuple[ModuleName, ModuleName, float]]:
    """(a, b, cosine similarity) for pairs of ``members`` whose vocabularies are alike."""
    weighted = _tfidf(modules, members)
    holders: dict[str, list[str]] = defaultdict(list)
    for name in sorted(weighted):
        for word in weighted[name]:
            holders[word].append(name)
    similarity: dict[tuple[str, str], float] = defaultdict(float)
    for word, names in holders.items():
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                similarity[(a, b)] += weighted[a][word] * weighted[b][word]
    return sorted((a, b, s) for (a, b), s in similarity.items() if s >= _LEAST_SIMILARITY)


def vocabulary_pairs(given) -> Iterator[tuple[str, str, float, str]]:
    """The vocabulary signal: each module tied to the ``NEAREST`` modules whose TF-IDF
    vectors of words are most alike (cosine)."""
    from decompose.cluster._neighbourhood import nearest_pairs

    yield from nearest_pairs(_tfidf(given.graph.modules, given.members), "vocabulary")


def _tfidf(modules: Sequence[ModuleInfo], members: Iterable[ModuleName]) -> dict[str, dict[str, float]]:
    wanted = set(members)
    vectors = {m.name: module_words(m) for m in modules if m.name in wanted}
    frequency: Counter = Counter()
    for counts in vectors.values():
        frequency.update(counts.keys())
    total = len(vectors)
    most = max(_FEWEST_MOST, _MOST_SHARE * total)
    weighted: dict[str, dict[str, float]] = {}
    for name in sorted(vectors):
        counts = vectors[name]
        vector = {
            word: math.log1p(count) * math.log(total / frequency[word])
            for word, count in counts.items()
            if 2 <= frequency[word] <= most
        }
        norm = math.sqrt(sum(v * v for v in vector.values()))
        if norm:
            weighted[name] = {w: v / norm for w, v in vector.items()}
    return weighted


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def layer_packages(modules: Iterable[ModuleName]) -> set[str]:
    """Packages laid out by technical layer: most of their modules share a word of their
    own name with a module in another package (``views/order_views.py`` and
    ``services/order_service.py``). The package tree's prior is not applied inside them."""
    modules = list(modules)
    children: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        parent = module.rpartition(".")[0]
        if parent:
            children[parent].append(module)
    name_words: dict[str, set[str]] = {}
    for module in modules:
        layer = {w for part in module.split(".")[:-1] for w in words_of(part)}
        name_words[module] = {w for w in words_of(module.rpartition(".")[2]) if w not in layer}
    holders: dict[str, set[str]] = defaultdict(set)
    for module, found in name_words.items():
        for word in found:
            holders[word].add(module.rpartition(".")[0])
    layers = set()
    for package, members in children.items():
        if len(members) < 3:
            continue
        shared = sum(1 for m in members if any(holders[w] - {package} for w in name_words[m]))
        if shared * 2 >= len(members):
            layers.add(package)
    return layers
