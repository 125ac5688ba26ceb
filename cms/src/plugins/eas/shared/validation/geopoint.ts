/**
 * A location answer (field type `geopoint`) as ODK writes it: "latitude longitude [altitude [accuracy]]", decimal
 * degrees and metres, separated by spaces, e.g. "-1.29210 36.82190 1700 12.5". From the phone's GPS it has all four
 * (altitude 0 when the phone gives none); typed by hand it has latitude and longitude only — no accuracy, so a
 * field's accuracy limit (`max`, metres) never refuses a typed location, and readers can tell the two apart.
 */
export interface Geopoint {
  latitude: number;
  longitude: number;
  altitude?: number;
  accuracy?: number;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** The parts of a geopoint text, or null when it is not one (wrong count, not numbers, out of range). */
export const parseGeopoint = (text: string): Geopoint | null => {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 4 || !parts.every((p) => NUMBER.test(p))) return null;
  const [latitude, longitude, altitude, accuracy] = parts.map(Number);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  if (accuracy !== undefined && accuracy < 0) return null;
  return {
    latitude,
    longitude,
    ...(altitude !== undefined ? { altitude } : {}),
    ...(accuracy !== undefined ? { accuracy } : {}),
  };
};

/** Why a geopoint text is not one, for the person's message (null when it is). */
export const geopointProblem = (text: string): 'format' | 'latitude' | 'longitude' | 'accuracy' | null => {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 4 || !parts.every((p) => NUMBER.test(p))) return 'format';
  const [latitude, longitude, , accuracy] = parts.map(Number);
  if (Math.abs(latitude) > 90) return 'latitude';
  if (Math.abs(longitude) > 180) return 'longitude';
  if (accuracy !== undefined && accuracy < 0) return 'accuracy';
  return null;
};

/** A geopoint as stored: 6 decimals for degrees (≈ 0.1 m), 1 for metres. */
export const formatGeopoint = (g: Geopoint): string =>
  [
    g.latitude.toFixed(6),
    g.longitude.toFixed(6),
    ...(g.altitude !== undefined || g.accuracy !== undefined ? [(g.altitude ?? 0).toFixed(1)] : []),
    ...(g.accuracy !== undefined ? [g.accuracy.toFixed(1)] : []),
  ].join(' ');

/** How people read it: "-1.292100, 36.821900 (± 12.5 m)"; typed ones without the ±. */
export const displayGeopoint = (text: string, number: (n: number) => string = String): string => {
  const g = parseGeopoint(text);
  if (!g) return text;
  const place = `${g.latitude.toFixed(6)}, ${g.longitude.toFixed(6)}`;
  return g.accuracy !== undefined ? `${place} (± ${number(Math.round(g.accuracy * 10) / 10)} m)` : place;
};
