// The map's fixed layers, drawn once from the project's GeoJSON: kecamatan and kelurahan
// boundaries as SVG paths (named on hover), kecamatan names, and the stations by agency shape.
import { h } from "./dom.js";
import { polygons } from "./geo.js";
import { AGENCY_SHAPES } from "./map_markers.js";

/** An SVG path for a Polygon or MultiPolygon, in the projection's whole metres. */
export function areaPath(projection, geometry) {
  return polygons(geometry)
    .flatMap((rings) =>
      rings.map(
        (ring) =>
          "M" +
          ring
            .map(([lon, lat]) =>
              projection
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

export function drawAreas(layer, index, kind, projection) {
  layer.replaceChildren(
    ...index.areas.map((area) =>
      h(
        "svg:path",
        { d: areaPath(projection, area.geometry), class: `area ${kind}` },
        h("svg:title", {}, kind === "kelurahan" ? `${area.name} (${area.kecamatan})` : area.name),
      ),
    ),
  );
}

/** Kecamatan names at a point inside each (kept the same size on screen by the map). */
export function drawLabels(layer, kecamatan, projection) {
  layer.replaceChildren(
    ...kecamatan.areas.map((area) => {
      const [lat, lon] = kecamatan.representative(area);
      const [x, y] = projection.xy(lat, lon);
      return h("svg:text", { class: "area-label scaled", dataset: { x, y } }, area.name);
    }),
  );
}

/** The stations of a GeoJSON collection (or none) as markers of their agency's shape. */
export function stationMarkers(map, collection) {
  return (collection?.features || []).map((f) => {
    const [lon, lat] = f.geometry.coordinates;
    const shape = AGENCY_SHAPES[f.properties.agency] || AGENCY_SHAPES.police;
    return map.marker(lat, lon, `station ${f.properties.agency}`, [
      h("svg:path", { d: shape.path, transform: "scale(0.7)" }),
      h("svg:title", {}, f.properties.name),
    ]);
  });
}
