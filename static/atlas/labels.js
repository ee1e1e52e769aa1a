/* Article Atlas: every place of the article named on the map, and every marker clickable.

   atlasLabels(map, {numbers: false}) lays the map out after each move or zoom:
   1. Markers that would sit on top of each other (an airport beside its city, the Kremlin in
      Moscow) are pulled apart: cities stay where they are, an icon moves to the nearest free
      spot around its place and a thin leader line points back to it.
   2. Names are placed greedily, most important first (points, then borders, regions and
      countries): for a point, eight positions around it, then farther out with a leader; for a
      border, along the part of the line inside the view; for an area, inside its visible part.
      A position is taken only if the label stays in the view and overlaps no other label, no
      marker and no map control; a point outside the view gets no name.
   3. Basemap city names that a place's label or marker would cover are hidden.
   Labels never take a click (pointer-events: none); text goes in with textContent only.
   window.atlasLabelBoxes lists what was placed (read by the tests). */
(function () {
  'use strict';
  var MARKER_GAP = 3;          // px between two markers after spreading
  var SPREAD = [26, 40, 56];   // px from its place to a displaced icon
  var LABEL_GAP = 4;           // px between a point and its label
  var VIEW_MARGIN = 4;         // px a label keeps from the map's edge
  var LABEL_AIR = 3;           // px of air a label keeps from other labels and markers (never touching)
  var RINGS = [1, 2, 3.2];     // label distance multipliers (beyond 1: with a leader line)
  var LINE_STOPS = [0.5, 0.35, 0.65, 0.2, 0.8];  // where along a border its label may sit
  var DIRECTIONS = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];

  function box(x, y, w, h) { return {x: x, y: y, w: w, h: h}; }
  function overlap(a, b) {
    var dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
    var dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
    return dx > 0 && dy > 0 ? dx * dy : 0;
  }
  function inside(b, size) {
    return b.x >= VIEW_MARGIN && b.y >= VIEW_MARGIN && b.x + b.w <= size.x - VIEW_MARGIN &&
      b.y + b.h <= size.y - VIEW_MARGIN;
  }
  function cost(b, taken) {
    // air around the box (positions are also rounded to whole pixels when drawn)
    var padded = box(b.x - LABEL_AIR, b.y - LABEL_AIR, b.w + 2 * LABEL_AIR, b.h + 2 * LABEL_AIR), total = 0;
    for (var i = 0; i < taken.length; i++) { total += overlap(padded, taken[i]); }
    return total;
  }

  function pointInRing(x, y, ring) {
    var hit = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a.y > y) !== (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) { hit = !hit; }
    }
    return hit;
  }

  function controlBoxes(map) {
    var origin = map.getContainer().getBoundingClientRect(), out = [];
    map.getContainer().querySelectorAll('.leaflet-control').forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) { out.push(box(r.left - origin.left, r.top - origin.top, r.width, r.height)); }
    });
    return out;
  }

  function places(map) {
    var out = [];
    map.eachLayer(function (layer) {
      var p = layer.feature && layer.feature.properties;
      if (p && p.id && p.name && !layer.options.atlasHalo) { out.push(layer); }
    });
    return out;
  }

  // ------------------------------------------------------------------ markers

  function markerRadius(layer) {
    if (layer.getRadius) { return layer.getRadius() + (layer.options.weight || 0) / 2; }
    var size = layer.options.icon && layer.options.icon.options.iconSize;
    return size ? Math.max(size[0], size[1]) / 2 : 12;
  }

  function setDisplacement(layer, dx, dy) {
    var el = layer.getElement && layer.getElement();
    var icon = layer.options.icon && layer.options.icon.options;
    if (!el || !icon || !icon.iconAnchor) { return; }
    el.style.marginLeft = (dx - icon.iconAnchor[0]) + 'px';
    el.style.marginTop = (dy - icon.iconAnchor[1]) + 'px';
    var leader = el.querySelector('.atlas-leader');
    var length = Math.sqrt(dx * dx + dy * dy);
    if (length < 1) { if (leader) { leader.remove(); } return; }
    if (!leader) {
      leader = document.createElement('span');
      leader.className = 'atlas-leader';
      el.insertBefore(leader, el.firstChild);
    }
    // from the icon's centre back to the place itself
    var angle = Math.atan2(-dy, -dx) * 180 / Math.PI;
    leader.style.width = length + 'px';
    leader.style.left = icon.iconAnchor[0] + 'px';
    leader.style.top = icon.iconAnchor[1] + 'px';
    leader.style.transform = 'rotate(' + angle + 'deg)';
  }

  function spreadMarkers(map, layers) {
    var points = layers.filter(function (l) { return l.getLatLng; });
    points.sort(function (a, b) { return a.feature.properties.rank - b.feature.properties.rank; });
    var placed = [];
    points.forEach(function (layer) {
      var at = map.latLngToContainerPoint(layer.getLatLng());
      var r = markerRadius(layer), dx = 0, dy = 0;
      var movable = !!(layer.options.icon && layer.setIcon);
      function free(x, y) {
        return placed.every(function (q) {
          var ddx = q.x - x, ddy = q.y - y;
          return Math.sqrt(ddx * ddx + ddy * ddy) >= q.r + r + MARKER_GAP;
        });
      }
      if (movable && !free(at.x, at.y)) {
        search:
        for (var s = 0; s < SPREAD.length; s++) {
          for (var d = 0; d < DIRECTIONS.length; d++) {
            var k = Math.sqrt(DIRECTIONS[d][0] * DIRECTIONS[d][0] + DIRECTIONS[d][1] * DIRECTIONS[d][1]);
            var x = DIRECTIONS[d][0] / k * SPREAD[s], y = DIRECTIONS[d][1] / k * SPREAD[s];
            if (free(at.x + x, at.y + y)) { dx = x; dy = y; break search; }
          }
        }
      }
      if (movable) { setDisplacement(layer, dx, dy); }
      layer._atlasShown = {x: at.x + dx, y: at.y + dy, r: r};
      placed.push(layer._atlasShown);
    });
    return placed;
  }

  // ------------------------------------------------------------------ anchors

  function visibleParts(map, layer) {
    // Leaflet's clipped, projected parts (layer points) → container points
    var parts = layer._parts || [];
    return parts.map(function (part) {
      return part.map(function (p) { return map.layerPointToContainerPoint(p); });
    }).filter(function (part) { return part.length > 1; });
  }

  function lineAnchors(map, layer, size) {
    // points along the longest run of the line that lies inside the view: its middle first
    var best = null, bestLength = 0;
    visibleParts(map, layer).forEach(function (part) {
      var run = [];
      function close() {
        var length = 0;
        for (var i = 1; i < run.length; i++) { length += run[i].distanceTo(run[i - 1]); }
        if (length > bestLength) { bestLength = length; best = run.slice(); }
        run = [];
      }
      part.forEach(function (p) {
        if (p.x > 30 && p.y > 20 && p.x < size.x - 30 && p.y < size.y - 20) { run.push(p); } else { close(); }
      });
      close();
    });
    if (!best) { return []; }
    return LINE_STOPS.map(function (share) {
      var target = bestLength * share, walked = 0;
      for (var i = 1; i < best.length; i++) {
        var step = best[i].distanceTo(best[i - 1]);
        if (walked + step >= target) {
          var t = step ? (target - walked) / step : 0;
          return {x: best[i - 1].x + (best[i].x - best[i - 1].x) * t, y: best[i - 1].y + (best[i].y - best[i - 1].y) * t};
        }
        walked += step;
      }
      return best[best.length - 1];
    });
  }

  function areaAnchors(map, layer, size) {
    // candidate points inside the area's visible part, best first
    var parts = visibleParts(map, layer), out = [];
    var view = {x0: 0, y0: 0, x1: size.x, y1: size.y};
    var hint = layer.feature.properties.labelAt;
    if (hint) {
      var h = map.latLngToContainerPoint(L.latLng(hint[0], hint[1]));
      if (h.x > 0 && h.y > 0 && h.x < size.x && h.y < size.y) { out.push({x: h.x, y: h.y}); }
    }
    if (!parts.length && layer.getLatLng) {
      var c = map.latLngToContainerPoint(layer.getLatLng());
      out.push({x: c.x, y: c.y});
      return out;
    }
    // the largest visible part: its bounding box clipped to the view, sampled on a grid
    var best = null, bestArea = 0;
    parts.forEach(function (ring) {
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      ring.forEach(function (p) { x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y); });
      x0 = Math.max(x0, view.x0); y0 = Math.max(y0, view.y0); x1 = Math.min(x1, view.x1); y1 = Math.min(y1, view.y1);
      var area = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
      if (area > bestArea) { bestArea = area; best = {ring: ring, x0: x0, y0: y0, x1: x1, y1: y1}; }
    });
    if (!best) { return out; }
    var cx = (best.x0 + best.x1) / 2, cy = (best.y0 + best.y1) / 2, grid = [];
    var N = 9;
    for (var i = 1; i < N; i++) {
      for (var j = 1; j < N; j++) {
        var x = best.x0 + (best.x1 - best.x0) * i / N, y = best.y0 + (best.y1 - best.y0) * j / N;
        if (pointInRing(x, y, best.ring)) { grid.push({x: x, y: y, d: Math.abs(x - cx) + Math.abs(y - cy)}); }
      }
    }
    grid.sort(function (a, b) { return a.d - b.d; });
    return out.concat(grid.slice(0, 12));
  }

  // ------------------------------------------------------------------ labels

  function labelElement(state, layer) {
    var p = layer.feature.properties;
    var el = state.elements[p.id];
    if (!el) {
      el = document.createElement('div');
      el.className = 'atlas-label k-' + p.kind;
      el.setAttribute('data-label-for', p.id);
      if (state.numbers && p.n) {
        var n = document.createElement('span');
        n.className = 'atlas-n';
        n.textContent = String(p.n);
        el.appendChild(n);
      }
      var text = document.createElement('span');
      text.className = 'atlas-label-text';
      text.textContent = p.name;
      el.appendChild(text);
      state.pane.appendChild(el);
      state.elements[p.id] = el;
    }
    return el;
  }

  function candidatesForPoint(at, r, w, h) {
    var out = [];
    RINGS.forEach(function (ring) {
      DIRECTIONS.forEach(function (d) {
        var gap = (r + LABEL_GAP) * ring + (ring > 1 ? 6 : 0);
        var cx = at.x + d[0] * (gap + w / 2), cy = at.y + d[1] * (gap + h / 2);
        if (d[0] !== 0 && d[1] !== 0) { cx = at.x + d[0] * (gap * 0.7 + w / 2); cy = at.y + d[1] * (gap * 0.7 + h / 2); }
        out.push({b: box(cx - w / 2, cy - h / 2, w, h), leader: ring > 1});
      });
    });
    return out;
  }

  function candidatesAround(anchors, w, h, alongLine) {
    var out = [];
    var shifts = alongLine ? [[0, 0], [0, -1], [0, 1], [-1, 0], [1, 0], [0, -2], [0, 2]]
                           : [[0, 0], [0, -1], [0, 1], [-0.6, 0], [0.6, 0]];
    anchors.forEach(function (a) {
      shifts.forEach(function (s) {
        out.push({b: box(a.x - w / 2 + s[0] * w * 0.6, a.y - h / 2 + s[1] * (h + 2), w, h), leader: false});
      });
    });
    return out;
  }

  function drawLeader(state, from, b) {
    var to = {x: Math.max(b.x, Math.min(from.x, b.x + b.w)), y: Math.max(b.y, Math.min(from.y, b.y + b.h))};
    var dx = to.x - from.x, dy = to.y - from.y, length = Math.sqrt(dx * dx + dy * dy);
    if (length < 2) { return; }
    var line = document.createElement('div');
    line.className = 'atlas-label-leader';
    var start = state.map.containerPointToLayerPoint(L.point(from.x, from.y));
    line.style.left = start.x + 'px';
    line.style.top = start.y + 'px';
    line.style.width = length + 'px';
    line.style.transform = 'rotate(' + (Math.atan2(dy, dx) * 180 / Math.PI) + 'deg)';
    state.pane.appendChild(line);
    state.leaders.push(line);
  }

  function layout(state) {
    var map = state.map, size = map.getSize();
    state.leaders.forEach(function (el) { el.remove(); });
    state.leaders = [];
    var layers = places(map);
    var markers = spreadMarkers(map, layers);
    var taken = controlBoxes(map);
    markers.forEach(function (m) { taken.push(box(m.x - m.r, m.y - m.r, 2 * m.r, 2 * m.r)); });
    var wanted = {};
    layers.forEach(function (l) { wanted[l.feature.properties.id] = true; });
    Object.keys(state.elements).forEach(function (id) {
      if (!wanted[id]) { state.elements[id].style.display = 'none'; }
    });
    layers.sort(function (a, b) {
      var p = a.feature.properties, q = b.feature.properties;
      return p.rank - q.rank || (q.mentions || 0) - (p.mentions || 0) || (p.name < q.name ? -1 : 1);
    });
    // create and show every label first, then read all sizes in one pass (one reflow, not one each)
    var items = layers.map(function (layer) {
      var el = labelElement(state, layer);
      el.style.display = '';
      el.style.visibility = 'hidden';
      return {layer: layer, el: el};
    });
    items.forEach(function (item) { item.w = item.el.offsetWidth; item.h = item.el.offsetHeight; });
    var boxes = [];
    items.forEach(function (item) {
      var layer = item.layer, p = layer.feature.properties, el = item.el, w = item.w, h = item.h;
      var options, anchor = null;
      if (layer._atlasShown && layer.getLatLng) {
        anchor = layer._atlasShown;
        if (anchor.x < 0 || anchor.y < 0 || anchor.x > size.x || anchor.y > size.y) {
          // a marker outside the view (a panned map, a briefing of it): no name pointing off the map
          boxes.push({id: p.id, kind: p.kind, shown: false, outside: true});
          el.style.display = 'none';
          return;
        }
        options = candidatesForPoint(anchor, anchor.r, w, h);
      } else if (p.kind === 'border' || (layer.getLatLngs && !layer.getLatLng && layer instanceof L.Polyline && !(layer instanceof L.Polygon))) {
        options = candidatesAround(lineAnchors(map, layer, size), w, h, true);
      } else {
        options = candidatesAround(areaAnchors(map, layer, size), w, h, false);
      }
      var chosen = null, fallback = null, fallbackCost = Infinity;
      for (var i = 0; i < options.length; i++) {
        var o = options[i];
        if (!inside(o.b, size)) { continue; }
        var c = cost(o.b, taken);
        if (c === 0) { chosen = o; break; }
        if (c < fallbackCost) { fallbackCost = c; fallback = o; }
      }
      var placed = chosen || fallback;
      if (!placed) {
        boxes.push({id: p.id, kind: p.kind, shown: false});
        el.style.display = 'none';
        return;
      }
      var at = map.containerPointToLayerPoint(L.point(placed.b.x, placed.b.y));
      el.style.left = Math.round(at.x) + 'px';
      el.style.top = Math.round(at.y) + 'px';
      el.style.visibility = '';
      if (placed.leader && anchor) { drawLeader(state, anchor, placed.b); }
      taken.push(placed.b);
      boxes.push({id: p.id, kind: p.kind, shown: true, x: placed.b.x, y: placed.b.y, w: w, h: h,
                  clear: !!chosen});
    });
    hideCoveredBasemapNames(map, taken);
    window.atlasLabelBoxes = boxes;
    window.atlasLabelsReady = (window.atlasLabelsReady || 0) + 1;
  }

  // A basemap name gives way to the article's labels, to a basemap name drawn before it (the
  // bigger city: «Jerusalem» over «East Jerusalem») and to the map's edge (no cut-off names).
  function hideCoveredBasemapNames(map, taken) {
    var origin = map.getContainer().getBoundingClientRect();
    var shown = [];
    map.getContainer().querySelectorAll('.atlas-basemap-label').forEach(function (el) {
      el.style.visibility = '';
      var r = el.getBoundingClientRect();
      if (!r.width) { return; }
      var b = box(r.left - origin.left, r.top - origin.top, r.width, r.height);
      if (!inside(b, map.getSize()) || cost(b, taken) > 0 || cost(b, shown) > 0) {
        el.style.visibility = 'hidden';
      } else {
        shown.push(b);
      }
    });
  }

  window.atlasLabels = function (map, options) {
    options = options || {};
    var pane = map.createPane('atlasLabels');
    pane.style.zIndex = 640;
    pane.style.pointerEvents = 'none';
    var state = {map: map, pane: pane, elements: {}, leaders: [], numbers: !!options.numbers};
    var pending = null;
    function schedule() {
      if (pending) { cancelAnimationFrame(pending); }
      pending = requestAnimationFrame(function () { pending = null; layout(state); });
    }
    map.on('zoomstart', function () { pane.style.visibility = 'hidden'; });
    map.on('zoomend moveend resize overlayadd overlayremove atlas:basemap', function () {
      pane.style.visibility = '';
      schedule();
    });
    layout(state);
    return {layout: function () { layout(state); }};
  };
})();
