// The service map, drawn in the page: services as circles (area by lines), dependencies as
// arrows. The layout is collision-free: each service's footprint (its circle and its two
// lines of label) is placed where it overlaps no footprint placed before it, on a spiral out
// from where the links would put it. Names go in with textContent; nothing is parsed.
var decomposeMap = (function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var MIN_RADIUS = 16, MAX_RADIUS = 58, LIGHT_SHARE = 0.03, LABEL = 24, GAP = 6;
  var context = null, family = null;

  function node(tag, attributes, text) {
    var n = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (k) { n.setAttribute(k, attributes[k]); });
    if (text !== undefined) n.textContent = text;
    return n;
  }
  // Too long a name loses its middle: the start and the end tell services apart best.
  function shorten(text, limit) {
    if (text.length <= limit) return text;
    var tail = Math.floor((limit - 1) / 2);
    return text.slice(0, limit - 1 - tail) + "\u2026" + text.slice(text.length - tail);
  }
  function textWidth(text, size, bold) {
    if (context === null) {
      try { context = document.createElement("canvas").getContext("2d"); } catch (error) { context = false; }
    }
    var estimate = text.length * size * (bold ? 0.64 : 0.58);
    if (!context) return estimate;
    if (family === null) family = getComputedStyle(document.documentElement).fontFamily || "sans-serif";
    context.font = (bold ? "650 " : "400 ") + size + "px " + family;
    return Math.max(context.measureText(text).width * 1.08, estimate * 0.6);
  }
  var formatter = new Intl.NumberFormat("en-US");
  function numbers(n) { return formatter.format(n); }

  // [left, top, right, bottom] of a service's circle and labels, centred on (x, y).
  function footprint(item, x, y) {
    var half = Math.max(item.radius, item.labelWidth / 2, item.subWidth / 2) + 4;
    return [x - half, y - item.radius - 4, x + half, y + item.radius + 33];
  }

  // Positions by service id: ``previous`` where known, else near the services it is linked
  // to, else on a spiral; then placed one by one, largest first, without overlap.
  function layout(items, links, previous) {
    var at = {};
    var known = items.filter(function (it) { return previous[it.id]; });
    var cx = 480, cy = 310;
    if (known.length) {
      cx = known.reduce(function (s, it) { return s + previous[it.id][0]; }, 0) / known.length;
      cy = known.reduce(function (s, it) { return s + previous[it.id][1]; }, 0) / known.length;
    }
    items.forEach(function (it, k) {
      if (previous[it.id]) { at[it.id] = previous[it.id].slice(); return; }
      var sx = 0, sy = 0, sw = 0;
      links.forEach(function (l) {
        var other = l.from === it.id ? l.to : l.to === it.id ? l.from : null;
        if (other !== null && previous[other]) {
          var w = Math.log1p(l.weight);
          sx += previous[other][0] * w; sy += previous[other][1] * w; sw += w;
        }
      });
      if (sw > 0) { at[it.id] = [sx / sw, sy / sw]; return; }
      var angle = k * 2.399963, distance = 60 * Math.sqrt(k + 1);
      at[it.id] = [cx + distance * Math.cos(angle), cy + distance * Math.sin(angle)];
    });
    var order = items.slice().sort(function (a, b) { return b.radius - a.radius || a.id - b.id; });
    var grid = new Map();  // cell -> the boxes placed that reach into it
    var result = {};
    order.forEach(function (it) {
      var want = at[it.id], x = want[0], y = want[1];
      var half = Math.max(it.radius, it.labelWidth / 2, it.subWidth / 2) + 4, up = it.radius + 4, down = it.radius + 33;
      for (var step = 0; step < 200000; step++) {
        if (step) {
          var angle = step * 2.399963, distance = 5 * Math.sqrt(step);
          x = want[0] + distance * Math.cos(angle);
          y = want[1] + distance * Math.sin(angle);
        }
        if (!clashes(grid, x - half, y - up, x + half, y + down)) {
          var box = footprint(it, x, y);
          cells(box[0], box[1], box[2], box[3], function (key) {
            if (!grid.has(key)) grid.set(key, []);
            grid.get(key).push(box);
          });
          break;
        }
      }
      result[it.id] = [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
    });
    return result;
  }
  var CELL = 120;
  function cells(left, top, right, bottom, visit) {
    for (var cx = Math.floor((left - GAP) / CELL); cx <= Math.floor((right + GAP) / CELL); cx++) {
      for (var cy = Math.floor((top - GAP) / CELL); cy <= Math.floor((bottom + GAP) / CELL); cy++) {
        if (visit(cx * 65536 + cy)) return true;
      }
    }
    return false;
  }
  // Whether the box overlaps (GAP included) a box placed before.
  function clashes(grid, left, top, right, bottom) {
    return cells(left, top, right, bottom, function (key) {
      var near = grid.get(key);
      if (!near) return false;
      for (var k = 0; k < near.length; k++) {
        var o = near[k];
        if (left < o[2] + GAP && o[0] < right + GAP && top < o[3] + GAP && o[1] < bottom + GAP) return true;
      }
      return false;
    });
  }

  function towards(x, y, tx, ty, distance) {
    var dx = tx - x, dy = ty - y, length = Math.hypot(dx, dy) || 1;
    return [x + dx / length * distance, y + dy / length * distance];
  }
  function curve(a, b, ra, rb) {
    var dx = b[0] - a[0], dy = b[1] - a[1], length = Math.hypot(dx, dy) || 1;
    var nx = -dy / length, ny = dx / length, bend = Math.min(40, length * 0.15);
    var mx = (a[0] + b[0]) / 2 + nx * bend, my = (a[1] + b[1]) / 2 + ny * bend;
    var s = towards(a[0], a[1], mx, my, ra + 2), e = towards(b[0], b[1], mx, my, rb + 9);
    return "M" + s[0].toFixed(1) + "," + s[1].toFixed(1) + " Q" + mx.toFixed(1) + "," + my.toFixed(1) + " " +
      e[0].toFixed(1) + "," + e[1].toFixed(1);
  }
  function marker(id, color) {
    var m = node("marker", { id: id, viewBox: "0 0 10 10", refX: "1", refY: "5", markerWidth: "9", markerHeight: "9",
      markerUnits: "userSpaceOnUse", orient: "auto" });
    m.appendChild(node("path", { d: "M0,0 L10,5 L0,10 z", fill: color }));
    return m;
  }

  // Draw ``services`` ([{id, name, kind, lines, modules, color}]) and ``links`` ([{from, to,
  // weight, cut}]) into ``svg``, keeping the positions of ``previous`` (id -> [x, y]) where it
  // can. Returns the positions used.
  function draw(svg, services, links, previous) {
    var largest = Math.max(1, Math.max.apply(null, services.map(function (s) { return s.lines; }).concat([1])));
    var items = services.map(function (s) {
      var label = shorten(s.name, LABEL);
      var sub = numbers(s.lines) + " lines";
      return {
        id: s.id, service: s, label: label, sub: sub,
        radius: MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(Math.max(s.lines, 0) / largest),
        labelWidth: textWidth(label, 13, true), subWidth: textWidth(sub, 11, false)
      };
    });
    var byId = {};
    items.forEach(function (it) { byId[it.id] = it; });
    var shown = links.filter(function (l) { return byId[l.from] && byId[l.to]; });
    var positions = layout(items, shown, previous || {});
    svg.replaceChildren();
    var defs = node("defs");
    defs.appendChild(marker("arrow", "#8a94a6"));
    defs.appendChild(marker("arrow-cycle", "#d0342c"));
    svg.appendChild(defs);
    var heaviest = Math.max.apply(null, shown.map(function (l) { return l.weight; }).concat([1]));
    var group = node("g", { "class": "links" });
    shown.slice().sort(function (a, b) { return a.weight - b.weight || a.from - b.from || a.to - b.to; }).forEach(function (l) {
      var share = Math.sqrt(l.weight / heaviest);
      var light = !l.cut && l.weight < LIGHT_SHARE * heaviest;
      var path = node("path", {
        "class": "link" + (l.cut ? " cycle" : "") + (light ? " light" : ""),
        "data-from": String(l.from), "data-to": String(l.to),
        d: curve(positions[l.from], positions[l.to], byId[l.from].radius, byId[l.to].radius),
        "stroke-width": (1 + 7 * share).toFixed(1),
        "stroke-opacity": (l.cut ? 0.9 : 0.25 + 0.6 * share).toFixed(2),
        "marker-end": "url(#" + (l.cut ? "arrow-cycle" : "arrow") + ")"
      });
      path.appendChild(node("title", {}, byId[l.from].service.name + " uses " + byId[l.to].service.name + ": " +
        numbers(l.weight) + " uses" + (l.cut ? " (the cheapest link to cut to break a cycle)" : "")));
      group.appendChild(path);
    });
    svg.appendChild(group);
    var nodes = node("g", { "class": "nodes" });
    items.forEach(function (it) {
      var s = it.service, p = positions[it.id];
      var g = node("g", { "class": "node" + (s.kind === "shared" ? " kernel" : ""), "data-service": String(s.id),
        tabindex: "0", role: "button", "aria-label": s.name });
      g.appendChild(node("title", {}, s.name + ": " + numbers(s.lines) + " lines in " + numbers(s.modules) + " modules. Click for details."));
      g.appendChild(node("circle", { cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: it.radius.toFixed(1), fill: s.color }));
      g.appendChild(node("text", { x: p[0].toFixed(1), y: (p[1] + it.radius + 14).toFixed(1), "class": "label" }, it.label));
      g.appendChild(node("text", { x: p[0].toFixed(1), y: (p[1] + it.radius + 27).toFixed(1), "class": "sub" }, it.sub));
      nodes.appendChild(g);
    });
    svg.appendChild(nodes);
    svg.decomposeItems = items;
    svg.decomposePositions = positions;
    fit(svg, null);
    return positions;
  }

  // The viewBox around the services shown (all, or those in ``only``).
  function fit(svg, only) {
    var items = svg.decomposeItems || [], positions = svg.decomposePositions || {};
    var box = null;
    items.forEach(function (it) {
      if (only && !only.has(it.id)) return;
      var f = footprint(it, positions[it.id][0], positions[it.id][1]);
      box = box ? [Math.min(box[0], f[0]), Math.min(box[1], f[1]), Math.max(box[2], f[2]), Math.max(box[3], f[3])] : f;
    });
    if (!box) box = [0, 0, 960, 620];
    var margin = 16, width = box[2] - box[0] + 2 * margin, height = box[3] - box[1] + 2 * margin;
    // Never wider than tall by more than the frame's shape, so a few services do not fill it.
    var minWidth = Math.max(width, 480), minHeight = Math.max(height, 300);
    var x = box[0] - margin - (minWidth - width) / 2, y = box[1] - margin - (minHeight - height) / 2;
    svg.setAttribute("viewBox", [x, y, minWidth, minHeight].map(function (n) { return n.toFixed(1); }).join(" "));
  }

  // Where the report's own SVG drew each service: the starting positions.
  function positionsIn(svg) {
    var found = {};
    Array.prototype.forEach.call(svg.querySelectorAll(".node"), function (g) {
      var circle = g.querySelector("circle");
      if (circle) found[Number(g.getAttribute("data-service"))] = [Number(circle.getAttribute("cx")), Number(circle.getAttribute("cy"))];
    });
    return found;
  }

  return { draw: draw, fit: fit, positionsIn: positionsIn, shorten: shorten };
})();
