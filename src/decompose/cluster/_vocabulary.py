"""The vocabulary of identifiers as a coupling signal.

Modules of one bounded context speak one language: ``orders/checkout.py`` defines
``OrderLine`` and ``place_order``; ``views/order_views.py`` and ``tasks/order_tasks.py`` use
the same words though no folder says so. Each module becomes a TF-IDF vector of the words
in its own name and in the names of its top-level classes and functions, and two modules
are tied by the cosine of their vectors, each keeping its nearest (``_neighbourhood.NEAREST``).

Words that say nothing about a domain are left out by rule, never by a list of a project's
words: the words of a module's own packages (``views`` in ``views/order_views.py``: that is
the layer speaking), words shorter than three letters, and words used by more than
``_MOST_SHARE`` of the modules (``get``, ``list``, ``base``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from decompose.model import DefinitionKind, ModuleInfo, ModuleName

__all__ = ["module_words", "vocabulary_homes", "vocabulary_pairs", "words_of"]

_MOST_SHARE = 0.05  # a word in more of the modules than this is too common to tell
_FEWEST_MOST = 4  # ... but a small project may use a domain word in this many modules
_NAME_WEIGHT = 2.0
_DEFINITION_WEIGHT = 1.0
_VOTERS = 5  # a module without code ties is placed by this many of its most alike modules
_LEAST_ALIKE = 0.1  # ... each at least this alike (cosine)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def words_of(identifier: str) -> list[str]:
    """``OrderLineItem`` → order, line, item; ``get_HTTPClient`` → get, http, client."""
    return [_singular(w.lower()) for w in _WORD.findall(identifier) if len(w) >= 3 and not w.isdigit()]


def module_words(module: ModuleInfo) -> Counter:
    """Word → weight for one module."""
    parts = module.name.parts
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


def vocabulary_pairs(given) -> Iterator[tuple[str, str, float, str]]:
    """The vocabulary signal: each module tied to the ``NEAREST`` modules whose TF-IDF
    vectors of words are most alike (cosine)."""
    from decompose.cluster._neighbourhood import nearest_pairs

    yield from nearest_pairs(_tfidf(given.graph.modules, given.members), "vocabulary")


def vocabulary_homes(
    modules: Sequence[ModuleInfo], loose: Iterable[str], clusters: Sequence[set[str]]
) -> dict[str, tuple[int, float]]:
    """For modules without code ties (``loose``), the cluster their words say they belong
    to: of the ``_VOTERS`` clustered modules most alike (TF-IDF cosine, at least
    ``_LEAST_ALIKE``), the cluster holding more than half of their similarity. Returns
    module -> (cluster index, that share); a module whose words tell nothing is left out."""
    index = {m: i for i, cluster in enumerate(clusters) for m in cluster}
    loose = sorted(set(loose) - index.keys())
    if not loose or not index:
        return {}
    from decompose.cluster._neighbourhood import cosines, feature_holders

    vectors = _tfidf(modules, [*index, *loose])
    holders = feature_holders(vectors, sorted(m for m in vectors if m in index))
    homes: dict[str, tuple[int, float]] = {}
    for module in loose:
        vector = vectors.get(module)
        if not vector:
            continue
        scores = cosines(module, sorted(vector.items()), vectors, holders)
        nearest = sorted(((-s, o) for o, s in scores.items() if s >= _LEAST_ALIKE))[:_VOTERS]
        votes: Counter = Counter()
        for negative, other in nearest:
            votes[index[other]] -= negative
        if not votes:
            continue
        cluster, vote = min(votes.items(), key=lambda cv: (-cv[1], cv[0]))
        share = vote / sum(votes.values())
        if share > 0.5:
            homes[module] = (cluster, round(share, 3))
    return homes


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


# Plurals the rules below get wrong, as they leave them.
_PLURALS = {
    "statuse": "status",
    "aliase": "alias",
    "bonuse": "bonus",
    "campuse": "campus",
    "viruse": "virus",
    "movy": "movie",
    "cooky": "cookie",
    "sery": "series",
    "specy": "species",
    "postgre": "postgres",
}


def _singular(word: str) -> str:
    """``categories`` -> category, ``orders`` -> order, ``addresses`` -> address,
    ``boxes`` -> box; ``status``, ``class``, ``analysis`` stay."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
        # What stripping the s leaves of -es plurals: addresse -> address, boxe -> box.
        if (len(word) > 4 and word.endswith(("sse", "tche", "nche", "rche", "she", "zze"))) or (
            len(word) > 3 and word.endswith("xe")
        ):
            word = word[:-1]
    return _PLURALS.get(word, word)
