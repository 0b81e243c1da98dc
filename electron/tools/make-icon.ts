/**
 * Draws the app icon, resources/build/icon.png (1024×1024, what electron-builder converts to each
 * platform's format), from the same shapes as renderer/public/favicon.svg: a teal rounded square and
 * four stacked stones. Run `npx tsx electron/tools/make-icon.ts` after changing it; the PNG is committed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 1024;
const SCALE = SIZE / 32;
const TEAL = [0x0b, 0x5e, 0x57] as const;
const STONE = [0xe6, 0xf2, 0xf0] as const;
/** The favicon's ellipses (cx, cy, rx, ry) in its 32-unit box. */
const STONES: [number, number, number, number][] = [
  [16, 24.5, 10, 3.5],
  [16, 17.5, 7.5, 3],
  [16, 11, 5, 2.6],
  [16, 5.8, 2.8, 1.9],
];
const RADIUS = 6;

function inRoundedSquare(x: number, y: number): boolean {
  const dx = Math.max(RADIUS - x, 0, x - (32 - RADIUS));
  const dy = Math.max(RADIUS - y, 0, y - (32 - RADIUS));
  return dx * dx + dy * dy <= RADIUS * RADIUS;
}

const inStone = (x: number, y: number): boolean => STONES.some(([cx, cy, rx, ry]) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1);

/** RGBA rows, each 4×4 supersampled so the edges are smooth. */
function pixels(): Buffer {
  const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  for (let py = 0; py < SIZE; py++) {
    const row = py * (SIZE * 4 + 1);
    rows[row] = 0; // PNG filter: none
    for (let px = 0; px < SIZE; px++) {
      let covered = 0;
      let stone = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const x = (px + (sx + 0.5) / 4) / SCALE;
          const y = (py + (sy + 0.5) / 4) / SCALE;
          if (!inRoundedSquare(x, y)) continue;
          covered++;
          if (inStone(x, y)) stone++;
        }
      }
      const o = row + 1 + px * 4;
      const t = covered ? stone / covered : 0;
      for (let c = 0; c < 3; c++) rows[o + c] = Math.round(TEAL[c]! * (1 - t) + STONE[c]! * t);
      rows[o + 3] = Math.round((covered / 16) * 255);
    }
  }
  return rows;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(pixels(), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(import.meta.dirname, '..', '..', 'resources', 'build', 'icon.png');
writeFileSync(out, png);
console.log(`${out}: ${SIZE}×${SIZE}, ${png.length} bytes`);
