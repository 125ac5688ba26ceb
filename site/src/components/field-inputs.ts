/**
 * The capture page's inputs for a location (geopoint) and a barcode: each writes its answer into one named input
 * (hidden for a location, the text box for a barcode) that the form reads like any other field, so drafts,
 * validation and sending need nothing special. A location comes from the phone's GPS (watched until the fix is as
 * accurate as the field asks, with its accuracy) or is typed; a code is scanned with the camera, read from a photo,
 * or typed. Everything works offline (the barcode decoder is part of the site).
 */
import { formatGeopoint, parseGeopoint } from '../../../cms/src/plugins/eas/shared/validation/geopoint';
import type { FieldDescriptor } from '../lib/capture-form';
import { el } from '../lib/dom';
import { formatNumber, t } from '../lib/i18n';

/** The event the capture element sends to a control whose value it set from a draft (nothing else fires). */
export const RESTORED = 'eas:restored';

const changed = (input: HTMLInputElement) => input.dispatchEvent(new Event('change', { bubbles: true }));

/** A GPS fix better than this (metres) is good enough to stop watching when the field sets no limit. */
const GOOD_ENOUGH_M = 20;
const WATCH_MS = 30_000;

export const geopointInput = (f: FieldDescriptor, legend: HTMLElement, help: HTMLElement | null, error: HTMLElement): HTMLElement => {
  const fieldset = el('fieldset', { className: 'geopoint', id: f.id });
  fieldset.setAttribute('aria-describedby', [f.helpId, f.errorId].filter(Boolean).join(' '));
  const value = el('input', { type: 'hidden', name: f.name });
  const status = el('p', { className: 'muted' });
  status.setAttribute('role', 'status');
  const locate = el('button', { type: 'button', className: 'secondary' }, t('geopoint.locate'));
  const lat = el('input', { type: 'text', id: `${f.id}-lat`, inputMode: 'decimal', autocomplete: 'off' });
  const lon = el('input', { type: 'text', id: `${f.id}-lon`, inputMode: 'decimal', autocomplete: 'off' });
  const limit = f.field.max ?? GOOD_ENOUGH_M;
  let watch: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const stop = () => {
    if (watch !== null) navigator.geolocation.clearWatch(watch);
    if (timer) clearTimeout(timer);
    watch = null;
    timer = null;
    locate.disabled = false;
  };
  const show = (text: string) => {
    const g = parseGeopoint(text);
    lat.value = g ? String(g.latitude) : '';
    lon.value = g ? String(g.longitude) : '';
    status.textContent = !g
      ? ''
      : g.accuracy !== undefined
        ? t('geopoint.accuracy', { metres: formatNumber(Math.round(g.accuracy)) })
        : t('geopoint.typed');
  };
  const typed = () => {
    stop();
    const [a, b] = [lat.value, lon.value].map((v) => v.trim().replace(/^([+-]?\d+),(\d+)$/, '$1.$2'));
    value.value = a || b ? `${a} ${b}`.trim() : '';
    status.textContent = value.value ? t('geopoint.typed') : '';
  };
  lat.addEventListener('input', typed);
  lon.addEventListener('input', typed);
  value.addEventListener(RESTORED, () => show(value.value));
  locate.addEventListener('click', () => {
    if (!('geolocation' in navigator)) {
      status.textContent = t('geopoint.unavailable');
      return;
    }
    stop();
    locate.disabled = true;
    status.textContent = t('geopoint.locating');
    timer = setTimeout(stop, WATCH_MS);
    watch = navigator.geolocation.watchPosition(
      ({ coords }) => {
        value.value = formatGeopoint({
          latitude: coords.latitude,
          longitude: coords.longitude,
          altitude: coords.altitude ?? 0,
          accuracy: coords.accuracy,
        });
        show(value.value);
        changed(value);
        if (coords.accuracy <= limit) stop();
      },
      (err) => {
        stop();
        status.textContent = t(err.code === err.PERMISSION_DENIED ? 'geopoint.refused' : 'geopoint.unavailable');
        lat.focus();
      },
      { enableHighAccuracy: true, maximumAge: 0, timeout: WATCH_MS }
    );
  });

  fieldset.append(
    legend,
    ...(help ? [help] : []),
    el('div', { className: 'actions' }, locate),
    status,
    el('p', { className: 'help' }, t('geopoint.manual')),
    el('div', { className: 'coordinates' }, el('label', { htmlFor: lat.id }, t('geopoint.latitude')), lat),
    el('div', { className: 'coordinates' }, el('label', { htmlFor: lon.id }, t('geopoint.longitude')), lon),
    value,
    error
  );
  return fieldset;
};

export const barcodeInput = (
  f: FieldDescriptor,
  label: HTMLElement,
  help: HTMLElement | null,
  error: HTMLElement,
  input: HTMLInputElement
) => {
  const status = el('p', { className: 'muted' });
  status.setAttribute('role', 'status');
  const scan = el('button', { type: 'button', className: 'secondary' }, t('barcode.scan'));
  const pick = el('input', { type: 'file', accept: 'image/*', hidden: true });
  pick.setAttribute('capture', 'environment');
  const fromPhoto = el('button', { type: 'button', className: 'secondary' }, t('barcode.fromPhoto'));
  const video = el('video', { hidden: true, muted: true, playsInline: true });
  const cancel = el('button', { type: 'button', className: 'secondary', hidden: true }, t('barcode.cancel'));
  let stream: MediaStream | null = null;
  let scanning = false;

  const found = (text: string) => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    changed(input);
    status.textContent = t('barcode.found');
  };
  const stopCamera = () => {
    scanning = false;
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = cancel.hidden = true;
  };
  const decode = () => import('../lib/barcode-decoder');

  scan.addEventListener('click', async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      status.textContent = t('barcode.noCamera');
      return;
    }
    video.srcObject = stream;
    video.hidden = cancel.hidden = false;
    await video.play().catch(() => undefined);
    status.textContent = t('barcode.looking');
    scanning = true;
    const { decodeBarcode } = await decode();
    while (scanning) {
      if (video.videoWidth) {
        const text = await decodeBarcode(video).catch(() => null);
        if (text && scanning) {
          stopCamera();
          found(text);
          return;
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  cancel.addEventListener('click', () => {
    stopCamera();
    status.textContent = '';
  });
  fromPhoto.addEventListener('click', () => pick.click());
  pick.addEventListener('change', async () => {
    const file = pick.files?.[0];
    pick.value = '';
    if (!file) return;
    status.textContent = t('barcode.reading');
    const text = await (await decode()).decodeBarcodeFile(file).catch(() => null);
    if (text) found(text);
    else status.textContent = t('barcode.notFound');
  });

  return [label, ...(help ? [help] : []), input, el('div', { className: 'actions' }, scan, fromPhoto, cancel), video, status, pick, error];
};
