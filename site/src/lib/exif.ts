/**
 * The capture metadata a photo carries (EXIF): when it was taken, which device, its orientation and GPS position,
 * in the shape the server accepts with the upload (PhotoMetadata). Anything missing or implausible is left out.
 */
import exifr from 'exifr';
import type { PhotoMetadata } from '../../../cms/src/plugins/eas/shared/contracts/record';

type Tags = Record<string, unknown>;

const text = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  // EXIF strings are often NUL-padded.
  const clean = value.replace(/\0+$/g, '').trim();
  return clean || undefined;
};

const finite = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** "+02:00" / "-0530" / "Z" → minutes east of UTC. */
const offsetMinutes = (value: unknown): number | undefined => {
  const s = text(value);
  if (!s) return undefined;
  if (s === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(s);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
};

/**
 * An EXIF date ("YYYY:MM:DD HH:MM:SS") as ISO 8601. With an EXIF offset tag it is exact; without one it is read as
 * this device's local time (the camera's clock and the phone's are the same clock).
 */
export const exifDateToIso = (value: unknown, offset?: unknown): string | undefined => {
  const s = text(value);
  const m = s && /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number);
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  // Cameras without a set clock write "0000:00:00 00:00:00"; 31 February must not roll over into March.
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || sec > 59) return undefined;
  const minutes = offsetMinutes(offset);
  const date = minutes === undefined ? new Date(y, mo - 1, d, h, mi, sec) : new Date(Date.UTC(y, mo - 1, d, h, mi, sec) - minutes * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

const takenAtOf = (tags: Tags) =>
  exifDateToIso(tags.DateTimeOriginal, tags.OffsetTimeOriginal ?? tags.OffsetTime) ??
  exifDateToIso(tags.CreateDate, tags.OffsetTimeDigitized ?? tags.OffsetTime) ??
  exifDateToIso(tags.ModifyDate, tags.OffsetTime);

const deviceOf = (tags: Tags) => {
  const make = text(tags.Make);
  const model = text(tags.Model);
  // "Canon" + "Canon EOS R5" → "Canon EOS R5", not "Canon Canon EOS R5".
  const device = make && model && !model.toLowerCase().startsWith(make.toLowerCase()) ? `${make} ${model}` : (model ?? make);
  return device?.slice(0, 200);
};

const gpsOf = (tags: Tags): PhotoMetadata['gps'] => {
  const lat = finite(tags.latitude);
  const lng = finite(tags.longitude);
  if (lat === undefined || lng === undefined || Math.abs(lat) > 90 || Math.abs(lng) > 180) return undefined;
  // 0,0 is what some cameras write when they had no fix.
  if (lat === 0 && lng === 0) return undefined;
  const accuracy = finite(tags.GPSHPositioningError);
  return accuracy !== undefined && accuracy >= 0 ? { lat, lng, accuracy } : { lat, lng };
};

/** Turns parsed EXIF tags into PhotoMetadata (pure). */
export const toPhotoMetadata = (tags: Tags): PhotoMetadata => {
  const metadata: PhotoMetadata = {};
  const takenAt = takenAtOf(tags);
  if (takenAt) metadata.takenAt = takenAt;
  const device = deviceOf(tags);
  if (device) metadata.device = device;
  const orientation = finite(tags.Orientation);
  if (orientation !== undefined && Number.isInteger(orientation) && orientation >= 1 && orientation <= 8)
    metadata.orientation = orientation;
  const gps = gpsOf(tags);
  if (gps) metadata.gps = gps;
  return metadata;
};

/** Reads a photo's capture metadata; a photo without EXIF (or not a photo) gives {}. */
export const readPhotoMetadata = async (input: Blob | ArrayBuffer | Uint8Array): Promise<PhotoMetadata> => {
  try {
    const data = input instanceof Blob ? await input.arrayBuffer() : input;
    const tags = (await exifr.parse(data, {
      tiff: true,
      exif: true,
      gps: true,
      translateValues: false,
      reviveValues: false,
      mergeOutput: true,
    })) as Tags | undefined;
    return tags ? toPhotoMetadata(tags) : {};
  } catch {
    return {};
  }
};
