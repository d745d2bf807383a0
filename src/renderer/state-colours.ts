import { STATE_LOOK } from '../shared/assistant-state-look';
import { ASSISTANT_STATES } from '../shared/engine-events';

/**
 * Sets the state colours (`--idle`, `--listening`, …) that styles.css uses, from the one table
 * in src/shared that the tray draws from too, and follows the OS's light or dark preference.
 */
export function applyStateColours(root: HTMLElement, scheme: MediaQueryList): void {
  const apply = (): void => {
    for (const state of ASSISTANT_STATES) root.style.setProperty(`--${state}`, STATE_LOOK[state][scheme.matches ? 'dark' : 'light']);
  };
  apply();
  scheme.addEventListener('change', apply);
}
