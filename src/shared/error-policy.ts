import type { ErrorAction, ErrorCode } from './engine-events';

/**
 * What each kind of error means for the session, in one place:
 * - `retry`: the session stays usable; the next turn may well work (a backend that lost its
 *   connection reports that separately, and reconnects on its own);
 * - `needs-new-settings`: no turn can work until the settings change (a rejected key, an
 *   unknown model): reconnecting stops, the session shows the error, and a press repeats it.
 * `action` is what the window offers beside the message, unless the error names a more
 * specific one (a server error caused by a setting offers Settings, not Retry).
 */
export type Recovery = 'retry' | 'needs-new-settings';

export interface ErrorPolicy {
  recovery: Recovery;
  action?: ErrorAction;
}

export const ERROR_POLICY: Record<ErrorCode, ErrorPolicy> = {
  auth: { recovery: 'needs-new-settings', action: 'open-settings' },
  'no-api-key': { recovery: 'needs-new-settings', action: 'open-settings' },
  'model-not-found': { recovery: 'needs-new-settings', action: 'open-settings' },
  'bad-settings': { recovery: 'needs-new-settings', action: 'open-settings' },
  'audio-unsupported': { recovery: 'retry', action: 'open-settings' },
  unreachable: { recovery: 'retry', action: 'retry' },
  timeout: { recovery: 'retry', action: 'retry' },
  'clip-too-large': { recovery: 'retry' },
  'rate-limited': { recovery: 'retry', action: 'retry' },
  'stream-broken': { recovery: 'retry', action: 'retry' },
  server: { recovery: 'retry', action: 'retry' },
  protocol: { recovery: 'retry' },
  // The session is renewed at once: only the reply in flight was lost.
  'session-expired': { recovery: 'retry', action: 'retry' },
  'mic-unavailable': { recovery: 'retry', action: 'open-settings' },
  'speaker-unavailable': { recovery: 'retry', action: 'open-settings' },
  'hotkey-unavailable': { recovery: 'retry', action: 'open-settings' },
  refused: { recovery: 'retry' },
  internal: { recovery: 'retry' },
};

export function recoveryOf(code: ErrorCode): Recovery {
  return ERROR_POLICY[code].recovery;
}
