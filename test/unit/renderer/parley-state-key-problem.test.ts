import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/shared/settings';
import type { AppSnapshot, IpcFailure } from '../../../src/shared/ipc';
import { initialParleyState, parleyReducer } from '../../../src/renderer/parley-state';

const locked: IpcFailure = { code: 'no-api-key', action: 'open-settings', message: 'Parley could not unlock your saved API key. Open Settings and paste your key again.' };

function snapshot(extra: Partial<AppSnapshot> = {}): AppSnapshot {
  return { settings: defaultSettings(), hasApiKey: false, lines: [], state: 'error', notice: null, ...extra };
}

describe('the window is told why a saved key cannot be used', () => {
  it('a snapshot with a key problem shows it as a banner, with its action', () => {
    const state = parleyReducer(initialParleyState, { type: 'snapshot', snapshot: snapshot({ keyProblem: locked }) });
    expect(state.hasApiKey).toBe(false);
    expect(state.errors).toEqual([{ type: 'error', id: 1, ...locked }]);
  });

  it('a snapshot without one shows no banner', () => {
    expect(parleyReducer(initialParleyState, { type: 'snapshot', snapshot: snapshot() }).errors).toEqual([]);
  });

  it('the engine saying it too leaves one banner, not two', () => {
    const loaded = parleyReducer(initialParleyState, { type: 'snapshot', snapshot: snapshot({ keyProblem: locked }) });
    const state = parleyReducer(loaded, {
      type: 'events',
      events: [
        { type: 'settings', settings: defaultSettings(), hasApiKey: false, keyProblem: locked },
        { type: 'error', ...locked },
      ],
    });
    expect(state.errors.map((error) => error.message)).toEqual([locked.message]);
  });

  it('a settings event with a key problem shows it; a usable key then takes it away, and only it', () => {
    const rateLimited: IpcFailure = { code: 'rate-limited', action: 'retry', message: 'Too many requests. Wait a moment and try again.' };
    const withProblem = parleyReducer(initialParleyState, {
      type: 'events',
      events: [{ type: 'error', ...rateLimited }, { type: 'settings', settings: defaultSettings(), hasApiKey: false, keyProblem: locked }],
    });
    expect(withProblem.errors.map((error) => error.message)).toEqual([rateLimited.message, locked.message]);
    const stillNone = parleyReducer(withProblem, { type: 'events', events: [{ type: 'settings', settings: defaultSettings(), hasApiKey: false }] });
    expect(stillNone.errors).toEqual(withProblem.errors);
    const fixed = parleyReducer(withProblem, { type: 'events', events: [{ type: 'settings', settings: defaultSettings(), hasApiKey: true }] });
    expect(fixed.hasApiKey).toBe(true);
    expect(fixed.errors.map((error) => error.message)).toEqual([rateLimited.message]);
  });
});
