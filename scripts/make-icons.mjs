// Draws Parley's app icons (the favicon's white speech bubble on blue) as PNGs into
// apps/web/public/icons. Run by hand when the icon changes: `node scripts/make-icons.mjs`.
// Dependency-free on purpose: a signed-distance drawing, 4×4 supersampled, and a minimal PNG encoder.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BLUE = [0x2f, 0x6f, 0xed];
const WHITE = [0xff, 0xff, 0xff];

/** Distance from (x, y) to a rounded rectangle (negative inside). */
function roundedRect(x, y, left, top, right, bottom, radius) {
  const cx = Math.max(left + radius - x, 0, x - (right - radius));
  const cy = Math.max(top + radius - y, 0, y - (bottom - radius));
  const outside = Math.hypot(cx, cy);
  const inside = Math.min(
    0,
    Math.max(left + radius - x, x - (right - radius), top + radius - y, y - (bottom - radius)),
  );
  return outside > 0 ? outside - radius : inside - radius;
}

/** Inside the triangle (a, b, c)? */
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/**
 * The favicon's drawing in a 32-unit square: the bubble is a rounded rectangle (9,8)–(23,20) with a
 * tail down to (10.5, 24). `scale` shrinks the bubble about the centre (maskable icons keep it in
 * the safe zone); `corner` is the background's corner radius (0 for a full-bleed maskable icon).
 */
function pixel(u, v, { corner, scale }) {
  if (corner > 0 && roundedRect(u, v, 0, 0, 32, 32, corner) > 0) return null;
  const bu = (u - 16) / scale + 16;
  const bv = (v - 16) / scale + 16;
  const bubble = roundedRect(bu, bv, 9, 8, 23, 20, 3.5) <= 0 || inTriangle(bu, bv, [10.5, 17], [15, 20], [10.5, 24]);
  return bubble ? WHITE : BLUE;
}

function render(size, options) {
  const data = Buffer.alloc(size * (size * 4 + 1));
  const samples = 4;
  for (let y = 0; y < size; y += 1) {
    const row = y * (size * 4 + 1);
    data[row] = 0; // filter: none
    for (let x = 0; x < size; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const u = ((x + (sx + 0.5) / samples) / size) * 32;
          const v = ((y + (sy + 0.5) / samples) / size) * 32;
          const colour = pixel(u, v, options);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const at = row + 1 + x * 4;
      const n = samples * samples;
      data[at] = a ? Math.round(r / a) : 0;
      data[at + 1] = a ? Math.round(g / a) : 0;
      data[at + 2] = a ? Math.round(b / a) : 0;
      data[at + 3] = Math.round((a / n) * 255);
    }
  }
  return png(size, size, data);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, body) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
function png(width, height, scanlines) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../apps/web/public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), render(192, { corner: 9, scale: 1 }));
writeFileSync(new URL('icon-512.png', out), render(512, { corner: 9, scale: 1 }));
// Maskable: full bleed, the bubble inside the central 80% circle every mask keeps.
writeFileSync(new URL('maskable-512.png', out), render(512, { corner: 0, scale: 0.8 }));
writeFileSync(new URL('apple-touch-icon.png', out), render(180, { corner: 0, scale: 0.85 }));
console.log('icons written to apps/web/public/icons');
