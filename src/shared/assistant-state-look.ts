import type { AssistantState } from './engine-events';

/**
 * The colour of each state, wherever Parley shows it: the status bar and the tray icon. One
 * table, so the tray and the window can never disagree. (Their words are in src/shared/i18n.)
 * `light` and `dark` are for text and tints on those backgrounds; the tray draws `light`,
 * which is saturated enough to read on dark and light panels alike.
 */
export interface StateLook {
  light: `#${string}`;
  dark: `#${string}`;
}

export const STATE_LOOK: Record<AssistantState, StateLook> = {
  connecting: { light: '#7a6a2e', dark: '#d9c06a' },
  idle: { light: '#2f7d59', dark: '#5cc295' },
  listening: { light: '#c2410c', dark: '#fb8a4c' },
  thinking: { light: '#6d4bc3', dark: '#b49cf5' },
  'using-tool': { light: '#0f766e', dark: '#5eead4' },
  speaking: { light: '#2563c9', dark: '#73a7ff' },
  error: { light: '#c0352b', dark: '#ff7b70' },
};

/** `#rrggbb` as [r, g, b]. */
export function rgbOf(hex: `#${string}`): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}
