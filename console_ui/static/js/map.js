// The city map: kecamatan and kelurahan as SVG from the project's GeoJSON (map_layers.js), incident
// and unit markers (map_markers.js), zoom with the wheel, drag to pan, click to pick a location.
// A floor's map stays readable: only the selected incident (and the one under the pointer or
// focus) is labelled, close incidents merge into a counted cluster until zoomed in, units show
// their status as a glyph and in words, and markers are reachable with Tab (Enter opens,
// +/- zoom).
import { h } from "./dom.js";
import { AreaIndex, Projection } from "./geo.js";
import { drawAreas, drawLabels, stationMarkers } from "./map_layers.js";
import { AGENCY_SHAPES, clusterMarker, incidentMarker, unitMarker } from "./map_markers.js";

export { AGENCY_SHAPES };

// Samarinda's extent, used until (or if never) the boundary layers arrive.
const CITY = { south: -0.717, west: 117.054, north: -0.314, east: 117.298 };

const PAN_KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const CLUSTER_PX = 26; // incidents closer than this on screen merge into one cluster
const FOCUS_WIDTH = 2500; // svg units across the view when zoomed to one incident

export class CityMap {
  constructor(svg, { onPick, onSelectIncident } = {}) {
    this.svg = svg;
    this.onPick = onPick || (() => {});
    this.onSelectIncident = onSelectIncident || (() => {});
    this.projection = new Projection();
    this.kecamatan = new AreaIndex(null, this.projection);
    this.kelurahan = new AreaIndex(null, this.projection);
    this.layers = {};
    for (const name of [
      "kelurahan",
      "kecamatan",
      "labels",
      "stations",
      "units",
      "incidents",
      "pick",
    ]) {
      this.layers[name] = h("svg:g", { class: `layer-${name}` });
      svg.append(this.layers[name]);
    }
    const [x0, y0] = this.projection.xy(CITY.north, CITY.west);
    const [x1, y1] = this.projection.xy(CITY.south, CITY.east);
    this.home = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
    this.view = { ...this.home };
    this.incidents = [];
    this.selected = null;
    this.applyView();
    this.listen();
    new ResizeObserver(() => this.applyView()).observe(svg);
  }

  /** Fetch and draw the boundary and station layers; markers work without them. */
  async load(api) {
    const [kecamatan, kelurahan, stations] = await Promise.all(
      ["kecamatan", "kelurahan", "stations"].map((layer) =>
        api.get(`/api/geo/${layer}`).catch(() => null),
      ),
    );
    this.kecamatan = new AreaIndex(kecamatan, this.projection);
    this.kelurahan = new AreaIndex(kelurahan, this.projection);
    drawAreas(this.layers.kelurahan, this.kelurahan, "kelurahan", this.projection);
    drawAreas(this.layers.kecamatan, this.kecamatan, "kecamatan", this.projection);
    drawLabels(this.layers.labels, this.kecamatan, this.projection);
    this.layers.stations.replaceChildren(...stationMarkers(this, stations));
    this.rescale();
    this.attribution = [kecamatan?.attribution, stations?.attribution].filter(Boolean).join(" ");
    return !this.kecamatan.empty;
  }

  marker(lat, lon, className, children) {
    const [x, y] = this.projection.xy(lat, lon);
    return h("svg:g", { class: `marker scaled ${className}`, dataset: { x, y } }, children);
  }

  setIncidents(incidents) {
    this.incidents = incidents.filter((i) => i.location && i.status !== "closed");
    this.drawIncidents();
  }

  /** Mark (and label) one incident; null clears. */
  select(id) {
    if (this.selected === id) return;
    this.selected = id;
    this.drawIncidents();
  }

  /** Select an incident and bring it to the centre, zoomed in (the incident at hand). */
  focusIncident(incident) {
    this.selected = incident?.id ?? null;
    if (!incident?.location) {
      this.drawIncidents();
      return;
    }
    const [x, y] = this.projection.xy(incident.location.lat, incident.location.lon);
    const w = Math.min(this.view.w, FOCUS_WIDTH);
    const height = this.view.h * (w / this.view.w);
    this.view = { x: x - w / 2, y: y - height / 2, w, h: height };
    this.applyView();
  }

  /** Svg units per screen pixel at the current zoom. */
  scale() {
    const box = this.svg.getBoundingClientRect();
    if (!box.width || !box.height) return null;
    return Math.max(this.view.w / box.width, this.view.h / box.height);
  }

  drawIncidents() {
    const k = this.scale();
    const cell = (k || 1) * CLUSTER_PX;
    const groups = new Map();
    for (const i of this.incidents) {
      const [x, y] = this.projection.xy(i.location.lat, i.location.lon);
      const key =
        i.id === this.selected ? `sel:${i.id}` : `${Math.floor(x / cell)},${Math.floor(y / cell)}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push({ incident: i, x, y });
    }
    const markers = [...groups.values()].map((members) =>
      members.length === 1 || !k
        ? members.map((m) => incidentMarker(this, m.incident))
        : clusterMarker(this, members),
    );
    this.layers.incidents.replaceChildren(...markers.flat());
    this.rescale();
  }

  setUnits(units) {
    this.layers.units.replaceChildren(
      ...units.filter((u) => u.location).map((u) => unitMarker(this, u)),
    );
    this.rescale();
  }

  /** Show (or clear, with null) the location being entered. */
  setPick(point) {
    if (!point) {
      this.layers.pick.replaceChildren();
      return;
    }
    this.layers.pick.replaceChildren(
      this.marker(point.lat, point.lon, "pick", [
        h("svg:circle", { r: 10 }),
        h("svg:path", { d: "M-15,0H-5M5,0H15M0,-15V-5M0,5V15" }),
      ]),
    );
    this.rescale();
  }

  /** Where a point is: kelurahan and kecamatan, or how far outside the city. */
  locate(lat, lon) {
    const kelurahan = this.kelurahan.containing(lat, lon);
    if (kelurahan)
      return { inside: true, kelurahan: kelurahan.name, kecamatan: kelurahan.kecamatan };
    const kecamatan = this.kecamatan.containing(lat, lon);
    if (kecamatan) return { inside: true, kelurahan: null, kecamatan: kecamatan.name };
    const nearest = this.kecamatan.nearest(lat, lon);
    if (!nearest) return null;
    return { inside: false, kecamatan: nearest.area.name, distance_m: nearest.distance };
  }

  // ---- view: zoom and pan ----------------------------------------------------------------

  applyView() {
    const { x, y, w, h: height } = this.view;
    this.svg.setAttribute("viewBox", `${x} ${y} ${w} ${height}`);
    const k = this.scale();
    if (k !== this.drawnAt) {
      this.drawnAt = k;
      this.drawIncidents(); // clusters depend on the zoom
    } else {
      this.rescale();
    }
  }

  /** Markers keep their size on screen whatever the zoom. */
  rescale() {
    const box = this.svg.getBoundingClientRect();
    if (!box.width || !box.height) return;
    const k = Math.max(this.view.w / box.width, this.view.h / box.height);
    for (const el of this.svg.querySelectorAll(".scaled")) {
      el.setAttribute("transform", `translate(${el.dataset.x},${el.dataset.y}) scale(${k})`);
    }
  }

  zoom(factor, cx = this.view.x + this.view.w / 2, cy = this.view.y + this.view.h / 2) {
    const w = Math.min(Math.max(this.view.w * factor, 500), this.home.w * 2);
    const k = w / this.view.w;
    this.view = {
      x: cx - (cx - this.view.x) * k,
      y: cy - (cy - this.view.y) * k,
      w,
      h: this.view.h * k,
    };
    this.applyView();
  }

  /** Move the view by a tenth of its size (arrow keys on the focused map). */
  pan(dx, dy) {
    this.view = {
      ...this.view,
      x: this.view.x + dx * this.view.w * 0.1,
      y: this.view.y + dy * this.view.h * 0.1,
    };
    this.applyView();
  }

  reset() {
    this.view = { ...this.home };
    this.applyView();
  }

  toSvg(event) {
    const point = new DOMPoint(event.clientX, event.clientY);
    return point.matrixTransform(this.svg.getScreenCTM().inverse());
  }

  listen() {
    let drag = null;
    this.svg.addEventListener("keydown", (event) => {
      if (event.key === "+" || event.key === "=") this.zoom(0.66);
      else if (event.key === "-" || event.key === "_") this.zoom(1.5);
      else if (PAN_KEYS[event.key] && event.target === this.svg) this.pan(...PAN_KEYS[event.key]);
      else return;
      event.preventDefault();
    });
    this.svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      const p = this.toSvg(event);
      this.zoom(event.deltaY > 0 ? 1.25 : 0.8, p.x, p.y);
    });
    this.svg.addEventListener("pointerdown", (event) => {
      drag = { x: event.clientX, y: event.clientY, view: { ...this.view }, moved: false };
    });
    this.svg.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 5) return;
      if (!drag.moved) this.svg.setPointerCapture(event.pointerId);
      drag.moved = true;
      const k = this.view.w / this.svg.getBoundingClientRect().width;
      this.view = { ...drag.view, x: drag.view.x - dx * k, y: drag.view.y - dy * k };
      this.applyView();
    });
    this.svg.addEventListener("pointerup", (event) => {
      const wasDrag = drag?.moved;
      drag = null;
      if (wasDrag || event.target.closest(".incident, .cluster")) return;
      const p = this.toSvg(event);
      const [lat, lon] = this.projection.latlon(p.x, p.y);
      this.onPick(Number(lat.toFixed(6)), Number(lon.toFixed(6)));
    });
  }
}
