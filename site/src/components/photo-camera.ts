/**
 * The phone's back camera for a photo slot: opening it at the highest resolution it offers, taking the frame it
 * shows as a full-resolution JPEG, and saying in words why it cannot be used (the slot then offers a file input).
 */
import { t } from '../lib/i18n';

/** Why the camera cannot be used, for the person (from getUserMedia's error, or "Unsupported" without the API). */
export const cameraProblem = (err: unknown): string => {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return t('photoSlot.cameraDenied');
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return t('photoSlot.cameraMissing');
  if (name === 'NotReadableError' || name === 'AbortError') return t('photoSlot.cameraBusy');
  if (name === 'Unsupported') return t('photoSlot.cameraUnsupported');
  return t('photoSlot.cameraFailed');
};

/** The browser offers no camera at all (no getUserMedia). */
export const noCameraApi = () => !navigator.mediaDevices?.getUserMedia;

export const openBackCamera = (): Promise<MediaStream> =>
  navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: 'environment', width: { ideal: 4096 }, height: { ideal: 3072 } },
  });

/** Shows the camera's stream in `video`; settles once frames arrive (the video knows its size). */
export const playStream = async (video: HTMLVideoElement, stream: MediaStream): Promise<void> => {
  video.srcObject = stream;
  const ready = video.videoWidth
    ? Promise.resolve()
    : new Promise<void>((resolve) => video.addEventListener('loadedmetadata', () => resolve(), { once: true }));
  try {
    await video.play();
  } catch {
    /* autoplay of a muted stream is allowed; ignore odd browsers */
  }
  await ready;
};

/** The frame the video shows, at the camera's full resolution, as a JPEG (null when the browser cannot encode it). */
export const frameAsJpeg = (video: HTMLVideoElement): Promise<Blob | null> => {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')!.drawImage(video, 0, 0);
  return new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.95));
};
