/**
 * `node --import ./test/support/electron-stand-in/register.mjs out/main/index.js` runs the built main bundle under
 * plain Node with `electron` resolved to the recording stand-in (electron.mjs). See electron.mjs for why.
 */
import { register } from 'node:module';

register('./resolve-electron.mjs', import.meta.url);
