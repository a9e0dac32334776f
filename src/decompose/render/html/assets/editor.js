// The editor's side of the page: the controls of the Edit box, and everything an edit redraws
// (the Overview's figures and services table, the map, the matrices, the pins table, the
// address). The model (edit.js) computes; report.js calls decomposeEditor once with its
// helpers, and editor.start() when the page is built. Names go in with textContent only.
var decomposeEditor = function (page) {
  "use strict";
  var model = decomposeEdit;
  var data = page.data, services = data.services, modules = data.modules;
  var el = page.el, add = page.add, fmt = page.fmt, plural = page.plural, table = page.table;
  var swatch = page.swatch, serviceTag = page.serviceTag, moduleName = page.moduleName;
  var selectService = page.selectService, buildModuleMetrics = page.buildModuleMetrics;
  var base = model.base(data);
  var ORIGINAL = services.length;
  var state = model.initial(base);
  var edited = false;
  var measured = null;  // the edited proposal's figures, from model.measure
  var detail = document.getElementById("service-detail");
  var map = document.querySelector("svg.service-map");
  var matrixDetail = document.getElementById("matrix-detail");
  var moduleMetrics = document.getElementById("module-metrics");
  function serviceOf(m) { return state.assign[m]; }
  function nameOf(i) { return i >= 0 && i < state.names.length ? state.names[i] : model.UNASSIGNED; }
  function colorOf(i) {
    if (i >= 0 && i < ORIGINAL) return services[i].color;
    if (i < 0) return "#8a94a6";
    // A new service's hue comes from its name, so that it keeps its colour however it came.
    var hash = 2166136261, name = nameOf(i);
    for (var k = 0; k < name.length; k++) hash = Math.imul(hash ^ name.charCodeAt(k), 16777619) >>> 0;
    return "hsl(" + (hash % 360) + ", 50%, 42%)";
  }


  // ---------------------------------------------------------------- editing the proposal
  // Every edit makes a new state (model.move, merge, split, create, rename); the page then
  // recomputes the figures from the edges it carries and redraws what depends on them.
  var editRoot = document.getElementById("edit");
  var original = state;
  var undo = [], redo = [];
  var positions = map ? decomposeMap.positionsIn(map) : {};
  var reportCuts = new Set();
  if (map) {
    Array.prototype.forEach.call(map.querySelectorAll(".link.cycle"), function (l) {
      reportCuts.add(l.getAttribute("data-from") + ">" + l.getAttribute("data-to"));
    });
  }
  var view = { focus: -1, hideKernel: false };
  measured = model.measure(base, state);
  var reportValues = {};  // the figures as the report states them, shown until an edit
  Array.prototype.forEach.call(document.querySelectorAll("[data-metric][data-value]"), function (n) {
    reportValues[n.getAttribute("data-metric")] = n.getAttribute("data-value");
  });
  var reportTexts = new Map();
  Array.prototype.forEach.call(document.querySelectorAll("#headline td, #overall-metrics td, .figure-value, " +
    "#history-deployability td"), function (n) {
    reportTexts.set(n, [n.textContent, n.className, n.getAttribute("data-value")]);
  });
  // The services to show: the report's, in its order, then the new ones by name.
  var sortedServices = function () {
    var sizes = model.sizes(state), shown = [], added = [];
    state.names.forEach(function (_, i) {
      if (i < ORIGINAL) { if (sizes[i] > 0) shown.push(i); } else { added.push(i); }
    });
    added.sort(function (a, b) { return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0; });
    return shown.concat(added);
  };
  function sizeOf(i) { return i < measured.size.length ? measured.size[i] : 0; }
  function isEdited() {
    if (state.names.length !== original.names.length) return true;
    for (var i = 0; i < state.names.length; i++) if (state.names[i] !== original.names[i]) return true;
    for (var m = 0; m < state.assign.length; m++) if (state.assign[m] !== original.assign[m]) return true;
    return false;
  }

  // ---- formats, as the report's Python side writes them
  function fixed(x, digits) {
    var t = x * Math.pow(10, digits);
    if (Number.isInteger(t * 2) && !Number.isInteger(t)) {  // halfway: to even, as Python
      var low = Math.floor(t);
      return ((low % 2 === 0 ? low : low + 1) / Math.pow(10, digits)).toFixed(digits);
    }
    return x.toFixed(digits);
  }
  function percent(x) { return fixed(x * 100, 0) + "%"; }
  var SHOW = {
    services: function (o) { return fmt(o.services); },
    modularity: function (o) { return fixed(o.modularity, 2); },
    mq: function (o) { return fixed(o.mq, 2); },
    sm: function (o) { return fixed(o.sm, 2); },
    icp: function (o) { return fixed(o.icp, 2); },
    ifn: function (o) { return fixed(o.ifn, 1); },
    ned: function (o) { return percent(o.ned); },
    cross_call_share: function (o) { return percent(o.cross_call_share); },
    cross_edges: function (o) { return fmt(o.cross_edges) + " (" + fmt(o.cross_weight) + " uses)"; },
    cycles: function (o) { return fmt(o.cycles) + " (" + fmt(o.cyclic_services) + " services)"; }
  };
  function figure(v) {
    if (Number.isInteger(v) && Math.abs(v) >= 1) return fmt(v);
    return v.toFixed(4).replace(/0+$/, "").replace(/\.$/, "") || "0";
  }
  function todayValue(name) {
    var row = document.querySelector("#overall-metrics tr[data-metric=\"" + name + "\"]");
    return row ? Number(row.cells[2].getAttribute("data-value")) : null;
  }
  function direction(name) {
    var row = document.querySelector("#overall-metrics tr[data-metric=\"" + name + "\"]");
    return row ? row.cells[4].textContent : "";
  }
  function better(name, today, now, lookAlike) {
    var way = direction(name);
    if (!way) return "";
    if (today === now || lookAlike) return "same";
    return (now > today) === (way === "higher") ? "proposal" : "today";
  }

  // ---- the figures
  function showFigures() {
    var o = measured.overall;
    Array.prototype.forEach.call(document.querySelectorAll("[data-metric]"), function (n) {
      var name = n.getAttribute("data-metric");
      if (Object.prototype.hasOwnProperty.call(o, name)) {
        n.setAttribute("data-value", edited ? String(o[name]) : reportValues[name]);
      } else if (name === "cross_service_commits") {
        if (edited) n.setAttribute("data-value", ""); else if (reportValues[name] !== undefined) n.setAttribute("data-value", reportValues[name]);
      }
    });
    reportTexts.forEach(function (saved, n) {
      n.textContent = saved[0];
      n.className = saved[1];
      if (saved[2] !== null) n.setAttribute("data-value", saved[2]);
    });
    var header = document.querySelector("#headline thead th:nth-child(3)");
    if (header) header.textContent = edited ? "edited" : "proposed";
    if (!edited) return;
    Array.prototype.forEach.call(document.querySelectorAll("#headline tbody tr[data-metric]"), function (row) {
      var name = row.getAttribute("data-metric");
      var cell = row.cells[2], verdict = row.cells[3];
      if (!SHOW[name]) {
        cell.textContent = "rerun to measure";
        cell.className = "num muted";
        verdict.textContent = "";
        return;
      }
      var before = cell.textContent, now = SHOW[name](o);
      var today = row.cells[1].textContent;
      var verdictNow = better(name, todayValue(name), o[name], today === now);
      cell.className = "num edited" + (verdictNow === "proposal" ? " better" : "");
      row.cells[1].className = "num" + (verdictNow === "today" ? " better" : "");
      cell.textContent = now;
      if (before !== now) add(cell, el("span", "was", "was " + before));
      verdict.textContent = verdictNow;
    });
    Array.prototype.forEach.call(document.querySelectorAll("#overall-metrics tbody tr[data-metric]"), function (row) {
      var name = row.getAttribute("data-metric");
      if (!Object.prototype.hasOwnProperty.call(o, name)) {
        row.cells[1].textContent = "rerun to measure";
        row.cells[3].textContent = "";
        return;
      }
      var today = Number(row.cells[2].getAttribute("data-value"));
      var change = model.round4(o[name] - today);
      row.cells[1].textContent = figure(o[name]);
      row.cells[1].setAttribute("data-value", String(o[name]));
      var verdictNow = better(name, today, o[name], false);
      row.cells[1].className = "num" + (verdictNow === "proposal" ? " better" : "");
      row.cells[2].className = "num" + (verdictNow === "today" ? " better" : "");
      row.cells[3].textContent = (change > 0 ? "+" : "") + figure(change);
      row.cells[3].setAttribute("data-value", String(change));
    });
    Array.prototype.forEach.call(document.querySelectorAll("#history-deployability tbody tr[data-metric]"), function (row) {
      row.cells[2].textContent = "rerun to measure";
      row.cells[2].className = "num muted";
      row.cells[3].textContent = "";
    });
    var card = function (label) { return document.querySelector(".figure[data-figure=\"" + label + "\"] .figure-value"); };
    var shown = sortedServices().filter(function (i) { return sizeOf(i) > 0; });
    var domain = shown.filter(function (i) { return state.kinds[i] !== "shared"; }).length;
    if (card("Services proposed")) card("Services proposed").textContent = fmt(domain);
    var inside = 0;
    measured.inside.forEach(function (w) { inside += w; });
    var uses = inside + o.cross_weight;
    if (card("Uses across services")) {
      card("Uses across services").textContent = uses ? fmt(o.cross_weight) + " of " + fmt(uses) + " (" + percent(o.cross_weight / uses) + ")" : "none";
    }
    if (card("API surface")) card("API surface").textContent = fmt(measured.apiTotal) + " symbols";
    if (card("Cycles between services")) card("Cycles between services").textContent = fmt(o.cycles);
    var kernel = card("Shared kernel");
    if (kernel) {
      var k = state.kinds.indexOf("shared");
      var lines = 0;
      measured.lines.forEach(function (n) { lines += n; });
      kernel.textContent = k >= 0 && sizeOf(k) ? fmt(sizeOf(k)) + " modules, " + fmt(measured.lines[k]) + " lines (" + percent(lines ? measured.lines[k] / lines : 0) + ")" : "none";
    }
  }

  // ---- per service: what it depends on
  function dependencies() {
    var K = measured.K, out = {};
    measured.links.forEach(function (w, key) {
      var a = Math.floor(key / K), b = key % K;
      (out[a] = out[a] || []).push([b, w]);
    });
    Object.keys(out).forEach(function (a) {
      out[a].sort(function (x, y) { return y[1] - x[1] || (nameOf(x[0]) < nameOf(y[0]) ? -1 : nameOf(x[0]) > nameOf(y[0]) ? 1 : 0); });
    });
    return out;
  }
  function serviceButton(i, className) {
    var b = add(el("button", className), swatch(i), document.createTextNode(nameOf(i)));
    b.type = "button";
    b.setAttribute("data-service", String(i));
    b.title = nameOf(i);
    return b;
  }
  function numberCell(n) { var td = el("td", "num", fmt(n)); td.setAttribute("data-value", String(n)); return td; }
  function showServiceTable() {
    var body = document.querySelector("#service-table tbody");
    if (!body) return;
    var depends = dependencies();
    var rows = sortedServices().map(function (i) {
      var tr = el("tr");
      var kind = state.kinds[i] + (sizeOf(i) ? "" : " (empty)");
      add(tr, add(el("td"), serviceButton(i, "service-link")), el("td", "", kind), numberCell(measured.lines[i] || 0),
        numberCell(sizeOf(i)), numberCell(i < measured.api.length ? measured.api[i] : 0), numberCell(measured.entities[i] || 0),
        el("td", "wrap", (depends[i] || []).slice(0, 3).map(function (d) { return nameOf(d[0]) + " (" + fmt(d[1]) + ")"; }).join(", ")));
      return tr;
    });
    body.replaceChildren.apply(body, rows);
    var picker = document.querySelector("#services .picker");
    if (picker) {
      picker.replaceChildren.apply(picker, sortedServices().map(function (i) {
        var b = serviceButton(i, "pick");
        b.setAttribute("aria-pressed", String(Number(detail.getAttribute("data-shown")) === i));
        return b;
      }));
    }
  }

  // ---- the matrices
  // The matrices are redrawn now when they are on screen or near it, else when they come near:
  // on a proposal of a hundred services they are ten thousand cells.
  var matrixNear = true, matrixStale = false;
  var matrixSection = document.getElementById("matrix");
  if (matrixSection && window.IntersectionObserver) {
    new IntersectionObserver(function (entries) {
      matrixNear = entries[entries.length - 1].isIntersecting;
      if (matrixNear && matrixStale) { matrixStale = false; showMatrix(); }
    }, { rootMargin: "600px 0px" }).observe(matrixSection);
  }
  function matrixSoon() {
    if (matrixNear) { matrixStale = false; showMatrix(); } else { matrixStale = true; }
  }
  function showMatrix() {
    var t = document.getElementById("service-matrix");
    if (!t) return;
    var shown = sortedServices().filter(function (i) { return sizeOf(i) > 0; });
    var K = measured.K, heaviest = 0;
    measured.links.forEach(function (w) { heaviest = Math.max(heaviest, w); });
    function heat(v) {
      if (v <= 0) return 0;
      return heaviest <= 1 ? 8 : 1 + Math.min(7, Math.floor(7 * Math.log(v) / Math.log(heaviest)));
    }
    var head = add(el("tr"), el("th", "corner", "uses \u2192"));
    shown.forEach(function (i) {
      var th = add(el("th", "col"), swatch(i), el("span", "vertical", nameOf(i)));
      th.scope = "col";
      th.title = nameOf(i);
      head.appendChild(th);
    });
    var body = el("tbody");
    var blank = el("td", "h0"), own = el("td", "own");  // cloned: thousands of cells on a large proposal
    shown.forEach(function (r) {
      var th = add(el("th"), swatch(r), document.createTextNode(nameOf(r)));
      th.scope = "row";
      th.title = nameOf(r);
      var tr = add(el("tr"), th);
      shown.forEach(function (c) {
        var v = r === c ? measured.inside[r] : measured.links.get(r * K + c) || 0;
        var td = (r === c ? own : blank).cloneNode(false);
        if (v) {
          if (r !== c) td.className = "h" + heat(v);
          td.textContent = fmt(v);
          td.setAttribute("data-row", String(r));
          td.setAttribute("data-col", String(c));
          td.tabIndex = 0;
          td.title = nameOf(r) + " uses " + nameOf(c) + ": " + fmt(v);
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.replaceChildren(add(el("thead"), head), body);
    matrixDetail.replaceChildren();
    showModuleMatrix(shown);
  }
  var SVG_NS = "http://www.w3.org/2000/svg";
  function svgNode(tag, attributes, text) {
    var n = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach(function (k) { n.setAttribute(k, attributes[k]); });
    if (text !== undefined) n.textContent = text;
    return n;
  }
  // The module matrix, as _svg.module_matrix_svg draws it, for the edited services.
  function showModuleMatrix(shown) {
    var frame = document.querySelector(".matrix-frame");
    if (!frame || !frame.querySelector("svg.module-matrix")) return;
    var ordered = [];
    shown.forEach(function (s) {
      var members = [];
      state.assign.forEach(function (x, m) { if (x === s) members.push(m); });
      members.sort(function (a, b) { return modules[a][0] < modules[b][0] ? -1 : modules[a][0] > modules[b][0] ? 1 : 0; });
      members.forEach(function (m) { ordered.push([m, s]); });
    });
    var position = new Map();
    ordered.forEach(function (o, k) { position.set(o[0], k); });
    var cell = 12, labelWidth = 280, band = 18, size = ordered.length * cell;
    var width = labelWidth + size + 2, height = band + size + 2;
    var svg = svgNode("svg", { "class": "module-matrix", viewBox: "0 0 " + width + " " + height, width: String(width),
      height: String(height), role: "img", "aria-label": "Design structure matrix of modules, ordered by service" });
    var start = 0;
    ordered.forEach(function (o, k) {
      if (k + 1 < ordered.length && ordered[k + 1][1] === o[1]) return;
      var x = labelWidth + start * cell, y = band + start * cell, span = (k + 1 - start) * cell, color = colorOf(o[1]);
      var g = svgNode("g", { "class": "block" });
      g.appendChild(svgNode("title", {}, nameOf(o[1])));
      g.appendChild(svgNode("rect", { x: x, y: 0, width: span, height: band - 3, fill: color }));
      g.appendChild(svgNode("rect", { x: x, y: y, width: span, height: span, fill: color, "fill-opacity": "0.10", stroke: color, "stroke-width": "1.5" }));
      svg.appendChild(g);
      start = k + 1;
    });
    ordered.forEach(function (o, k) {
      var name = modules[o[0]][0];
      var t = svgNode("text", { "class": "row-label", x: labelWidth - 6, y: band + k * cell + cell - 2 });
      t.appendChild(svgNode("title", {}, name));
      t.appendChild(document.createTextNode(name.length <= 38 ? name : "\u2026" + name.slice(-37)));
      svg.appendChild(t);
    });
    var cells = data.pairs.filter(function (p) { return position.has(p[0]) && position.has(p[1]); });
    var heaviest = Math.max.apply(null, cells.map(function (p) { return p[2]; }).concat([1]));
    cells.forEach(function (p) {
      var row = position.get(p[0]), column = position.get(p[1]);
      var inside = serviceOf(p[0]) === serviceOf(p[1]);
      var r = svgNode("rect", { "class": inside ? "in" : "cross", x: labelWidth + column * cell + 1, y: band + row * cell + 1,
        width: cell - 2, height: cell - 2, fill: inside ? colorOf(serviceOf(p[0])) : "#d0342c",
        "fill-opacity": (0.35 + 0.65 * Math.sqrt(p[2] / heaviest)).toFixed(2) });
      r.appendChild(svgNode("title", {}, modules[p[0]][0] + " uses " + modules[p[1]][0] + ": " + fmt(p[2])));
      svg.appendChild(r);
    });
    frame.replaceChildren(svg);
  }

  // ---- the map
  function cheapestCuts() {
    if (!edited) return reportCuts;
    var cuts = new Set(), K = measured.K;
    measured.short.forEach(function (cycle) {
      var best = null, lightest = Infinity;
      cycle.forEach(function (a, k) {
        var b = cycle.length === 2 ? cycle[1 - k] : cycle[(k + 1) % cycle.length];
        var w = measured.links.get(a * K + b) || 0;
        if (w < lightest) { lightest = w; best = a + ">" + b; }
      });
      if (best) cuts.add(best);
    });
    return cuts;
  }
  function drawMap() {
    if (!map) return;
    var K = measured.K, cuts = cheapestCuts();
    var shown = sortedServices().filter(function (i) { return sizeOf(i) > 0; });
    var links = [];
    measured.links.forEach(function (w, key) {
      var a = Math.floor(key / K), b = key % K;
      if (a < state.names.length && b < state.names.length) links.push({ from: a, to: b, weight: w, cut: cuts.has(a + ">" + b) });
    });
    positions = decomposeMap.draw(map, shown.map(function (i) {
      return { id: i, name: nameOf(i), kind: state.kinds[i], lines: measured.lines[i], modules: sizeOf(i), color: colorOf(i) };
    }), links, positions);
    var selected = Number(detail.getAttribute("data-shown"));
    Array.prototype.forEach.call(map.querySelectorAll(".node"), function (n) {
      n.classList.toggle("selected", Number(n.getAttribute("data-service")) === selected);
    });
    mapView();
  }
  // Focus on one service and its neighbours; hide the shared kernel.
  function mapView() {
    if (!map) return;
    var K = measured.K, visible = new Set();
    sortedServices().forEach(function (i) {
      if (sizeOf(i) && !(view.hideKernel && state.kinds[i] === "shared" && i !== view.focus)) visible.add(i);
    });
    if (view.focus >= 0 && visible.has(view.focus)) {
      var near = new Set([view.focus]);
      measured.links.forEach(function (w, key) {
        var a = Math.floor(key / K), b = key % K;
        if (a === view.focus && visible.has(b)) near.add(b);
        if (b === view.focus && visible.has(a)) near.add(a);
      });
      visible = near;
    }
    Array.prototype.forEach.call(map.querySelectorAll(".node"), function (n) {
      n.classList.toggle("hidden", !visible.has(Number(n.getAttribute("data-service"))));
    });
    Array.prototype.forEach.call(map.querySelectorAll(".link"), function (l) {
      var show = visible.has(Number(l.getAttribute("data-from"))) && visible.has(Number(l.getAttribute("data-to")));
      l.classList.toggle("hidden", !show);
    });
    decomposeMap.fit(map, visible);
  }

  // ---- one service, edited
  function buildEditedService(index) {
    var root = el("div");
    var K = measured.K, depends = dependencies();
    var members = [];
    state.assign.forEach(function (s, m) { if (s === index) members.push(m); });
    var api = base.symbols.filter(function (sym) {
      if (serviceOf(sym[0]) !== index) return false;
      for (var i = 2; i < sym.length; i++) if (serviceOf(sym[i]) !== index) return true;
      return false;
    });
    add(root, add(el("div", "service-head"), swatch(index), el("h3", "", nameOf(index)), el("span", "tag", state.kinds[index]),
      el("span", "tag warn", "edited")));
    add(root, el("p", "facts", fmt(measured.lines[index] || 0) + " lines in " + plural(members.length, "module") + "; " +
      plural(api.length, "symbol") + " used by other services. Signatures, placement evidence, split suggestions and data come " +
      "with decompose analyze: run it with the pins of the Edit section."));
    add(root, el("h4", "", "API surface: what other services use"));
    if (api.length) {
      add(root, table([["symbol", "text", "code symbol"], ["module", "text", "code wrap"], ["used by", "text"], ["using modules", "num"]],
        api.map(function (sym) {
          var users = new Set(), outside = 0;
          for (var i = 2; i < sym.length; i++) if (serviceOf(sym[i]) !== index) { users.add(serviceOf(sym[i])); outside++; }
          var tags = el("span");
          Array.from(users).sort(function (a, b) { return a - b; }).forEach(function (u) { add(tags, serviceTag(u), document.createTextNode(" ")); });
          return [sym[1], moduleName(sym[0]), tags, outside];
        }), "api-table"));
    } else {
      add(root, el("p", "note", "No other service uses anything of " + nameOf(index) + "."));
    }
    var users = [];
    measured.links.forEach(function (w, key) { if (key % K === index) users.push([Math.floor(key / K), w]); });
    users.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    var out = add(el("div"), el("h4", "", "Depends on"));
    add(out, (depends[index] || []).length ? table([["service", "text"], ["uses", "num"]],
      depends[index].map(function (d) { return [serviceTag(d[0]), d[1]]; }), "depends-table") : el("p", "note", "Nothing outside itself."));
    var incoming = add(el("div"), el("h4", "", "Used by"));
    add(incoming, users.length ? table([["service", "text"], ["uses", "num"]],
      users.map(function (u) { return [serviceTag(u[0]), u[1]]; }), "used-by-table") : el("p", "note", "No other service uses it."));
    add(root, add(el("div", "columns"), out, incoming));
    add(root, el("h4", "", "Modules"));
    add(root, table([["module (path)", "text", "code wrap"], ["lines", "num"], ["in the report's proposal", "text"]],
      members.map(function (m) {
        var name = add(el("div"), el("div", "", modules[m][0]), el("div", "note", modules[m][1]));
        name.sortValue = modules[m][0];
        var home = base.home[m];
        var was = home === index ? el("span", "muted", "here") : add(el("span", "versus"), el("span", "tag warn", "moved from"),
          document.createTextNode(" "), home >= 0 ? serviceTag(home) : el("span", "", model.UNASSIGNED));
        if (home >= 0 && home !== index) was.sortValue = services[home].name;
        return [name, modules[m][2], was];
      }), "module-table"));
    return root;
  }

  // ---- the controls
  function options(select, items, keep) {
    if (!select) return;
    var before = select.value;
    select.replaceChildren.apply(select, items.map(function (item) {
      var o = el("option", "", item[1]);
      o.value = String(item[0]);
      return o;
    }));
    if (keep && items.some(function (item) { return String(item[0]) === before; })) select.value = before;
  }
  var listed = null;  // the services the selects offer, as last filled
  function controls() {
    var list = sortedServices().map(function (i) { return [i, nameOf(i)]; });
    var signature = JSON.stringify(list.map(function (item) { return [item[0], item[1], sizeOf(item[0]) > 0]; }));
    if (signature !== listed) fillSelects(list);
    listed = signature;
    var pressed = function (id, on) { var b = document.getElementById(id); if (b) b.disabled = !on; };
    pressed("edit-undo", undo.length > 0);
    pressed("edit-redo", redo.length > 0);
    pressed("edit-reset", edited);
  }
  function fillSelects(list) {
    ["edit-target", "edit-merge-from", "edit-merge-into", "edit-split", "edit-rename"].forEach(function (id) {
      options(document.getElementById(id), list, true);
    });
    options(document.getElementById("map-focus"), [[-1, "every service"]].concat(list.filter(function (item) { return sizeOf(item[0]); })), true);
    var focusSelect = document.getElementById("map-focus");
    if (focusSelect) focusSelect.value = String(view.focus);
  }
  function fillModuleList() {
    var list = document.getElementById("edit-modules");
    if (!list) return;
    var packages = new Set();
    base.names.forEach(function (name) {
      var parts = name.split(".");
      for (var k = 1; k < parts.length; k++) packages.add(parts.slice(0, k).join(".") + ".*");
    });
    var entries = base.names.concat(Array.from(packages)).sort();
    list.replaceChildren.apply(list, entries.map(function (name) { var o = el("option"); o.value = name; return o; }));
  }
  var status = document.getElementById("edit-status");
  function say(text, problem) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("problem", !!problem);
  }
  function writeFragment() {
    var fragment = model.fragment(base, state);
    var url = fragment ? "#" + fragment : location.pathname + location.search;
    if ((location.hash || "") === (fragment ? "#" + fragment : "")) return;
    lastHash = fragment ? "#" + fragment : "";
    try {
      history.replaceState(null, "", url);
    } catch (error) {
      location.replace(fragment ? "#" + fragment : "#");
    }
  }
  var lastHash = null;

  // Redraw everything that depends on the proposal; returns the milliseconds it took.
  function refresh() {
    var started = performance.now();
    edited = isEdited();
    measured = model.measure(base, state);
    showFigures();
    showServiceTable();
    matrixSoon();
    drawMap();
    controls();
    var pins = document.getElementById("pins-toml");
    if (pins) pins.textContent = edited ? model.pins(base, state) : "";
    var exported = document.getElementById("edit-export");
    if (exported) exported.hidden = !edited;
    Array.prototype.forEach.call(document.querySelectorAll(".edit-stale"), function (n) { n.hidden = !edited; });
    var shown = Number(detail.getAttribute("data-shown"));
    var present = sortedServices();
    selectService(present.indexOf(shown) >= 0 ? shown : present.length ? present[0] : -1, false);
    if (moduleMetrics && moduleMetrics.getAttribute("data-built")) {
      moduleMetrics.removeAttribute("data-built");
      buildModuleMetrics();
    }
    writeFragment();
    void document.body.offsetHeight;  // the page laid out again: what a reader waits for
    var took = performance.now() - started;
    if (editRoot) {
      editRoot.setAttribute("data-ms", took.toFixed(1));
      editRoot.setAttribute("data-edited", edited ? "1" : "0");
    }
    return took;
  }
  function commit(next, what) {
    if (typeof next === "string") { say(next, true); return false; }
    undo.push(state);
    redo = [];
    state = next;
    var took = refresh();
    say(what + ". Figures recomputed in " + took.toFixed(0) + " ms.", false);
    return true;
  }
  function value(id) { var n = document.getElementById(id); return n ? n.value : ""; }
  function on(id, handler) {
    var n = document.getElementById(id);
    if (n) n.addEventListener("click", handler);
  }
  function onEnter(id, handler) {
    var n = document.getElementById(id);
    if (n) n.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); handler(); } });
  }
  function doMove() {
    var key = value("edit-module").trim(), target = Number(value("edit-target"));
    var found = model.modulesOf(base, key).length;
    commit(model.move(base, state, key, target), "Moved " + key + (found > 1 ? " (" + plural(found, "module") + ")" : "") + " to " + nameOf(target));
  }
  function doCreate() {
    var name = value("edit-new-name");
    if (commit(model.create(state, name), "Created " + name)) {
      var target = document.getElementById("edit-target");
      if (target) target.value = String(state.names.length - 1);
      document.getElementById("edit-new-name").value = "";
    }
  }
  function doRename() {
    var service = Number(value("edit-rename")), name = value("edit-rename-name"), was = nameOf(service);
    if (commit(model.rename(state, service, name), "Renamed " + was + " to " + name)) document.getElementById("edit-rename-name").value = "";
  }
  on("edit-move", doMove);
  onEnter("edit-module", doMove);
  on("edit-merge", function () {
    var from = Number(value("edit-merge-from")), into = Number(value("edit-merge-into"));
    commit(model.merge(state, from, into), "Merged " + nameOf(from) + " into " + nameOf(into));
  });
  on("edit-split-button", function () {
    var service = Number(value("edit-split")), before = state.names.length;
    var next = model.split(base, state, service);
    commit(next, typeof next === "string" ? "" : "Split " + nameOf(service) + " into " + (next.names.length - before + 1) + " services by package");
  });
  on("edit-create", doCreate);
  onEnter("edit-new-name", doCreate);
  on("edit-rename-button", doRename);
  onEnter("edit-rename-name", doRename);
  on("edit-undo", function () {
    if (!undo.length) return;
    redo.push(state);
    state = undo.pop();
    say("Undone. Figures recomputed in " + refresh().toFixed(0) + " ms.", false);
  });
  on("edit-redo", function () {
    if (!redo.length) return;
    undo.push(state);
    state = redo.pop();
    say("Redone. Figures recomputed in " + refresh().toFixed(0) + " ms.", false);
  });
  on("edit-reset", function () { commit(original, "Back to the report's proposal"); });
  on("copy-pins", function () {
    var text = document.getElementById("pins-toml").textContent;
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById("pins-toml"));
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      say(done ? "Copied the pins table." : "Selected the pins table: copy it with Ctrl+C.", false);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { say("Copied the pins table.", false); }, fallback);
    } else {
      fallback();
    }
  });
  // Sections are reached by scrolling, so that the address keeps the edits.
  document.addEventListener("click", function (e) {
    var link = e.target instanceof Element ? e.target.closest("a[href^=\"#\"]") : null;
    if (!link || !edited) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) { e.preventDefault(); target.scrollIntoView(); }
  });
  function fromAddress(initialLoad) {
    var hash = location.hash || "";
    if (hash === lastHash) return;
    if (hash.lastIndexOf("#moves=", 0) !== 0) return;
    var parsed = model.parse(base, hash);
    lastHash = hash;
    if (initialLoad) {
      undo = [original];
      state = parsed.state;
      refresh();
      say("The edits in this page's address are applied." + (parsed.problems.length ? " Left out, not found: " + parsed.problems.join(", ") : ""), parsed.problems.length > 0);
    } else {
      commit(parsed.state, "Applied the edits in the address" + (parsed.problems.length ? " (left out, not found: " + parsed.problems.join(", ") + ")" : ""));
    }
  }
  window.addEventListener("hashchange", function () { fromAddress(false); });

  // ---- the map's tools
  var hideKernel = document.getElementById("hide-kernel");
  if (hideKernel) {
    hideKernel.checked = false;
    hideKernel.addEventListener("change", function () { view.hideKernel = hideKernel.checked; mapView(); });
  }
  var focusSelect = document.getElementById("map-focus");
  if (focusSelect) focusSelect.addEventListener("change", function () { view.focus = Number(focusSelect.value); mapView(); });
  var search = document.getElementById("map-search");
  var results = document.getElementById("search-results");
  function find(text) {
    var query = text.trim().toLowerCase(), found = [];
    if (query.length < 2) return found;
    for (var m = 0; m < base.names.length && found.length < 12; m++) {
      if (base.names[m].toLowerCase().indexOf(query) >= 0) found.push([base.names[m], m]);
    }
    for (var d = 0; d < data.edit.defined.length && found.length < 24; d++) {
      data.edit.defined[d].forEach(function (name) {
        if (found.length < 24 && name.toLowerCase().indexOf(query) >= 0) found.push([name + " in " + base.names[d], d]);
      });
    }
    return found;
  }
  function focusOn(service) {
    view.focus = service;
    if (focusSelect) focusSelect.value = String(service);
    mapView();
    selectService(service, false);
    Array.prototype.forEach.call(map ? map.querySelectorAll(".node") : [], function (n) {
      n.classList.toggle("found", Number(n.getAttribute("data-service")) === service);
    });
  }
  if (search && results) {
    search.value = "";
    search.addEventListener("input", function () {
      var found = find(search.value);
      results.replaceChildren.apply(results, found.map(function (f) {
        var s = serviceOf(f[1]);
        var b = add(el("button", "found-item"), el("span", "code", f[0]), document.createTextNode(" \u2192 "), swatch(s),
          document.createTextNode(nameOf(s)));
        b.type = "button";
        b.setAttribute("data-find", String(s));
        return add(el("li"), b);
      }));
      if (search.value.trim().length >= 2 && !found.length) results.appendChild(el("li", "note", "No module or symbol matches."));
    });
    results.addEventListener("click", function (e) {
      var b = e.target instanceof Element ? e.target.closest("[data-find]") : null;
      if (b) focusOn(Number(b.getAttribute("data-find")));
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { var first = results.querySelector("[data-find]"); if (first) { e.preventDefault(); first.click(); } }
    });
  }

  return {
    serviceOf: serviceOf,
    nameOf: nameOf,
    colorOf: colorOf,
    count: function () { return state.names.length; },
    edited: function () { return edited; },
    buildService: buildEditedService,
    start: function () {
      fillModuleList();
      drawMap();
      controls();
      fromAddress(true);
    }
  };
};
