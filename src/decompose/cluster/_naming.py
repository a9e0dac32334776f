"""Names for clusters, from the code's own words.

A service is named after what its code talks about, not after where its files sit: on an
obfuscated tree (every module ``obf.m0042``) or one laid out by technical layer
(``app/models/order.py``, ``app/views/order.py``) the folders say nothing, while the classes
and functions a cluster defines (``Order``, ``OrderLine``, ``place_order``) and the words of
its module names (``order``) do.

1. Words. Each identifier is split with ``_vocabulary.words_of`` (CamelCase, snake_case,
   lower-cased, singular, three letters or more) after dropping every chunk holding a digit
   (``m0042``, ``v2``, ``sha256``: obfuscated or versioned, never a domain). A module gives
   the words of its name below the root package every module shares, and of its top-level
   classes and functions; the words of its methods and variables are kept apart, a weaker
   tier used only after those. ``_GENERIC`` words (layers, framework roles, verbs) are
   kept apart too: they never name a service unless there is nothing else.
2. Weights. A module's name words carry ``_NAME_SHARE`` of its say and its definitions the
   rest (all of it when one side is empty); its say grows with the square root of its
   lines, so size counts but one god module does not name a cluster of fifty. A word's
   weight in a cluster is the sum over its modules, divided by the cluster's total.
3. Distinctiveness, TF-IDF-like: a word's weight in a cluster times
   ``log((clusters + 1) / users)``, where ``users`` counts the clusters using the word: in
   full those whose weight is at least ``_USER`` of the heaviest user's, in part the others
   (a cluster that mentions ``order`` once counts for little against one about orders).
   Ties go to the alphabetically first word.
4. Names. Each cluster starts from its most distinctive word. Clusters whose names clash
   (with each other, a fixed name, or a reserved one; compared singular, lower-case, in any
   word order) all take one more word: the best-ranked one each uses more than the others
   of the clash (``order-payment``, ``order-cart``), up to three words. Then, largest
   cluster first, any other pair or triple of its best words, then its most distinctive
   module's basename (a readable one first; ``m0042`` only when no cluster word is left,
   for a cluster with no word at all). No number is ever appended.
5. A cluster with no domain word at all is named by two of its generic words
   (``base-mixin``, ``misc-util`` when there is only one): readable, never bare.

Linear in the number of definitions: each identifier is split once.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from itertools import combinations

from decompose.cluster._vocabulary import words_of
from decompose.model import DefinitionKind, ModuleInfo, ModuleName

__all__ = ["name_clusters"]

# Words that name a layer, a framework's role, a programming idea or a verb, not a business
# domain: a cluster named after one of them ("models", "utils", "manage", "types") tells a
# reader nothing about what the service does. Singular and lower-case, as ``_Splitter`` gives
# them. Started from services._LAYER_WORDS, with the verbs and fillers that name no domain.
_GENERIC = frozenset(
    """
    abstract adapter admin all and any api app application arg asgi auto backend base builder cache
    check class cli client cls command common compat compute conf config configuration constant
    context contrib controller convert core create custom dao data database decorator default delete
    detail dispatch dto entity enum error example exception extension factory fake false fetch field
    filter find fixture for form format from generic get handle handler helper hook impl info init
    instance integration interface internal into job kwarg lib list listener load loader log logger
    logging main make manage management manager many meta middleware migration misc mixin mock model
    module new none object one option orm package param parse parser path plugin process processor
    provider query queryset receiver registry remove render renderer repository request resource
    response result route router run save schema self send serializer service set setting setup
    shared signal simple spec sql stub task template templatetag test testing the tool true type
    typing update url urlconf util utility validate validator value version view viewset warning
    widget with worker wrapper wsgi
    """.split()
)

_MAX_WORDS = 3  # a name is one to three words
_RANKED = 8  # words kept per cluster and tier: enough to disambiguate, few to compare
_NAME_SHARE = 0.5  # of a module's say, when it has both name words and definition words
_PACKAGE_WEIGHT = 0.5  # a package's words against the module's own basename's
_CLASS_WEIGHT = 1.0
_FUNCTION_WEIGHT = 0.6
_PRIVATE_WEIGHT = 0.5  # ``_helper`` against ``helper``
_USER = 0.1  # a cluster uses a word fully when its share is this much of the heaviest user's
_DIGIT = re.compile(r"[0-9]")
_CHUNK = re.compile(r"[A-Za-z0-9]+")
_SANE = re.compile(r"[^a-z0-9]+")


def name_clusters(
    modules: Sequence[ModuleInfo],
    clusters: Sequence[Sequence[ModuleName]],
    fixed: Mapping[int, str] = {},
    reserved: Collection[str] = ("shared",),
) -> tuple[str, ...]:
    """One name per cluster: unique, from the domain's words, never a reserved name.

    ``clusters`` are the clusters' modules, largest cluster first; ``fixed`` maps a cluster's
    index to the name a pin or a folder gave it, kept as is (and taken from the others).
    Names are ``[a-z0-9-]``, one to three words, with no numeric suffix: a clash is settled
    by more words, never by ``-2``. The same input gives the same names. Raises nothing.
    """
    split = _Splitter()
    info = {m.name: m for m in modules}
    root = _common_root([m for cluster in clusters for m in cluster])
    tiers = [_cluster_words(cluster, info, root, split) for cluster in clusters]
    scored = [_distinctive([cluster[t] for cluster in tiers]) for t in range(3)]

    taken = {_key(name, split) for name in reserved} | {_key(fixed[i], split) for i in fixed}
    words: dict[int, list[str]] = {}
    score: dict[int, dict[str, float]] = {}
    start: dict[int, list[str]] = {}
    for index in range(len(clusters)):
        if index in fixed:
            continue
        first = dict(scored[0][index])
        domain = scored[0][index] + [(w, s) for w, s in scored[1][index] if w not in first]
        ranked = domain or scored[2][index]
        words[index] = [w for w, _ in ranked]
        score[index] = dict(ranked)
        if domain:
            start[index] = words[index][:1]
        elif len(ranked) >= 2:
            start[index] = words[index][:2]
        elif ranked:
            start[index] = ["misc", words[index][0]]
        else:
            start[index] = []

    names, tried = _settle(start, words, score, taken, split)
    result = [fixed[i] if i in fixed else names.get(i, "") for i in range(len(clusters))]
    for index in sorted(set(range(len(clusters))) - set(fixed) - set(names)):
        for candidate in _fallbacks(tried.get(index, []), words[index], clusters[index], info, split):
            key = _key(candidate, split)
            if key not in taken and key not in _GENERIC:
                taken.add(key)
                result[index] = candidate
                break
    return tuple(result)


# ------------------------------------------------------------------------------ words


class _Splitter:
    """Identifiers -> their words, each identifier split once."""

    def __init__(self) -> None:
        self._words: dict[str, tuple[str, ...]] = {}
        self._named: dict[tuple[str, float], tuple[tuple[tuple[int, str], float], ...]] = {}
        self._defined: dict[tuple[str, DefinitionKind], tuple[tuple[tuple[int, str], float], ...]] = {}

    def words(self, identifier: str) -> tuple[str, ...]:
        """``OrderLines`` -> order, line; ``m0042``, ``v2``, ``X`` -> nothing."""
        found = self._words.get(identifier)
        if found is None:
            found = self._words[identifier] = tuple(
                word
                for chunk in _CHUNK.findall(identifier)
                if not _DIGIT.search(chunk)
                for word in words_of(chunk)
            )
        return found

    def named(self, part: str, weight: float) -> tuple[tuple[tuple[int, str], float], ...]:
        """((tier, word), weight) of a part of a module's name."""
        found = self._named.get((part, weight))
        if found is None:
            found = self._named[(part, weight)] = tuple(
                ((2 if word in _GENERIC else 0, word), weight) for word in self.words(part)
            )
        return found

    def defined(self, name: str, kind: DefinitionKind) -> tuple[tuple[tuple[int, str], float], ...]:
        """((tier, word), weight) of a definition: top-level classes and functions are the
        domain tier, methods and variables the weaker one, generic words the last."""
        found = self._defined.get((name, kind))
        if found is None:
            if "." in name or kind is DefinitionKind.VARIABLE or kind is DefinitionKind.METHOD:
                weight, tier, identifier = _FUNCTION_WEIGHT, 1, name.rpartition(".")[2]
            else:
                weight = _CLASS_WEIGHT if kind is DefinitionKind.CLASS else _FUNCTION_WEIGHT
                weight, tier, identifier = (
                    weight * (_PRIVATE_WEIGHT if name.startswith("_") else 1.0),
                    0,
                    name,
                )
            found = self._defined[(name, kind)] = tuple(
                ((2 if word in _GENERIC else tier, word), weight) for word in self.words(identifier)
            )
        return found


def _common_root(names: Sequence[ModuleName]) -> int:
    """How many leading parts every module's name shares (1 for ``obf`` in ``obf.m0042``
    and ``obf``), short of the whole name of all but a root package."""
    if not names:
        return 0
    return min(ModuleName.common_ancestor(names).depth, max(names, key=len).depth - 1)


def _cluster_words(
    cluster: Sequence[ModuleName], info: Mapping[str, ModuleInfo], root: int, split: _Splitter
) -> list[dict[str, float]]:
    """The cluster's [domain words, weaker domain words, generic words], each word -> the
    sum of its modules' say in it."""
    totals: list[dict[str, float]] = [defaultdict(float) for _ in range(3)]
    for name in cluster:
        module = info.get(name)
        named: dict[tuple[int, str], float] = defaultdict(float)  # (tier, word) -> weight
        defined: dict[tuple[int, str], float] = defaultdict(float)
        parts = name.parts
        for part in parts[root:-1]:
            for key, weight in split.named(part, _PACKAGE_WEIGHT):
                named[key] += weight
        if len(parts) > root:  # the root package's own ``__init__`` names nothing
            for key, weight in split.named(parts[-1], 1.0):
                named[key] += weight
        for definition in module.definitions if module is not None else ():
            for key, weight in split.defined(definition.name, definition.kind):
                defined[key] += weight
        size = 1.0 + math.sqrt(max(module.lines, 0) if module is not None else 0)
        _add_say(totals, named, defined, size)
    return totals


def _add_say(
    totals: list[dict[str, float]],
    named: dict[tuple[int, str], float],
    defined: dict[tuple[int, str], float],
    size: float,
) -> None:
    """Add one module's say, ``size`` in each tier, to ``totals``: ``_NAME_SHARE`` of it to
    its name words and the rest to its definitions' (all to one side when the other is empty)."""
    named_mass, defined_mass = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
    for (tier, _), weight in named.items():
        named_mass[tier] += weight
    for (tier, _), weight in defined.items():
        defined_mass[tier] += weight
    named_share = [
        size * (_NAME_SHARE if d else 1.0) / n if n else 0.0
        for n, d in zip(named_mass, defined_mass, strict=True)
    ]
    defined_share = [
        size * (1.0 - _NAME_SHARE if n else 1.0) / d if d else 0.0
        for n, d in zip(named_mass, defined_mass, strict=True)
    ]
    for (tier, word), weight in named.items():
        totals[tier][word] += named_share[tier] * weight
    for (tier, word), weight in defined.items():
        totals[tier][word] += defined_share[tier] * weight


def _distinctive(clusters: list[dict[str, float]]) -> list[list[tuple[str, float]]]:
    """Per cluster, its ``_RANKED`` most distinctive (word, score), best first."""
    shares: list[dict[str, float]] = []
    for total in clusters:
        mass = sum(total.values())
        shares.append({w: v / mass for w, v in total.items()} if mass else {})
    heaviest: dict[str, float] = defaultdict(float)
    for share in shares:
        for word, value in share.items():
            heaviest[word] = max(heaviest[word], value)
    users: dict[str, float] = defaultdict(float)
    for share in shares:
        for word, value in share.items():
            users[word] += min(1.0, value / (_USER * heaviest[word]))
    count = len(clusters)
    ranked = []
    for share in shares:
        scores = [(round(v * math.log((count + 1) / users[w]), 12), w) for w, v in share.items()]
        scores.sort(key=lambda sw: (-sw[0], sw[1]))
        ranked.append([(w, s) for s, w in scores[:_RANKED] if s > 0])
    return ranked


def _key(name: str, split: _Splitter) -> str:
    """What two names must not share: their words, singular, lower-case and in any order
    (``orders`` is ``order``, ``item-line`` is ``line-item``); pieces with digits as they are."""
    pieces = (split.words(piece) or (piece,) for piece in _SANE.split(name.lower()) if piece)
    return "-".join(sorted(word for words in pieces for word in words))


# ------------------------------------------------------------------------------ names


def _settle(
    start: dict[int, list[str]],
    words: dict[int, list[str]],
    score: dict[int, dict[str, float]],
    taken: set[str],
    split: _Splitter,
) -> tuple[dict[int, str], dict[int, list[str]]]:
    """Each cluster's name from its best words, clashes settled by one more word each round;
    and the words last tried by clusters that reached ``_MAX_WORDS`` or ran out of words
    still clashing, which have no name yet."""
    prefix = {i: list(w) for i, w in start.items() if w}
    tried: dict[int, list[str]] = {}
    while True:
        clashes: dict[str, list[int]] = defaultdict(list)
        for index in sorted(prefix):
            clashes[_key("-".join(prefix[index]), split)].append(index)
        grown = False
        for key, group in clashes.items():
            if len(group) == 1 and key not in taken:
                continue
            for index in group:
                rivals = [r for r in group if r != index]
                word = _next_word(prefix[index], words[index], score, index, rivals)
                if word is None or len(prefix[index]) >= _MAX_WORDS:
                    tried[index] = prefix.pop(index)
                else:
                    prefix[index].append(word)
            grown = True
        if not grown:
            break
    names = {i: "-".join(p) for i, p in prefix.items()}
    taken.update(_key(n, split) for n in names.values())
    return names, tried


def _next_word(
    prefix: list[str], words: list[str], score: dict[int, dict[str, float]], index: int, rivals: list[int]
) -> str | None:
    """The best-ranked word not yet in the name that this cluster uses more than any rival,
    else its best-ranked word not yet in the name."""
    left = [w for w in words if w not in prefix]
    for word in left:
        if all(score[index][word] > score[r].get(word, 0.0) for r in rivals):
            return word
    return left[0] if left else None


def _fallbacks(
    tried: list[str],
    words: list[str],
    cluster: Sequence[ModuleName],
    info: Mapping[str, ModuleInfo],
    split: _Splitter,
) -> Iterator[str]:
    """Names to try, in order, for a cluster whose words did not settle a clash: the name it
    last tried (free when its rival grew past it), other pairs and triples of its words, its
    modules' basenames (readable ones first), and at last its module names as they are."""
    head = tried[:1] if tried and tried[0] != "misc" else []
    if tried:
        yield "-".join(tried)
    for size in (2, 3):
        for combination in combinations(words[:6], size):
            yield "-".join(combination)
    known = set(words)
    order = sorted(  # the most distinctive first: readable, speaking the cluster's words, large
        cluster,
        key=lambda m: (
            bool(_DIGIT.search(m.leaf)),
            -sum(1 for w in split.words(m.leaf) if w in known),
            -(info[m].lines if m in info else 0),
            m,
        ),
    )
    for module in order:
        parts = module.parts
        base = list(split.words(parts[-1]))
        if not base:
            continue
        if head and head[0] not in base:
            yield "-".join((head + base)[:_MAX_WORDS])
        if len(base) > 1 or base[0] not in _GENERIC:
            yield "-".join(base[:_MAX_WORDS])
        parent = list(split.words(parts[-2])) if len(parts) > 1 else []
        if parent:
            yield "-".join((parent[-1:] + base)[:_MAX_WORDS])
    for module in order:  # the last resorts: module names as they are, digits and all
        parts = [p for p in (_sane(part) for part in module.parts) if p]
        for depth in range(1, len(parts) + 1):
            yield "-".join(parts[-depth:])
    name = "-".join(p for p in (_sane(part) for part in order[0].parts) if p) if order else ""
    name = name or "unnamed"
    while True:  # unique by growing: reached only by names that sanitise alike
        name = f"{name}-{name.rpartition('-')[2]}"
        yield name


def _sane(part: str) -> str:
    """A module name's part as ``[a-z0-9-]``, without digit-only pieces (``catalogue_2``)."""
    pieces = [p for p in _SANE.split(part.lower()) if p and not p.isdigit()]
    return "-".join(pieces)
