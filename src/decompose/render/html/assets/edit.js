// The editor's model: a proposal as an assignment of modules to services, the edits that
// change it, its figures (the metrics stage's definitions, ported one by one from
// decompose.metrics), its URL fragment and its [tool.decompose.pin] table. No DOM here.
var decomposeEdit = (function () {
  "use strict";
  var UNASSIGNED = "(unassigned)";

  // ---------------------------------------------------------------- the base
  // What the page carries: modules (name, lines, service), services, and the editor's data.
  function base(data) {
    var edit = data.edit;
    var names = data.modules.map(function (m) { return m[0]; });
    var index = Object.create(null);
    names.forEach(function (name, i) { index[name] = i; });
    var home = new Int32Array(names.length);
    data.modules.forEach(function (m, i) { home[i] = m[3]; });
    return {
      names: names,
      index: index,
      lines: data.modules.map(function (m) { return m[2]; }),
      home: home,
      services: data.services.map(function (s) { return { name: s.name, kind: s.kind, color: s.color }; }),
      edges: edit.edges,
      symbols: edit.symbols,
      entities: edit.entities,
      ned: edit.ned
    };
  }

  function initial(b) {
    return {
      names: b.services.map(function (s) { return s.name; }),
      kinds: b.services.map(function (s) { return s.kind; }),
      assign: Int32Array.from(b.home)
    };
  }

  function copy(state) {
    return { names: state.names.slice(), kinds: state.kinds.slice(), assign: Int32Array.from(state.assign) };
  }

  function sizes(state) {
    var n = new Int32Array(state.names.length);
    state.assign.forEach(function (s) { if (s >= 0) n[s] += 1; });
    return n;
  }

  // ---------------------------------------------------------------- rounding
  // Python's round(x, 4): the nearest 4-decimal number to x's exact value, ties to even.
  // A double is exactly halfway between two 4-decimal numbers only when 32x is odd.
  function round4(x) {
    var r;
    var t = x * 32;
    if (Number.isInteger(t) && t % 2 !== 0) {
      var low = Math.floor(x * 10000);
      r = (low % 2 === 0 ? low : low + 1) / 10000;
    } else {
      r = Number(x.toFixed(4));
    }
    return r === 0 ? 0 : r;
  }

  // ---------------------------------------------------------------- the figures
  // decompose.metrics.measure's overall figures and the per-service counts the page shows.
  // Labels are service indexes; a module the proposal does not place (-1) is measured in a
  // service "(unassigned)" of its own, last, as the metrics stage does.
  function measure(b, state) {
    var count = state.names.length;
    var K = count + 1;  // the last label: unassigned
    var label = new Int32Array(state.assign.length);
    var size = new Int32Array(K);
    state.assign.forEach(function (s, m) { var l = s >= 0 ? s : count; label[m] = l; size[l] += 1; });
    var order = [];
    for (var s = 0; s < K; s++) if (size[s]) order.push(s);

    var edges = b.edges;
    var total = 0, crossEdges = 0, crossWeight = 0, callTotal = 0, callCross = 0, icpTotal = 0, icpCross = 0;
    var inside = new Float64Array(K), degree = new Float64Array(K), crossing = new Float64Array(K);
    var insideEdges = new Float64Array(K);
    var degreeOrder = [], seenDegree = new Uint8Array(K), insideOrder = [], seenInside = new Uint8Array(K);
    var between = new Map();  // la * K + lb -> distinct module pairs, in the order first met
    var links = new Map();  // la * K + lb -> weight
    for (var e = 0; e < edges.length; e += 4) {
      var w = edges[e + 2], c = edges[e + 3];
      var la = label[edges[e]], lb = label[edges[e + 1]];
      total += w;
      degree[la] += w; degree[lb] += w;
      if (!seenDegree[la]) { seenDegree[la] = 1; degreeOrder.push(la); }
      if (!seenDegree[lb]) { seenDegree[lb] = 1; degreeOrder.push(lb); }
      if (la === lb) {
        inside[la] += w;
        insideEdges[la] += 1;
        if (!seenInside[la]) { seenInside[la] = 1; insideOrder.push(la); }
      } else {
        crossing[la] += w; crossing[lb] += w;
        crossEdges += 1; crossWeight += w;
        var key = la * K + lb;
        between.set(key, (between.get(key) || 0) + 1);
        links.set(key, (links.get(key) || 0) + w);
      }
      if (c > 0) {
        callTotal += c;
        var damped = Math.log1p(c);
        icpTotal += damped;
        if (la !== lb) { callCross += c; icpCross += damped; }
      }
    }
    // Newman's modularity Q.
    var q = 0;
    if (total !== 0) {
      degreeOrder.forEach(function (l) { q += inside[l] / total - Math.pow(degree[l] / (2 * total), 2); });
    }
    // TurboMQ.
    var mq = 0;
    insideOrder.forEach(function (l) { var mu = inside[l]; if (mu) mq += 2 * mu / (2 * mu + crossing[l]); });
    // Structural modularity SM: edges counted, not weighted.
    var k = order.length, sm = 0;
    if (k > 0) {
      var cohesion = 0;
      order.forEach(function (l) { cohesion += insideEdges[l] / Math.pow(size[l], 2); });
      cohesion /= k;
      if (k === 1) {
        sm = cohesion;
      } else {
        var coupling = 0;
        between.forEach(function (n, key) {
          coupling += n / (2 * size[Math.floor(key / K)] * size[key % K]);
        });
        sm = cohesion - coupling / (k * (k - 1) / 2);
      }
    }
    // API surfaces: a module's top-level symbol that a module of another service uses.
    var api = new Int32Array(K);
    b.symbols.forEach(function (sym) {
      var at = label[sym[0]];
      for (var i = 2; i < sym.length; i++) {
        if (label[sym[i]] !== at) { api[at] += 1; return; }
      }
    });
    var apiTotal = 0;
    api.forEach(function (n) { apiTotal += n; });
    // NED: the share of modules in services of low to high modules.
    var low = b.ned[0], high = b.ned[1], modules = state.assign.length, fitting = 0;
    order.forEach(function (l) { if (size[l] >= low && size[l] <= high) fitting += size[l]; });
    var cyc = cycles(links, K);
    return {
      overall: {
        services: k,
        modules: modules,
        modularity: round4(q),
        mq: round4(mq),
        sm: round4(sm),
        icp: round4(icpTotal ? icpCross / icpTotal : 0),
        ifn: k ? round4(apiTotal / k) : 0,
        ned: round4(modules ? fitting / modules : 0),
        cross_call_share: callTotal ? round4(callCross / callTotal) : 0,
        cross_edges: crossEdges,
        cross_weight: crossWeight,
        cycles: cyc.count,
        cyclic_services: cyc.cyclic
      },
      K: K,
      label: label,
      size: size,
      inside: inside,
      links: links,
      api: api,
      apiTotal: apiTotal,
      short: cyc.list,
      lines: serviceLines(b, label, K),
      entities: owners(b, label, K, state)
    };
  }

  function serviceLines(b, label, K) {
    var lines = new Float64Array(K);
    label.forEach(function (l, m) { lines[l] += b.lines[m]; });
    return lines;
  }

  // Per service, the entities it owns: the service of the module defining it, else (a bare
  // table) its heaviest user.
  function owners(b, label, K, state) {
    var owned = new Int32Array(K);
    b.entities.forEach(function (entity) {
      var owner = -1;
      if (entity[0] >= 0) {
        owner = label[entity[0]];
      } else if (entity[1].length) {
        var uses = new Map();
        entity[1].forEach(function (u) { var l = label[u[0]]; uses.set(l, (uses.get(l) || 0) + u[1]); });
        var best = -1, most = -1;
        uses.forEach(function (n, l) {
          var name = l < state.names.length ? state.names[l] : UNASSIGNED;
          if (n > most || (n === most && name < (best < state.names.length ? state.names[best] : UNASSIGNED))) {
            best = l; most = n;
          }
        });
        owner = best;
      }
      if (owner >= 0) owned[owner] += 1;
    });
    return owned;
  }

  // services.short_cycles' count (every pair of services using each other, every cycle of
  // three none of whose links is such a pair) and the services on a cycle (in a strongly
  // connected component of more than one service).
  function cycles(links, K) {
    var successors = new Map();
    links.forEach(function (w, key) {
      var a = Math.floor(key / K), b = key % K;
      if (!successors.has(a)) successors.set(a, new Set());
      successors.get(a).add(b);
    });
    function has(a, b) { var s = successors.get(a); return s !== undefined && s.has(b); }
    function oneWay(a, b) { return !(has(a, b) && has(b, a)); }
    var list = [];
    successors.forEach(function (targets, a) {
      targets.forEach(function (b) {
        if (a < b && has(b, a)) list.push([a, b]);
      });
    });
    successors.forEach(function (targets, a) {
      targets.forEach(function (b) {
        if (!(b > a) || !oneWay(a, b)) return;
        var next = successors.get(b);
        if (!next) return;
        next.forEach(function (c) {
          if (c > a && c !== b && has(c, a) && oneWay(b, c) && oneWay(c, a)) list.push([a, b, c]);
        });
      });
    });
    return { count: list.length, cyclic: cyclicServices(successors), list: list };
  }

  // Tarjan's strongly connected components, iteratively: the services in one of two or more.
  function cyclicServices(successors) {
    var indexOf = new Map(), low = new Map(), onStack = new Set(), stack = [], counter = 0, cyclic = 0;
    successors.forEach(function (_, root) {
      if (indexOf.has(root)) return;
      var work = [[root, Array.from(successors.get(root) || []), 0]];
      indexOf.set(root, counter); low.set(root, counter); counter++;
      stack.push(root); onStack.add(root);
      while (work.length) {
        var frame = work[work.length - 1];
        var node = frame[0];
        if (frame[2] < frame[1].length) {
          var next = frame[1][frame[2]++];
          if (!indexOf.has(next)) {
            indexOf.set(next, counter); low.set(next, counter); counter++;
            stack.push(next); onStack.add(next);
            work.push([next, Array.from(successors.get(next) || []), 0]);
          } else if (onStack.has(next)) {
            low.set(node, Math.min(low.get(node), indexOf.get(next)));
          }
          continue;
        }
        work.pop();
        if (work.length) {
          var parent = work[work.length - 1][0];
          low.set(parent, Math.min(low.get(parent), low.get(node)));
        }
        if (low.get(node) === indexOf.get(node)) {
          var members = 0, member;
          do { member = stack.pop(); onStack.delete(member); members++; } while (member !== node);
          if (members > 1) cyclic += members;
        }
      }
    });
    return cyclic;
  }

  // ---------------------------------------------------------------- edits
  // Each returns the new state, or a string saying why the edit cannot be made.
  function modulesOf(b, key) {
    if (key.length > 2 && key.slice(-2) === ".*") {
      var prefix = key.slice(0, -2);
      var found = [];
      b.names.forEach(function (name, i) {
        if (name === prefix || name.lastIndexOf(prefix + ".", 0) === 0) found.push(i);
      });
      return found;
    }
    return key in b.index ? [b.index[key]] : [];
  }
  function serviceNamed(state, name) { return state.names.indexOf(name); }
  function checkName(state, name) {
    if (!name || !name.trim()) return "A service needs a name.";
    if (name !== name.trim()) return "A service name cannot start or end with a space.";
    if (serviceNamed(state, name) >= 0) return "There is already a service named " + name + ".";
    return null;
  }
  function create(state, name) {
    var problem = checkName(state, name);
    if (problem) return problem;
    var next = copy(state);
    next.names.push(name);
    next.kinds.push("domain");
    return next;
  }
  function move(b, state, key, target) {
    var found = modulesOf(b, key);
    if (!found.length) return "No module or package " + key + ".";
    if (!(target >= 0 && target < state.names.length)) return "No such service.";
    if (found.every(function (m) { return state.assign[m] === target; })) return key + " is in " + state.names[target] + " already.";
    var next = copy(state);
    found.forEach(function (m) { next.assign[m] = target; });
    return next;
  }
  function merge(state, from, into) {
    if (from === into) return "Pick two different services.";
    var next = copy(state);
    var moved = 0;
    next.assign.forEach(function (s, m) { if (s === from) { next.assign[m] = into; moved++; } });
    return moved ? next : state.names[from] + " has no modules.";
  }
  function rename(state, service, name) {
    if (name === state.names[service]) return "That is its name already.";
    var problem = checkName(state, name);
    if (problem) return problem;
    var next = copy(state);
    next.names[service] = name;
    return next;
  }
  // The package a module is in: its own name for a package (its __init__ is in it), else the
  // package above it (a top-level module: its own name).
  function packageOf(b, m) {
    if (!b.isPackage) {
      b.isPackage = new Uint8Array(b.names.length);
      b.names.forEach(function (name) {
        var d = name.lastIndexOf(".");
        if (d > 0 && name.slice(0, d) in b.index) b.isPackage[b.index[name.slice(0, d)]] = 1;
      });
    }
    var name = b.names[m], dot = name.lastIndexOf(".");
    return b.isPackage[m] || dot < 0 ? name : name.slice(0, dot);
  }
  // One service per package of the service's modules (packageOf). The part whose package
  // has the service's name, else the one highest in the package tree (the largest of those),
  // keeps the name; the others take their package's name.
  function split(b, state, service) {
    var members = [];
    state.assign.forEach(function (s, m) { if (s === service) members.push(m); });
    function parts(keyOf) {
      var groups = new Map();
      members.forEach(function (m) {
        var key = keyOf(m);
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(m);
      });
      return groups;
    }
    var groups = parts(function (m) { return packageOf(b, m); });
    if (groups.size < 2) return state.names[service] + " sits in one package: nothing to split.";
    var own = state.names[service];
    function depth(name) { return name.split(".").length; }
    var ordered = Array.from(groups.entries()).sort(function (x, y) {  // the part that keeps the name first
      return (y[0] === own) - (x[0] === own) || depth(x[0]) - depth(y[0]) || y[1].length - x[1].length ||
        (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0);
    });
    var next = copy(state);
    ordered.slice(1).forEach(function (group) {
      var name = group[0], n = 2;
      while (serviceNamed(next, name) >= 0) name = group[0] + "-" + n++;
      next.names.push(name);
      next.kinds.push("domain");
      var at = next.names.length - 1;
      group[1].forEach(function (m) { next.assign[m] = at; });
    });
    return next;
  }

  // ---------------------------------------------------------------- describing an assignment
  // Entries [key, value] covering every module for which needed(m) holds: "p.*" for a package p
  // whose modules (p itself and everything under it, two or more, one needed at least) all
  // have one value, the module's own name otherwise. Entries never overlap, so their order
  // does not matter.
  function describe(b, value, needed) {
    var root = { children: new Map(), module: -1 };
    b.names.forEach(function (name, m) {
      var node = root;
      name.split(".").forEach(function (part) {
        if (!node.children.has(part)) node.children.set(part, { children: new Map(), module: -1 });
        node = node.children.get(part);
      });
      node.module = m;
    });
    var MIXED = {};
    function summarise(node) {  // [the value all its modules share, or MIXED; modules; needed ones]
      var shared = null, count = 0, wanted = 0;
      function meet(v) { shared = shared === null ? v : shared === v ? shared : MIXED; }
      if (node.module >= 0) { meet(value(node.module)); count++; if (needed(node.module)) wanted++; }
      node.children.forEach(function (child) { var s = summarise(child); meet(s[0]); count += s[1]; wanted += s[2]; });
      node.summary = [shared, count, wanted];
      return node.summary;
    }
    summarise(root);
    var out = [];
    function walk(node, path) {
      var summary = node.summary;
      if (!summary[2]) return;
      if (path && node.children.size && summary[1] >= 2 && summary[0] !== MIXED && summary[0] !== null) {
        out.push([path + ".*", summary[0]]);
        return;
      }
      if (node.module >= 0 && needed(node.module)) out.push([path, value(node.module)]);
      Array.from(node.children.keys()).sort().forEach(function (part) {
        walk(node.children.get(part), path ? path + "." + part : part);
      });
    }
    walk(root, "");
    return out;
  }

  // ---------------------------------------------------------------- the URL fragment
  // #moves=<module>=<service>,<package>.*=<service>: each part URL-encoded, the moves that
  // take the report's proposal to this one.
  function fragment(b, state) {
    var moves = describe(b, function (m) {
      return state.assign[m] >= 0 ? state.names[state.assign[m]] : null;
    }, function (m) {
      var now = state.assign[m], was = b.home[m];
      if (now < 0) return false;
      return now !== was || state.names[now] !== b.services[now].name;
    });
    if (!moves.length) return "";
    return "moves=" + moves.map(function (e) {
      return encodeURIComponent(e[0]) + "=" + encodeURIComponent(e[1]);
    }).join(",");
  }
  // The state a fragment describes, applied to the report's proposal, and the parts it could
  // not apply.
  function parse(b, hash) {
    var state = initial(b);
    var problems = [];
    var text = hash.charAt(0) === "#" ? hash.slice(1) : hash;
    if (text.lastIndexOf("moves=", 0) !== 0) return { state: state, problems: text ? ["not a list of moves"] : [] };
    text.slice(6).split(",").forEach(function (part) {
      if (!part) return;
      var at = part.indexOf("=");
      var key, name;
      try {
        key = decodeURIComponent(part.slice(0, at));
        name = decodeURIComponent(part.slice(at + 1));
      } catch (error) {
        problems.push(part);
        return;
      }
      if (at < 0 || !name) { problems.push(part); return; }
      var found = modulesOf(b, key);
      if (!found.length) { problems.push(key); return; }
      var target = serviceNamed(state, name);
      if (target < 0) {
        state.names.push(name);
        state.kinds.push("domain");
        target = state.names.length - 1;
      }
      found.forEach(function (m) { state.assign[m] = target; });
    });
    return { state: state, problems: problems };
  }

  // ---------------------------------------------------------------- the pins table
  function glob(name) { return name.replace(/[[*?]/g, function (c) { return "[" + c + "]"; }); }
  function tomlString(text) {
    return "\"" + text.replace(/[\\"\u0000-\u001f\u007f]/g, function (c) {
      if (c === "\\") return "\\\\";
      if (c === "\"") return "\\\"";
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    }) + "\"";
  }
  function tomlKey(text) { return /^[A-Za-z0-9_-]+$/.test(text) ? text : tomlString(text); }
  // [tool.decompose.pin] assigning every module: package globs where a whole package stays
  // together (the package's own module named beside its glob, which does not match it).
  function pins(b, state) {
    var entries = describe(b, function (m) { return state.assign[m]; }, function (m) { return state.assign[m] >= 0; });
    var globs = new Map();
    entries.forEach(function (e) {
      var list = globs.get(e[1]) || [];
      if (e[0].slice(-2) === ".*") {
        var prefix = e[0].slice(0, -2);
        if (prefix in b.index) list.push(glob(prefix));
        list.push(glob(prefix) + ".*");
      } else {
        list.push(glob(e[0]));
      }
      globs.set(e[1], list);
    });
    var lines = ["[tool.decompose.pin]"];
    var order = state.names.map(function (_, s) { return s; });
    var first = b.services.length;
    order.sort(function (x, y) {  // the report's services in its order, then the new ones by name
      if (x < first || y < first) return x < first && y < first ? x - y : x < first ? -1 : 1;
      return state.names[x] < state.names[y] ? -1 : state.names[x] > state.names[y] ? 1 : 0;
    });
    order.forEach(function (s) {
      var name = state.names[s];
      if (!globs.has(s)) return;
      lines.push(tomlKey(name) + " = [");
      globs.get(s).forEach(function (g) { lines.push("  " + tomlString(g) + ","); });
      lines.push("]");
    });
    return lines.join("\n") + "\n";
  }

  return {
    UNASSIGNED: UNASSIGNED,
    base: base,
    initial: initial,
    sizes: sizes,
    measure: measure,
    round4: round4,
    modulesOf: modulesOf,
    create: create,
    move: move,
    merge: merge,
    rename: rename,
    split: split,
    fragment: fragment,
    parse: parse,
    pins: pins,
    describe: describe
  };
})();
