import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { exifDateToIso, readPhotoMetadata, toPhotoMetadata } from '../exif';

const canvas = () => sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } });

describe('capture metadata of a photo', () => {
  it('reads when, with what, which way up and where a phone photo was taken', async () => {
    const jpeg = await canvas()
      .jpeg()
      .withExif({
        IFD0: { Make: 'TestPhone', Model: 'X1', DateTime: '2026:05:01 09:30:00' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();

    const metadata = await readPhotoMetadata(new Uint8Array(jpeg));

    expect(metadata).toEqual({
      // No time zone in the EXIF: the phone's local time.
      takenAt: new Date(2026, 4, 1, 9, 30, 0).toISOString(),
      device: 'TestPhone X1',
      orientation: 6,
      gps: { lat: 51.5, lng: expect.closeTo(-0.116667, 5) },
    });
  });

  it('prefers the original capture time with its offset, and keeps the GPS accuracy', async () => {
    const jpeg = await canvas()
      .jpeg()
      .withExif({
        IFD0: { Make: 'Canon', Model: 'Canon EOS R5', DateTime: '2026:06:01 12:00:00' },
        IFD2: { DateTimeOriginal: '2026:05:01 09:30:00', OffsetTimeOriginal: '+02:00' },
        IFD3: {
          GPSLatitudeRef: 'S',
          GPSLatitude: '33/1 52/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '151/1 12/1 36/1',
          GPSHPositioningError: '5/1',
        },
      })
      .toBuffer();

    const metadata = await readPhotoMetadata(new Blob([jpeg], { type: 'image/jpeg' }));

    expect(metadata.takenAt).toBe('2026-05-01T07:30:00.000Z');
    expect(metadata.device).toBe('Canon EOS R5');
    expect(metadata.gps).toEqual({ lat: expect.closeTo(-33.866667, 5), lng: expect.closeTo(151.21, 5), accuracy: 5 });
  });

  it('gives nothing for a photo without EXIF, and for a file that is not a photo', async () => {
    expect(await readPhotoMetadata(await canvas().png().toBuffer())).toEqual({});
    expect(await readPhotoMetadata(new TextEncoder().encode('not a picture at all'))).toEqual({});
  });

  it('leaves out values the server would refuse', () => {
    expect(toPhotoMetadata({ Orientation: 9, Make: '\0', DateTimeOriginal: '0000:00:00 00:00:00', latitude: 0, longitude: 0 })).toEqual({});
    expect(toPhotoMetadata({ latitude: 95, longitude: 10 })).toEqual({});
    expect(toPhotoMetadata({ Model: 'M'.repeat(300) }).device).toHaveLength(200);
  });

  it('reads EXIF dates strictly', () => {
    expect(exifDateToIso('2026:02:31 10:00:00', '+00:00')).toBeUndefined();
    expect(exifDateToIso('2026:05:01 09:30:00', 'Z')).toBe('2026-05-01T09:30:00.000Z');
    expect(exifDateToIso('2026:05:01 09:30:00', '-0530')).toBe('2026-05-01T15:00:00.000Z');
    expect(exifDateToIso('yesterday')).toBeUndefined();
  });
});
