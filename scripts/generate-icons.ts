/**
 * Writes the app icon for packaging (build/icon.png, 512×512; electron-builder derives the
 * other sizes and formats from it). Run with `npx tsx scripts/generate-icons.ts` after
 * changing the drawing in src/main/electron/status-icon.ts; the output is committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderDiscPng } from '../src/main/electron/status-icon';

const BRAND_BLUE = [0x25, 0x63, 0xeb] as const;

mkdirSync('build', { recursive: true });
writeFileSync('build/icon.png', renderDiscPng(512, BRAND_BLUE));
console.log('wrote build/icon.png');
