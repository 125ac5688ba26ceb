/**
 * Which buttons a photo slot shows (components/photo-slot.ts), from what it is doing: the camera open (and ready to
 * capture), the file input in use instead of it, a photo taken, a photo held back with quality warnings.
 */
export const SLOT_BUTTONS = ['open', 'shoot', 'cancel', 'retake', 'use-anyway'] as const;
export type SlotButton = (typeof SLOT_BUTTONS)[number];

export interface SlotState {
  cameraOpen: boolean;
  /** The camera delivers frames. */
  ready: boolean;
  /** The file input is shown (the camera cannot be used). */
  fallback: boolean;
  /** A photo is in the record. */
  photo: boolean;
  /** A photo is held back by its warnings; whether the form lets the person keep it. */
  held: { canOverride: boolean } | null;
}

export const visibleButtons = (s: SlotState): Record<SlotButton, boolean> => ({
  open: !s.cameraOpen && !s.fallback && !s.photo && !s.held,
  shoot: s.cameraOpen && s.ready,
  cancel: s.cameraOpen,
  // Retake the held photo, with the camera or the file input; a photo taken is retaken with the camera only.
  retake: !s.cameraOpen && (Boolean(s.held) || (!s.fallback && s.photo)),
  'use-anyway': !s.cameraOpen && Boolean(s.held?.canOverride),
});
