import { crc32, deflateSync } from 'node:zlib';

/**
 * Draws Parley's icons as PNG bytes: a filled disc in the state's colour, with a white
 * ring. Plain Node (no Electron), so scripts/generate-icons.ts uses it for build/ too.
 */

/** A square RGBA PNG of `size` pixels, antialiased at the edges. */
export function renderDiscPng(size: number, rgb: readonly [number, number, number]): Buffer {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  const centre = (size - 1) / 2;
  const outer = size / 2 - 0.5;
  const ringWidth = Math.max(1, size / 16);
  for (let y = 0; y < size; y++) {
    const rowStart = y * (size * 4 + 1);
    rows[rowStart] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      const coverage = clamp(outer - distance + 0.5);
      const inRing = clamp(distance - (outer - ringWidth) + 0.5);
      const offset = rowStart + 1 + x * 4;
      rows[offset] = Math.round(rgb[0] + (255 - rgb[0]) * inRing);
      rows[offset + 1] = Math.round(rgb[1] + (255 - rgb[1]) * inRing);
      rows[offset + 2] = Math.round(rgb[2] + (255 - rgb[2]) * inRing);
      rows[offset + 3] = Math.round(255 * coverage);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, crc]);
}
