// What the operator typed in the location field: coordinates, an AML SMS or a kelurahan name.

const NUMBER = String.raw`[-+]?\d{1,3}(?:\.\d+)?`;
const COORDS = new RegExp(String.raw`^\s*(${NUMBER})\s*(?:[,;]\s*|\s+)(${NUMBER})\s*$`);
const COMMA_DECIMALS = /^\s*([-+]?\d{1,3},\d+)\s*[;\s]\s*([-+]?\d{1,3},\d+)\s*$/;

/**
 * {kind: "none"} | {kind: "coords", lat, lon, swapped} | {kind: "aml", raw, lat, lon, accuracy}
 * | {kind: "aml-invalid", raw} | {kind: "kelurahan", name}
 */
export function parseLocation(text) {
  const value = String(text || "").trim();
  if (!value) return { kind: "none" };
  if (/A"?ML=|(^|;)\s*lt=/i.test(value)) return parseAml(value);
  const match = value.match(COORDS) || value.match(COMMA_DECIMALS);
  if (match) {
    let lat = Number(match[1].replace(",", "."));
    let lon = Number(match[2].replace(",", "."));
    // Samarinda is near the equator (lat ≈ -0.5) and at lon ≈ 117: a big "lat" is a swap.
    const swapped = Math.abs(lat) > 90 && Math.abs(lon) <= 90;
    if (swapped) [lat, lon] = [lon, lat];
    return { kind: "coords", lat, lon, swapped };
  }
  return { kind: "kelurahan", name: value };
}

function parseAml(raw) {
  const field = (name) => {
    const m = raw.match(new RegExp(String.raw`(?:^|;)\s*${name}=(${NUMBER})`, "i"));
    return m ? Number(m[1]) : null;
  };
  const lat = field("lt");
  const lon = field("lg");
  if (lat === null || lon === null) return { kind: "aml-invalid", raw };
  return { kind: "aml", raw, lat, lon, accuracy: field("rd") };
}

/** A caller number as E.164 (+62…), from the ways Indonesians write it. */
export function normalisePhone(text) {
  const digits = String(text || "").replace(/[\s\-().]/g, "");
  if (!digits) return null;
  if (digits.startsWith("+")) return digits;
  if (digits.startsWith("00")) return `+${digits.slice(2)}`;
  if (digits.startsWith("62")) return `+${digits}`;
  if (digits.startsWith("0")) return `+62${digits.slice(1)}`;
  return digits;
}
