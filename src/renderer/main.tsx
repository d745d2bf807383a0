import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import './i18n';
import { applyStateColours } from './state-colours';
// In this order: the base, then each part, then the rules for Chinese text, which override them.
import './styles.css';
import './conversation.css';
import './settings.css';
import './cjk.css';

applyStateColours(document.documentElement, window.matchMedia('(prefers-color-scheme: dark)'));

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
