import { describe, expect, it } from 'vitest';
import { visibleButtons, type SlotButton, type SlotState } from '../photo-slot-buttons';

const idle: SlotState = { cameraOpen: false, ready: false, fallback: false, photo: false, held: null };
const shown = (s: Partial<SlotState>) =>
  Object.entries(visibleButtons({ ...idle, ...s }))
    .filter(([, visible]) => visible)
    .map(([name]) => name as SlotButton)
    .sort();

describe('the buttons of a photo slot', () => {
  it('opens the camera, then captures or cancels once it delivers frames, then offers a retake', () => {
    expect(shown({})).toEqual(['open']);
    expect(shown({ cameraOpen: true })).toEqual(['cancel']);
    expect(shown({ cameraOpen: true, ready: true })).toEqual(['cancel', 'shoot']);
    expect(shown({ photo: true })).toEqual(['retake']);
  });

  it('offers Retake and Use anyway for a photo held back by its warnings — Use anyway only when the form allows it', () => {
    expect(shown({ held: { canOverride: true } })).toEqual(['retake', 'use-anyway']);
    expect(shown({ held: { canOverride: false }, photo: true })).toEqual(['retake']);
    expect(shown({ held: { canOverride: true }, fallback: true })).toEqual(['retake', 'use-anyway']);
  });

  it('leaves the file input alone when the camera cannot be used', () => {
    expect(shown({ fallback: true })).toEqual([]);
    expect(shown({ fallback: true, photo: true })).toEqual([]);
  });
});
