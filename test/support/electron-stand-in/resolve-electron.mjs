import { URL } from 'node:url';

/** Module loader hook: the bare specifier `electron` becomes the stand-in; everything else resolves as usual. */
const STAND_IN = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: STAND_IN, shortCircuit: true };
  return nextResolve(specifier, context);
}
