// Geometry on Samarinda's GeoJSON layers, done in the browser so the operator sees at once
// where a point falls: an equirectangular projection in metres, point-in-polygon, distances,
// and a spelling-tolerant kelurahan search.

const M_PER_DEG_LAT = 110574;
const M_PER_DEG_LON = 111320;

export class Projection {
  constructor(lat0 = -0.5, lon0 = 117.15) {
    this.lat0 = lat0;
    this.lon0 = lon0;
    this.kx = M_PER_DEG_LON * Math.cos((lat0 * Math.PI) / 180);
  }

  /** [x, y] in metres east and south of the origin (SVG's y grows downwards). */
  xy(lat, lon) {
    return [(lon - this.lon0) * this.kx, -(lat - this.lat0) * M_PER_DEG_LAT];
  }

  latlon(x, y) {
    return [this.lat0 - y / M_PER_DEG_LAT, this.lon0 + x / this.kx];
  }
}

/** The polygons ([rings of [lon, lat]]) of a Polygon or MultiPolygon geometry. */
export function polygons(geometry) {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return [geometry.coordinates];
  if (geometry.type === "MultiPolygon") return geometry.coordinates;
  return [];
}

function ringContains(ring, lon, lat) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function polygonContains(rings, lon, lat) {
  if (!ringContains(rings[0], lon, lat)) return false;
  return !rings.slice(1).some((hole) => ringContains(hole, lon, lat));
}

function bbox(geometry) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons(geometry)) {
    for (const [lon, lat] of rings[0]) {
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  }
  return box;
}

/** An area layer (kecamatan or kelurahan) with fast lookups. */
export class AreaIndex {
  constructor(collection, projection) {
    this.projection = projection;
    this.areas = (collection?.features || []).map((feature) => ({
      name: feature.properties.name,
      code: feature.properties.code,
      kecamatan: feature.properties.kecamatan,
      geometry: feature.geometry,
      box: bbox(feature.geometry),
      key: normalise(feature.properties.name),
    }));
  }

  get empty() {
    return this.areas.length === 0;
  }

  containing(lat, lon) {
    return this.areas.find(
      (a) =>
        lon >= a.box[0] &&
        lon <= a.box[2] &&
        lat >= a.box[1] &&
        lat <= a.box[3] &&
        polygons(a.geometry).some((rings) => polygonContains(rings, lon, lat)),
    );
  }

  /** The nearest area's border and its distance in metres. */
  nearest(lat, lon) {
    const [px, py] = this.projection.xy(lat, lon);
    let best = null;
    for (const area of this.areas) {
      for (const rings of polygons(area.geometry)) {
        const ring = rings[0].map(([x, y]) => this.projection.xy(y, x));
        for (let i = 1; i < ring.length; i++) {
          const d = segmentDistance(px, py, ring[i - 1], ring[i]);
          if (!best || d < best.distance) best = { area, distance: d };
        }
      }
    }
    return best;
  }

  /** A point inside an area for a preview marker (vertex mean, else the box centre). */
  representative(area) {
    const ring = polygons(area.geometry)[0]?.[0] || [];
    const n = ring.length || 1;
    const lon = ring.reduce((s, p) => s + p[0], 0) / n;
    const lat = ring.reduce((s, p) => s + p[1], 0) / n;
    if (this.containing(lat, lon) === area) return [lat, lon];
    return [(area.box[1] + area.box[3]) / 2, (area.box[0] + area.box[2]) / 2];
  }

  /** Areas whose name matches text, best first (prefix, substring, then edit distance). */
  search(text, limit = 5) {
    const query = normalise(text);
    if (query.length < 2) return [];
    const scored = this.areas.map((area) => ({ area, score: similarity(query, area.key) }));
    return scored
      .filter((s) => s.score >= 0.6)
      .sort((a, b) => b.score - a.score || a.area.name.localeCompare(b.area.name))
      .slice(0, limit);
  }
}

function segmentDistance(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const k = len2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  return Math.hypot(px - (ax + k * dx), py - (ay + k * dy));
}

// Spellings seen in Samarinda addresses (as in adapters/routing/places.py): "Sei Pinang" is
// Sungai Pinang, never Bukit Pinang.
const SYNONYMS = { sei: "sungai", sungei: "sungai", sg: "sungai", sng: "sungai", dlm: "dalam" };

export function normalise(text) {
  return String(text)
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\b(kelurahan|kel\.?|desa)\s+/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .map((word) => SYNONYMS[word] || word)
    .join(" ");
}

function similarity(query, name) {
  if (query === name) return 1;
  if (name.startsWith(query)) return 0.95;
  if (name.includes(query)) return 0.9;
  const distance = levenshtein(query, name.slice(0, Math.max(query.length, name.length)));
  return 1 - distance / Math.max(query.length, name.length);
}

function levenshtein(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}
