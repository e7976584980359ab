// The city map: kecamatan and kelurahan as SVG from the project's GeoJSON, incident and unit
// markers (shape + colour + label), zoom with the wheel, drag to pan, click to pick a location.
import { h } from "./dom.js";
import { AreaIndex, Projection, polygons } from "./geo.js";
import { t } from "./i18n.js";

// Samarinda's extent, used until (or if never) the boundary layers arrive.
const CITY = { south: -0.717, west: 117.054, north: -0.314, east: 117.298 };
export const AGENCY_SHAPES = {
  police: { glyph: "■", path: "M-6,-6H6V6H-6Z" },
  fire: { glyph: "▲", path: "M0,-8L7,6H-7Z" },
  medical: { glyph: "✚", path: "M-2.5,-7H2.5V-2.5H7V2.5H2.5V7H-2.5V2.5H-7V-2.5H-2.5Z" },
  bpbd: { glyph: "◆", path: "M0,-8L8,0L0,8L-8,0Z" },
  sar: { glyph: "⬢", path: "M-7,0L-3.5,-6H3.5L7,0L3.5,6H-3.5Z" },
};

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
    this.drawAreas(this.layers.kelurahan, this.kelurahan, "kelurahan");
    this.drawAreas(this.layers.kecamatan, this.kecamatan, "kecamatan");
    this.drawLabels();
    this.drawStations(stations);
    this.attribution = [kecamatan?.attribution, stations?.attribution].filter(Boolean).join(" ");
    return !this.kecamatan.empty;
  }

  path(geometry) {
    return polygons(geometry)
      .flatMap((rings) =>
        rings.map(
          (ring) =>
            "M" +
            ring
              .map(([lon, lat]) =>
                this.projection
                  .xy(lat, lon)
                  .map((v) => v.toFixed(0))
                  .join(","),
              )
              .join("L") +
            "Z",
        ),
      )
      .join("");
  }

  drawAreas(layer, index, kind) {
    layer.replaceChildren(
      ...index.areas.map((area) =>
        h(
          "svg:path",
          { d: this.path(area.geometry), class: `area ${kind}` },
          h("svg:title", {}, kind === "kelurahan" ? `${area.name} (${area.kecamatan})` : area.name),
        ),
      ),
    );
  }

  drawLabels() {
    this.layers.labels.replaceChildren(
      ...this.kecamatan.areas.map((area) => {
        const [lat, lon] = this.kecamatan.representative(area);
        const [x, y] = this.projection.xy(lat, lon);
        return h("svg:text", { class: "area-label scaled", dataset: { x, y } }, area.name);
      }),
    );
  }

  drawStations(collection) {
    const features = collection?.features || [];
    this.layers.stations.replaceChildren(
      ...features.map((f) => {
        const [lon, lat] = f.geometry.coordinates;
        const shape = AGENCY_SHAPES[f.properties.agency] || AGENCY_SHAPES.police;
        return this.marker(lat, lon, `station ${f.properties.agency}`, [
          h("svg:path", { d: shape.path, transform: "scale(0.7)" }),
          h("svg:title", {}, f.properties.name),
        ]);
      }),
    );
    this.rescale();
  }

  marker(lat, lon, className, children) {
    const [x, y] = this.projection.xy(lat, lon);
    return h("svg:g", { class: `marker scaled ${className}`, dataset: { x, y } }, children);
  }

  setIncidents(incidents) {
    const located = incidents.filter((i) => i.location);
    this.layers.incidents.replaceChildren(
      ...located.map((i) => {
        const flagged = i.verification?.pending;
        const g = this.marker(i.location.lat, i.location.lon, `incident prio-${i.priority}`, [
          h("svg:circle", { r: 8, class: flagged ? "flagged" : "" }),
          h("svg:text", { class: "marker-glyph", y: 4 }, flagged ? "?" : i.priority.slice(1)),
          h(
            "svg:text",
            { class: "marker-label", x: 11, y: 4 },
            `${i.priority} ${i.number.slice(-4)}`,
          ),
          h("svg:title", {}, `${i.number} · ${i.category.label_id}`),
        ]);
        g.addEventListener("click", (event) => {
          event.stopPropagation();
          this.onSelectIncident(i.id);
        });
        return g;
      }),
    );
    this.rescale();
  }

  setUnits(units) {
    const located = units.filter((u) => u.location);
    this.layers.units.replaceChildren(
      ...located.map((u) => {
        const shape = AGENCY_SHAPES[u.agency] || AGENCY_SHAPES.police;
        const busy = u.status !== "available";
        return this.marker(
          u.location.lat,
          u.location.lon,
          `unit ${u.agency} ${busy ? "busy" : ""}`,
          [
            h("svg:path", { d: shape.path }),
            busy ? h("svg:text", { class: "marker-label", x: 9, y: 4 }, u.callsign) : null,
            h("svg:title", {}, `${u.callsign} · ${t(`unit_${u.status}`)}`),
          ],
        );
      }),
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
    this.rescale();
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
      if (wasDrag || event.target.closest(".incident")) return;
      const p = this.toSvg(event);
      const [lat, lon] = this.projection.latlon(p.x, p.y);
      this.onPick(Number(lat.toFixed(6)), Number(lon.toFixed(6)));
    });
  }
}
