"""The service map and the module matrix, laid out in Python and drawn as inline SVG.

Every text that comes from the analysed code goes through ``escape``; numbers are formatted
here. The page's script finds the pieces by their ``data-`` attributes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from markupsafe import Markup, escape

__all__ = ["MapService", "service_map_svg", "module_matrix_svg", "MODULE_MATRIX_LIMIT"]

MODULE_MATRIX_LIMIT = 250  # above this many modules a cell per module pair is unreadable

_WIDTH, _HEIGHT = 960, 620
_MIN_RADIUS, _MAX_RADIUS = 16.0, 58.0
_LIGHT_SHARE = 0.03  # links lighter than this share of the heaviest are hidden until asked for


class MapService(NamedTuple):
    name: str
    kind: str
    lines: int
    modules: int
    color: str


def service_map_svg(
    services: Sequence[MapService],
    links: Mapping[tuple[int, int], int],
    cut_links: set[tuple[int, int]],
) -> Markup:
    """Services as circles (area by lines), dependencies as arrows (width by uses), in red
    the links whose removal breaks a cycle most cheaply. ``links`` maps (user, used)
    service indexes to uses."""
    if not services:
        return Markup("")
    radii = _radii([s.lines for s in services])
    positions = _layout(len(services), links, radii)
    heaviest = max(links.values(), default=1)
    parts = [
        f'<svg class="service-map" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        'aria-label="Service map: services as circles, dependencies as arrows">',
        "<defs>",
        _marker("arrow", "#8a94a6"),
        _marker("arrow-cycle", "#d0342c"),
        "</defs>",
        '<g class="links">',
    ]
    for (source, target), uses in sorted(links.items(), key=lambda item: (item[1], item[0])):
        in_cycle = (source, target) in cut_links
        width = 1.0 + 7.0 * math.sqrt(uses / heaviest)
        path = _curve(positions[source], positions[target], radii[source], radii[target])
        opacity = 0.9 if in_cycle else 0.25 + 0.6 * math.sqrt(uses / heaviest)
        title = f"{services[source].name} uses {services[target].name}: {uses:,} uses"
        if in_cycle:
            title += " (the cheapest link to cut to break a cycle)"
        light = not in_cycle and uses < _LIGHT_SHARE * heaviest
        classes = "link" + (" cycle" if in_cycle else "") + (" light" if light else "")
        parts.append(
            f'<path class="{classes}" data-from="{source}" data-to="{target}" '
            f'd="{path}" stroke-width="{width:.1f}" stroke-opacity="{opacity:.2f}" '
            f'marker-end="url(#{"arrow-cycle" if in_cycle else "arrow"})">'
            f"<title>{escape(title)}</title></path>"
        )
    parts.append("</g>")
    parts.append('<g class="nodes">')
    for index, service in enumerate(services):
        x, y = positions[index]
        radius = radii[index]
        label = _shorten(service.name, 24)
        title = f"{service.name}: {service.lines:,} lines in {service.modules:,} modules. Click for details."
        parts.append(
            f'<g class="node" data-service="{index}" tabindex="0" role="button" '
            f'aria-label="{escape(service.name)}">'
            f"<title>{escape(title)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{service.color}"/>'
            f'<text x="{x:.1f}" y="{y + radius + 14:.1f}" class="label">{escape(label)}</text>'
            f'<text x="{x:.1f}" y="{y + radius + 27:.1f}" class="sub">{service.lines:,} lines</text>'
            "</g>"
        )
    parts.append("</g></svg>")
    return Markup("".join(parts))


def module_matrix_svg(
    modules: Sequence[tuple[str, int]],
    colors: Sequence[str],
    service_names: Sequence[str],
    cells: Mapping[tuple[int, int], int],
) -> Markup:
    """A design structure matrix: ``modules`` as (name, service index) ordered by service;
    ``cells`` maps (row, column) module indexes to uses; a row uses its columns. Cells
    inside a service's block take its colour; cells outside every block are marked red."""
    count = len(modules)
    if count == 0:
        return Markup("")
    cell = 12
    label_width = 280
    band = 18
    size = count * cell
    width, height = label_width + size + 2, band + size + 2
    heaviest = max(cells.values(), default=1)
    parts = [
        f'<svg class="module-matrix" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-label="Design structure matrix of modules, ordered by service">'
    ]
    # Service blocks: a band over the columns, a tinted square on the diagonal.
    blocks = _blocks([service for _, service in modules])
    for service, start, end in blocks:
        x, y, span = label_width + start * cell, band + start * cell, (end - start) * cell
        name = escape(service_names[service])
        parts.append(
            f'<g class="block"><title>{name}</title>'
            f'<rect x="{x}" y="0" width="{span}" height="{band - 3}" fill="{colors[service]}"/>'
            f'<rect x="{x}" y="{y}" width="{span}" height="{span}" fill="{colors[service]}" '
            f'fill-opacity="0.10" stroke="{colors[service]}" stroke-width="1.5"/></g>'
        )
    for row, (name, _service) in enumerate(modules):
        y = band + row * cell
        parts.append(
            f'<text class="row-label" x="{label_width - 6}" y="{y + cell - 2}">'
            f"<title>{escape(name)}</title>{escape(_shorten(name, 38, keep_end=True))}</text>"
        )
    for (row, column), uses in sorted(cells.items()):
        inside = modules[row][1] == modules[column][1]
        fill = colors[modules[row][1]] if inside else "#d0342c"
        opacity = 0.35 + 0.65 * math.sqrt(uses / heaviest)
        title = f"{modules[row][0]} uses {modules[column][0]}: {uses:,}"
        parts.append(
            f'<rect class="{"in" if inside else "cross"}" x="{label_width + column * cell + 1}" '
            f'y="{band + row * cell + 1}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" '
            f'fill-opacity="{opacity:.2f}"><title>{escape(title)}</title></rect>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


# ------------------------------------------------------------------------------ layout


def _radii(lines: Sequence[int]) -> list[float]:
    largest = max(max(lines), 1)
    return [_MIN_RADIUS + (_MAX_RADIUS - _MIN_RADIUS) * math.sqrt(max(n, 0) / largest) for n in lines]


def _layout(
    count: int, links: Mapping[tuple[int, int], int], radii: Sequence[float]
) -> list[tuple[float, float]]:
    """Force-directed positions (networkx, fixed seed: the same input draws the same map),
    pushed apart until no two circles and their labels overlap, scaled into the canvas."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(count))
    for (source, target), uses in links.items():
        weight = math.log1p(uses)
        if graph.has_edge(source, target):
            graph.edges[source, target]["weight"] += weight
        else:
            graph.add_edge(source, target, weight=weight)
    if count == 1:
        raw = {0: (0.0, 0.0)}
    else:
        raw = nx.spring_layout(graph, weight="weight", seed=0, iterations=200, k=3.0 / math.sqrt(count))
    points = _spread([[float(raw[i][0]), float(raw[i][1])] for i in range(count)])
    points = _fit(points, radii)
    for _ in range(200):  # separate overlapping circles, labels included
        moved = False
        for a in range(count):
            for b in range(a + 1, count):
                dx = points[b][0] - points[a][0]
                dy = points[b][1] - points[a][1]
                distance = math.hypot(dx, dy) or 0.01
                wanted = radii[a] + radii[b] + 34
                if distance < wanted:
                    push = (wanted - distance) / 2
                    ux, uy = (dx / distance, dy / distance) if distance > 0.01 else (1.0, 0.0)
                    points[a][0] -= ux * push
                    points[a][1] -= uy * push
                    points[b][0] += ux * push
                    points[b][1] += uy * push
                    moved = True
        points = _fit(points, radii)
        if not moved:
            break
    return [(round(x, 1), round(y, 1)) for x, y in points]


def _spread(points: list[list[float]]) -> list[list[float]]:
    """A quarter position, three quarters rank on each axis: a spring layout packs a dense graph into a ball
    and throws a loosely tied service far out; ranks share the canvas out evenly while
    keeping who is left of and above whom."""
    count = len(points)
    if count < 3:
        return points
    spread = [list(p) for p in points]
    for axis in (0, 1):
        values = [p[axis] for p in points]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        order = sorted(range(count), key=lambda i: (values[i], i))
        for rank, index in enumerate(order):
            spread[index][axis] = 0.25 * (values[index] - low) / span + 0.75 * rank / (count - 1)
    return spread


def _fit(points: list[list[float]], radii: Sequence[float]) -> list[list[float]]:
    """Scale and shift ``points`` so every circle and its label lies inside the canvas."""
    margin_x, margin_top, margin_bottom = 90.0, 20.0, 34.0
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    largest = max(radii)
    inner_w = _WIDTH - 2 * (margin_x + largest)
    inner_h = _HEIGHT - margin_top - margin_bottom - 2 * largest
    fitted = []
    for x, y in points:
        fx = margin_x + largest + (x - min(xs)) / span_x * inner_w if len(points) > 1 else _WIDTH / 2
        fy = margin_top + largest + (y - min(ys)) / span_y * inner_h if len(points) > 1 else _HEIGHT / 2
        fitted.append([fx, fy])
    return fitted


def _curve(
    start: tuple[float, float], end: tuple[float, float], start_radius: float, end_radius: float
) -> str:
    """A gently bent path from circle edge to circle edge; A→B and B→A bend apart."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    nx_, ny_ = -uy, ux  # left normal
    bend = min(40.0, length * 0.15)
    mx, my = (x1 + x2) / 2 + nx_ * bend, (y1 + y2) / 2 + ny_ * bend
    # Leave each circle along the direction towards the control point; stop short of the
    # target by the arrowhead's length.
    sx, sy = _towards(x1, y1, mx, my, start_radius + 2)
    ex, ey = _towards(x2, y2, mx, my, end_radius + 9)
    return f"M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}"


def _towards(x: float, y: float, tx: float, ty: float, distance: float) -> tuple[float, float]:
    dx, dy = tx - x, ty - y
    length = math.hypot(dx, dy) or 1.0
    return x + dx / length * distance, y + dy / length * distance


def _marker(name: str, color: str) -> str:
    return (
        f'<marker id="{name}" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="9" markerHeight="9" '
        f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
    )


def _blocks(services: Sequence[int]) -> list[tuple[int, int, int]]:
    """Runs of equal service indexes: (service, start, end)."""
    blocks: list[tuple[int, int, int]] = []
    for index, service in enumerate(services):
        if blocks and blocks[-1][0] == service:
            blocks[-1] = (service, blocks[-1][1], index + 1)
        else:
            blocks.append((service, index, index + 1))
    return blocks


def _shorten(text: str, limit: int, keep_end: bool = False) -> str:
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1) :] if keep_end else text[: limit - 1] + "…"
