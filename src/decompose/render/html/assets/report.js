// The report's only script. Text from the analysed code is always set with textContent,
// never parsed as markup; the data comes from the JSON block above, read with JSON.parse.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var services = data.services;
  var modules = data.modules;
  // The proposal as edited in the page (editor.js, over edit.js's model): the report's own
  // until an edit.
  var editor = decomposeEditor({
    data: data, el: el, add: add, fmt: fmt, plural: plural, table: table, swatch: swatch, serviceTag: serviceTag,
    moduleName: moduleName, selectService: selectService, buildModuleMetrics: buildModuleMetrics
  });
  var serviceOf = editor.serviceOf, nameOf = editor.nameOf, colorOf = editor.colorOf;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      if (arguments[i] !== null && arguments[i] !== undefined) parent.appendChild(arguments[i]);
    }
    return parent;
  }
  var numbers = new Intl.NumberFormat("en-US");  // one formatter: toLocaleString builds one per call
  function fmt(n) { return numbers.format(n); }
  function plural(n, word) { return fmt(n) + " " + word + (n === 1 ? "" : "s"); }
  function swatch(i) {
    if (i >= 0 && i < services.length) return el("span", "swatch c" + i);
    var box = el("span", "swatch");
    box.style.backgroundColor = colorOf(i);  // CSSOM, not markup: the policy allows it
    return box;
  }
  function serviceTag(i) {
    var tag = add(el("span", "tag"), swatch(i), document.createTextNode(nameOf(i)));
    tag.title = nameOf(i);
    tag.sortValue = nameOf(i);
    return tag;
  }
  function moduleName(i) { return i >= 0 ? modules[i][0] : "?"; }

  // A table: columns as [label, type ("text" or "num"), css class, number format, header
  // title]; rows as arrays of cells, each a string, a number (null: none), or a DOM node (with
  // an optional sort value in node.sortValue).
  function table(columns, rows, id, className) {
    var t = el("table", "sortable" + (className ? " " + className : ""));
    if (id) t.id = id;
    var head = el("tr");
    columns.forEach(function (c) {
      var th = el("th", c[1] === "num" ? "num" : "", c[0]);
      th.setAttribute("data-type", c[1]);
      if (c[4]) th.title = c[4];
      head.appendChild(th);
    });
    add(t, add(el("thead"), head));
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (cell, k) {
        var td = el("td", columns[k][2] || (columns[k][1] === "num" ? "num" : ""));
        if (cell instanceof Node) {
          td.appendChild(cell);
          if (cell.sortValue !== undefined) td.setAttribute("data-value", cell.sortValue);
        } else if (typeof cell === "number") {
          td.textContent = (columns[k][3] || fmt)(cell);
          td.setAttribute("data-value", cell);
        } else {
          td.textContent = cell;
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    makeSortable(t);
    return add(el("div", "scroll"), t);
  }

  // ---------------------------------------------------------------- sorting
  function cellValue(td, type) {
    var raw = td.getAttribute("data-value");
    var text = raw !== null ? raw : td.textContent.trim();
    if (type === "text") return text.toLowerCase();
    var number = parseFloat(String(text).replace(/,/g, ""));
    if (type === "num") return isNaN(number) ? -Infinity : number;
    return isNaN(number) ? text.toLowerCase() : number;
  }
  function makeSortable(t) {
    if (t.getAttribute("data-sortable")) return;
    t.setAttribute("data-sortable", "1");
    var headers = t.querySelectorAll("thead th[data-type]");
    Array.prototype.forEach.call(headers, function (th, column) {
      th.tabIndex = 0;
      function sort() {
        var descending = th.getAttribute("aria-sort") !== "descending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var type = th.getAttribute("data-type");
        var body = t.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (row, index) {
          return [cellValue(row.cells[column], type), index, row];
        });
        keyed.sort(function (a, b) {
          var x = a[0], y = b[0];
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          var order = x < y ? -1 : x > y ? 1 : a[1] - b[1];
          return descending && x !== y ? -order : order;
        });
        keyed.forEach(function (k) { body.appendChild(k[2]); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);

  // ---------------------------------------------------------------- one service
  function usedBy(index) {
    var users = [];
    services.forEach(function (s, i) {
      s.depends.forEach(function (d) { if (d[0] === index) users.push([i, d[1], d[2]]); });
    });
    users.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return users;
  }
  function kindsText(kinds) {
    return kinds.map(function (k) { return k[0] + " " + fmt(k[1]); }).join(", ");
  }
  function callersCell(symbol) {
    var sites = symbol[6];
    var byService = {};
    sites.forEach(function (c) { byService[c[0]] = (byService[c[0]] || 0) + 1; });
    var wrapper = el("details");
    var summary = el("summary");
    Object.keys(byService).sort(function (a, b) { return byService[b] - byService[a] || a - b; })
      .forEach(function (k) { add(summary, serviceTag(Number(k)), document.createTextNode(" ")); });
    wrapper.appendChild(summary);
    var list = el("ul", "sites");
    sites.forEach(function (c) {
      list.appendChild(el("li", "code", services[c[0]].name + ": " + moduleName(c[1]) + ", line " + c[2]));
    });
    wrapper.appendChild(list);
    if (symbol[5] > sites.length) {
      wrapper.appendChild(el("div", "note", "The first " + sites.length + " call sites of " + fmt(symbol[5]) + " uses."));
    }
    return wrapper;
  }
  // ---------------------------------------------------------------- placement evidence
  // A module of a service: [module, confidence] and, with evidence, [ties here, runner-up
  // service (-1: none), ties there, sum here, sum there]; a tie is [module, kind, weight].
  var tieKinds = data.tie_kinds;
  var withEvidence = services.some(function (s) { return s.modules.some(function (m) { return m.length > 2; }); });
  var KIND_MEANING = {
    vocabulary: "their names and definitions share rare words",
    neighbourhood: "they use, and are used by, the same modules",
    "package": "they sit in the same package today",
    data: "they use the same models or tables"
  };
  function weight(w) { return w >= 100 ? fmt(Math.round(w)) : String(Number(w.toPrecision(3))); }
  function tie(t) {
    var kind = tieKinds[t[1]];
    var line = add(el("div", "tie"), el("span", "code", moduleName(t[0])), document.createTextNode(" "),
      add(el("span", "how"), el("span", "kind", kind), document.createTextNode(" "), el("span", "weight", weight(t[2]))));
    var meaning = Object.prototype.hasOwnProperty.call(KIND_MEANING, kind) ? " (" + KIND_MEANING[kind] + ")" : "";
    line.title = moduleName(t[0]) + ": " + kind + meaning + ", weight " + t[2];
    return line;
  }
  // The first line always shows; the rest opens under it.
  function foldable(head, ties) {
    if (!ties.length) return head;
    var box = el("details");
    add(box, add(el("summary"), head));
    ties.forEach(function (t) { box.appendChild(tie(t)); });
    return box;
  }
  function whyHere(m) {
    var ties = m.length > 2 ? m[2] : [];
    var cell = ties.length ? foldable(tie(ties[0]), ties.slice(1)) : el("span", "muted", "no ties recorded");
    cell.sortValue = m.length > 2 ? m[5] : 0;
    return cell;
  }
  function whatElse(m) {
    var cell;
    if (m.length <= 2 || m[3] < 0) {
      cell = el("span", "muted", m.length > 2 ? "none: tied to no other service" : "no ties recorded");
      cell.sortValue = 0;
      return cell;
    }
    var head = add(el("span", "versus"), serviceTag(m[3]), document.createTextNode(" "),
      el("span", "weight", weight(m[6]) + " there vs " + weight(m[5]) + " here"));
    if (m[6] > 0 && m[6] >= m[5]) add(head, document.createTextNode(" "), el("span", "tag warn", "more tied there"));
    cell = foldable(head, m[4]);
    cell.sortValue = m[5] + m[6] > 0 ? m[6] / (m[5] + m[6]) : 0;
    cell.title = "Tied to " + services[m[3]].name + " by " + weight(m[6]) + ", to its own service by " + weight(m[5]);
    return cell;
  }

  function buildService(index) {
    if (editor.edited()) return editor.buildService(index);
    var s = services[index];
    var root = el("div");
    add(root, add(el("div", "service-head"), swatch(index), el("h3", "", s.name), el("span", "tag", s.kind)));
    add(root, el("p", "facts",
      fmt(s.lines) + " lines in " + plural(s.modules.length, "module") + "; " +
      plural(s.api.length, "symbol") + " used by other services; owns " + plural(s.entities.length, "entity").replace("entitys", "entities") + "."));

    add(root, el("h4", "", "API surface: what other services use"));
    if (s.api.length) {
      add(root, el("p", "note", "Each class or function of " + s.name + " that code in another service uses, most used first: the interface this service would publish."));
      add(root, table(
        [["symbol", "text", "code symbol"], ["kind", "text"], ["signature", "text", "sig code"], ["what it does", "text", "wrap"],
         ["uses", "num"], ["used by (click for call sites)", "text"]],
        s.api.map(function (a) {
          var name = el("span", "", a[1]);
          name.title = moduleName(a[0]) + ":" + a[1];
          var where = el("div", "note", moduleName(a[0]));
          var cell = add(el("div"), name, where);
          cell.sortValue = a[1];
          return [cell, a[2], a[3], a[4], a[5], callersCell(a)];
        }), "api-table"));
    } else {
      add(root, el("p", "note", "No other service uses anything of " + s.name + "."));
    }

    var columns = add(el("div", "columns"));
    var out = add(el("div"), el("h4", "", "Depends on"));
    if (s.depends.length) {
      add(out, table([["service", "text"], ["uses", "num"], ["by kind", "text", "wrap"]],
        s.depends.map(function (d) { return [serviceTag(d[0]), d[1], kindsText(d[2])]; }), "depends-table"));
    } else {
      add(out, el("p", "note", "Nothing outside itself."));
    }
    var users = usedBy(index);
    var incoming = add(el("div"), el("h4", "", "Used by"));
    if (users.length) {
      add(incoming, table([["service", "text"], ["uses", "num"], ["by kind", "text", "wrap"]],
        users.map(function (u) { return [serviceTag(u[0]), u[1], kindsText(u[2])]; }), "used-by-table"));
    } else {
      add(incoming, el("p", "note", "No other service uses it."));
    }
    add(root, add(columns, out, incoming));

    add(root, el("h4", "", "Modules"));
    var moduleColumns = [["module (path)", "text", "code wrap"], ["lines", "num"], ["confidence", "num", "num meter"]];
    if (withEvidence) {
      add(root, el("p", "note", "Why each module is here: its strongest ties to modules of " + s.name +
        " (the module, the kind of tie, its weight). What else it could be: the service it is next most tied to, " +
        "with the sum of its ties there against the sum here. Click a \u25B6 to see all the ties."));
      var openAll = el("input");
      openAll.type = "checkbox";
      openAll.id = "open-ties";
      add(root, add(el("label", "toggle"), openAll, document.createTextNode("show every module's ties")));
      moduleColumns = moduleColumns.concat([
        ["why here", "value", "ties", null, "Its strongest ties into " + s.name + "; sorted by their sum"],
        ["what else it could be", "value", "ties", null, "The service it is next most tied to; sorted by how close it comes"]]);
    }
    var moduleTable = table(moduleColumns,
      s.modules.map(function (m) {
        var meter = el("span");
        var bar = el("meter");
        bar.min = 0; bar.max = 1; bar.low = 0.34; bar.high = 0.67; bar.optimum = 1; bar.value = m[1];
        add(meter, bar, document.createTextNode(Math.round(m[1] * 100) + "%"));
        meter.sortValue = m[1];
        meter.title = "Share of this module's coupling that stays inside " + s.name;
        var name = add(el("div"), el("div", "", modules[m[0]][0]), el("div", "note", modules[m[0]][1]));
        name.sortValue = modules[m[0]][0];
        var row = [name, modules[m[0]][2], meter];
        return withEvidence ? row.concat([whyHere(m), whatElse(m)]) : row;
      }), "module-table");
    add(root, moduleTable);
    if (withEvidence) {
      openAll.addEventListener("change", function () {
        Array.prototype.forEach.call(moduleTable.querySelectorAll("details"), function (d) { d.open = openAll.checked; });
      });
    }

    var moves = data.moves.filter(function (m) { return m[2] === index || m[3] === index; });
    add(root, el("h4", "", "Split suggestions"));
    if (moves.length) {
      add(root, el("p", "note", "Classes and functions used far more by another service than by their own: move them where they are used."));
      add(root, table([["symbol", "text", "code wrap"], ["from module", "text", "code wrap"], ["move from", "text"], ["to", "text"],
        ["uses there", "num"], ["uses at home", "num"]],
        moves.map(function (m) { return [m[1], moduleName(m[0]), serviceTag(m[2]), serviceTag(m[3]), m[4], m[5]]; }), "moves-table"));
    } else {
      add(root, el("p", "note", "None: no symbol of " + s.name + " is used mostly elsewhere, and none elsewhere mostly here."));
    }

    add(root, el("h4", "", "Data it owns"));
    if (s.entities.length) {
      var list = el("ul", "entity-list");
      s.entities.forEach(function (e) { var li = el("li", "code", e); li.title = e; list.appendChild(li); });
      add(root, list);
    } else {
      add(root, el("p", "note", "No models or tables."));
    }
    return root;
  }

  var detail = document.getElementById("service-detail");
  var map = document.querySelector("svg.service-map");
  function selectService(index, scroll) {
    if (!(index >= 0 && index < editor.count())) return;
    Array.prototype.forEach.call(document.querySelectorAll("button.pick"), function (b) {
      b.setAttribute("aria-pressed", Number(b.getAttribute("data-service")) === index ? "true" : "false");
    });
    if (map) {
      Array.prototype.forEach.call(map.querySelectorAll(".node"), function (n) {
        n.classList.toggle("selected", Number(n.getAttribute("data-service")) === index);
      });
    }
    detail.replaceChildren(buildService(index));
    detail.setAttribute("data-shown", String(index));
    if (scroll) document.getElementById("services").scrollIntoView();
  }
  // One listener for every [data-service] (the map, the tables and the picker are redrawn
  // after each edit).
  function serviceTarget(event) {
    var node = event.target instanceof Element ? event.target.closest("[data-service]") : null;
    return node && !node.closest("#edit") ? node : null;
  }
  document.addEventListener("click", function (e) {
    var node = serviceTarget(e);
    if (node) selectService(Number(node.getAttribute("data-service")), !node.classList.contains("pick"));
  });
  document.addEventListener("keydown", function (e) {
    var node = serviceTarget(e);
    if (node && (e.key === "Enter" || e.key === " ") && node.tagName !== "BUTTON") {
      e.preventDefault();
      selectService(Number(node.getAttribute("data-service")), !node.classList.contains("pick"));
    }
  });

  // Hovering a service on the map brings its links forward, light ones included.
  var toggle = document.getElementById("show-light-links");
  if (map && toggle) {
    toggle.checked = false;
    toggle.addEventListener("change", function () { map.classList.toggle("all-links", toggle.checked); });
  }
  function hoverNode(node) {
    var index = node.getAttribute("data-service");
    function focus(on) {
      map.classList.toggle("focus", on);
      Array.prototype.forEach.call(map.querySelectorAll(".link"), function (link) {
        var near = link.getAttribute("data-from") === index || link.getAttribute("data-to") === index;
        link.classList.toggle("near", on && near);
        if (on && near) {
          map.querySelector(".node[data-service=\"" + link.getAttribute("data-from") + "\"]").classList.add("near");
          map.querySelector(".node[data-service=\"" + link.getAttribute("data-to") + "\"]").classList.add("near");
        }
      });
      if (!on) Array.prototype.forEach.call(map.querySelectorAll(".node.near"), function (n) { n.classList.remove("near"); });
      node.classList.toggle("near", on);
    }
    return focus;
  }
  if (map) {
    var hovered = null;
    map.addEventListener("mouseover", function (e) {
      var node = e.target instanceof Element ? e.target.closest(".node") : null;
      if (node === hovered) return;
      if (hovered) hoverNode(hovered)(false);
      hovered = node;
      if (node) hoverNode(node)(true);
    });
    map.addEventListener("mouseleave", function () { if (hovered) hoverNode(hovered)(false); hovered = null; });
  }

  // ---------------------------------------------------------------- matrix drill-down
  var matrixDetail = document.getElementById("matrix-detail");
  function drill(cell) {
    var row = Number(cell.getAttribute("data-row"));
    var column = Number(cell.getAttribute("data-col"));
    Array.prototype.forEach.call(document.querySelectorAll("#service-matrix td.selected"), function (c) { c.classList.remove("selected"); });
    cell.classList.add("selected");
    var pairs = data.pairs.filter(function (p) {
      return serviceOf(p[0]) === row && serviceOf(p[1]) === column;
    });
    pairs.sort(function (a, b) { return b[2] - a[2] || a[0] - b[0] || a[1] - b[1]; });
    var shown = pairs.slice(0, 500);
    var title = row === column
      ? "Inside " + nameOf(row) + ": " + plural(pairs.length, "module dependency").replace("dependencys", "dependencies")
      : nameOf(row) + " uses " + nameOf(column) + ": " + plural(pairs.length, "module dependency").replace("dependencys", "dependencies");
    var box = el("div");
    add(box, el("h4", "", title));
    if (shown.length < pairs.length) add(box, el("p", "note", "The heaviest " + shown.length + " are listed."));
    add(box, table([["module", "text", "code wrap"], ["uses module", "text", "code wrap"], ["uses", "num"]],
      shown.map(function (p) { return [moduleName(p[0]), moduleName(p[1]), p[2]]; }), "pair-table"));
    matrixDetail.replaceChildren(box);
  }
  function matrixCell(e) {  // one listener: the matrix is redrawn after each edit
    return e.target instanceof Element ? e.target.closest("#service-matrix td[data-row]") : null;
  }
  document.addEventListener("click", function (e) { var cell = matrixCell(e); if (cell) drill(cell); });
  document.addEventListener("keydown", function (e) {
    var cell = matrixCell(e);
    if (cell && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); drill(cell); }
  });

  // ---------------------------------------------------------------- module metrics
  // Built from the data when the table nears the screen: a large project has thousands.
  var moduleMetrics = document.getElementById("module-metrics");
  function ratio(n) { return n.toFixed(2); }
  function buildModuleMetrics() {
    if (moduleMetrics.getAttribute("data-built")) return;
    moduleMetrics.setAttribute("data-built", "1");
    var order = modules.map(function (m, i) { return i; });
    order.sort(function (a, b) {
      return data.metrics[b][1] - data.metrics[a][1] || (modules[a][0] < modules[b][0] ? -1 : 1);
    });
    var built = table([
      ["module", "text", "code"],
      ["service", "text"],
      ["package", "text", "code", null, "Its package today"],
      ["lines", "num"],
      ["afferent (Ca)", "num", null, null, "Modules that depend on it"],
      ["efferent (Ce)", "num", null, null, "Modules it depends on"],
      ["instability (I)", "num", null, ratio, "Ce / (Ca + Ce): 0, only depended on; 1, only depends on others"],
      ["abstractness (A)", "num", null, ratio, "Abstract classes / classes (0 without classes)"],
      ["distance (D)", "num", null, ratio, "|A + I - 1|, from the main sequence: 0 is best"],
      ["complexity", "num", null, null, "McCabe's cyclomatic complexity, summed over its functions and methods"],
      ["max complexity", "num", null, null, "Of its most complex function or method"]
    ], order.map(function (i) {
      var m = modules[i], x = data.metrics[i];
      return [m[0], serviceOf(i) >= 0 ? serviceTag(serviceOf(i)) : "", data.packages[x[0]], m[2], x[1], x[2], x[3], x[4], x[5], x[6], x[7]];
    }), "module-metrics-table", "metrics");
    var sorted = built.querySelector("th:nth-child(5)");
    sorted.setAttribute("aria-sort", "descending");
    moduleMetrics.replaceChildren(built.firstChild);
  }
  if (moduleMetrics) {
    if (window.IntersectionObserver) {
      var watcher = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          watcher.disconnect();
          buildModuleMetrics();
        }
      }, { rootMargin: "600px 0px" });
      watcher.observe(moduleMetrics);
    } else {
      buildModuleMetrics();
    }
  }

  editor.start();
  if (services.length) selectService(0, false);
  document.documentElement.setAttribute("data-ready", "1");
})();
