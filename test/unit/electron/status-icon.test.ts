import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ASSISTANT_STATES } from '../../../src/shared/engine-events';
import { renderDiscPng } from '../../../src/main/electron/status-icon';
import { STATE_LOOK, rgbOf } from '../../../src/shared/assistant-state-look';

/** Reads back the pixels of an RGBA PNG written with filter 0 (what renderDiscPng writes). */
function decode(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(idat));
  return {
    width,
    height,
    pixel: (x, y) => [...rows.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)],
  };
}

describe('status icons', () => {
  it('draws a disc in the state colour, transparent in the corners', () => {
    const listening = rgbOf(STATE_LOOK.listening.light);
    const image = decode(renderDiscPng(32, listening));
    expect([image.width, image.height]).toEqual([32, 32]);
    expect(image.pixel(16, 16)).toEqual([...listening, 255]);
    expect(image.pixel(0, 0)[3]).toBe(0);
  });

  it('gives every state its own colour and a label', () => {
    for (const scheme of ['light', 'dark'] as const) {
      const colours = new Set(ASSISTANT_STATES.map((state) => STATE_LOOK[state][scheme]));
      expect(colours.size).toBe(ASSISTANT_STATES.length);
    }
  });

  it('committed app icon is a 512×512 PNG', async () => {
    const { readFile } = await import('node:fs/promises');
    const icon = decode(await readFile(new URL('../../../build/icon.png', import.meta.url)));
    expect([icon.width, icon.height]).toEqual([512, 512]);
  });
});
