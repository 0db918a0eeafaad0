// Renders Parley's app icons into public/icons/ with nothing but Node (node:zlib for PNG):
// a speech bubble with three dots on the app's indigo-to-violet gradient.
// `node scripts/generate-icons.mjs` rewrites them; the PNGs are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../public/icons/', import.meta.url));
mkdirSync(out, { recursive: true });

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA bytes (size × size × 4) -> PNG file bytes. */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const lerp = (a, b, t) => a + (b - a) * t;
const FROM = [0x5b, 0x6c, 0xf2];
const TO = [0x7c, 0x4d, 0xde];

/**
 * Colour of the point (u, v) in [0, 1]² of the icon, or null for transparent.
 * `safe` is the fraction of the icon the artwork may use (maskable icons keep it in the
 * central 80% circle); `rounded` clips the background to a rounded square.
 */
function shade(u, v, { safe, rounded }) {
  if (rounded) {
    const r = 0.22;
    const dx = Math.max(0, Math.abs(u - 0.5) - (0.5 - r));
    const dy = Math.max(0, Math.abs(v - 0.5) - (0.5 - r));
    if (dx * dx + dy * dy > r * r) return null;
  }
  const t = (u + v) / 2;
  const bg = FROM.map((c, i) => lerp(c, TO[i], t));
  // Artwork coordinates: the centre square of side `safe`.
  const x = (u - 0.5) / safe + 0.5;
  const y = (v - 0.5) / safe + 0.5;
  // Bubble: an ellipse, plus a tail at the lower left.
  const ex = (x - 0.5) / 0.36;
  const ey = (y - 0.47) / 0.28;
  const inEllipse = ex * ex + ey * ey <= 1;
  const inTail = y > 0.62 && y < 0.84 && x > 0.26 && x < 0.44 && x - 0.26 < (0.84 - y) * 0.9;
  if (!inEllipse && !inTail) return bg;
  for (const cx of [0.36, 0.5, 0.64]) {
    const dx = x - cx;
    const dy = y - 0.47;
    if (dx * dx + dy * dy <= 0.045 * 0.045) return bg;
  }
  return [255, 255, 255];
}

function render(size, opts) {
  const rgba = Buffer.alloc(size * size * 4);
  const ss = 4; // 4×4 supersampling for smooth edges
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = shade((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, opts);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((255 * a) / (ss * ss));
    }
  }
  return encodePng(size, rgba);
}

const icons = [
  ['icon-192.png', 192, { safe: 1, rounded: true }],
  ['icon-512.png', 512, { safe: 1, rounded: true }],
  // Maskable: full bleed, artwork inside the 80% safe zone.
  ['maskable-192.png', 192, { safe: 0.72, rounded: false }],
  ['maskable-512.png', 512, { safe: 0.72, rounded: false }],
  // iOS rounds the corners itself and shows transparency as black.
  ['apple-touch-icon.png', 180, { safe: 0.9, rounded: false }],
  ['favicon-32.png', 32, { safe: 1, rounded: true }],
];
for (const [name, size, opts] of icons) {
  writeFileSync(out + name, render(size, opts));
  console.log(`public/icons/${name}`);
}
