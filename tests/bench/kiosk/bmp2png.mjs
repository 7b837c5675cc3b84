// Converts the BMP frames SDL's offscreen driver saves
// (SDL_VIDEO_OFFSCREEN_SAVE_FRAMES: uncompressed, 24 or 32 bits per pixel)
// to PNG, so the kiosk's first frame can be looked at next to Chromium's.
//
//   node bmp2png.mjs IN.bmp OUT.png
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const [inPath, outPath] = process.argv.slice(2);
const b = readFileSync(inPath);
if (b.toString('latin1', 0, 2) !== 'BM') throw new Error(`${inPath}: not a BMP`);
const off = b.readUInt32LE(10);
const w = b.readInt32LE(18);
const hRaw = b.readInt32LE(22);
const bpp = b.readUInt16LE(28);
if (bpp !== 24 && bpp !== 32) throw new Error(`${inPath}: ${bpp} bits per pixel not handled`);
const h = Math.abs(hRaw);
const stride = Math.ceil((w * bpp) / 32) * 4;
const raw = Buffer.alloc((w * 3 + 1) * h);
for (let y = 0; y < h; y++) {
  const src = off + (hRaw > 0 ? h - 1 - y : y) * stride; // bottom-up unless the height is negative
  const dst = y * (w * 3 + 1);
  raw[dst] = 0; // filter: none
  for (let x = 0; x < w; x++) {
    const s = src + (x * bpp) / 8;
    raw[dst + 1 + x * 3] = b[s + 2];
    raw[dst + 2 + x * 3] = b[s + 1];
    raw[dst + 3 + x * 3] = b[s];
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(w, 0);
ihdr.writeUInt32BE(h, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 2; // colour type: RGB
writeFileSync(
  outPath,
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]),
);
