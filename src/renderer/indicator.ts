import { STATE_LOOK } from '../shared/assistant-state-look';
import { createI18n } from '../shared/i18n/create-i18n';
import type { IndicatorApi, IndicatorUpdate } from '../shared/indicator';
import './indicator.css';

/**
 * The on-screen indicator: a small pill that says what Parley is doing while its window is
 * hidden. Plain DOM, no React: it draws one element a few times a second.
 */
declare global {
  interface Window {
    parleyIndicator: IndicatorApi;
  }
}

const pill = document.getElementById('pill')!;
const label = document.getElementById('label')!;
const level = document.getElementById('level')!;
const dark = window.matchMedia('(prefers-color-scheme: dark)');
let i18n = createI18n('en');

function show(update: IndicatorUpdate): void {
  if (i18n.language !== update.language) i18n = createI18n(update.language);
  pill.dataset.state = update.state;
  pill.style.setProperty('--tone', STATE_LOOK[update.state][dark.matches ? 'dark' : 'light']);
  label.textContent = i18n.t(`state.${update.state}`);
  document.documentElement.lang = update.language;
  level.style.width = `${Math.round(Math.min(1, Math.max(0, update.level)) * 100)}%`;
}

window.parleyIndicator.onUpdate(show);
