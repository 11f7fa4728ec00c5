import fc from 'fast-check';

/**
 * Bytes a hostile or broken peer sends: mostly the ones the parsers decide on (`{`, method
 * letters, space, CR, LF, digits, signs), plus NUL, invalid UTF-8 and halves of multi-byte
 * characters, so random inputs reach every branch instead of being plain noise.
 */
const TRICKY = [0x7b, 0x7d, 0x47, 0x45, 0x54, 0x50, 0x4f, 0x53, 0x20, 0x0d, 0x0a, 0x30, 0x35, 0x39, 0x2b, 0x2d, 0x22, 0x3a, 0x00, 0xff, 0xfe, 0xc3, 0xa9, 0xe2, 0x82, 0xf0, 0x9f];

export const hostileByte = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TRICKY) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) });

/** Whole fragments that mean something to one dialect or another. */
const FRAGMENTS = [
  '{',
  '{"type":"hello"}\n',
  '{"type":"guess","value":50}\n',
  '{"type":',
  '{"__proto__":{"x":1},"type":"create"}\n',
  'GET / HTTP/1.1\r\n',
  'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n',
  'Host: x\r\n\r\n',
  'POST ',
  '50\n',
  '-0\r\n',
  '99999999999999999999999\n',
  '\n',
  '\r\n',
  '\0',
  '\xff\xfe',
];

export const hostileChunk = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.array(hostileByte, { maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(...FRAGMENTS).map((text) => Buffer.from(text, 'latin1')),
);

/** A byte stream and the chunks it arrives in. */
export const hostileChunks = fc.array(hostileChunk, { maxLength: 12 });

/** Cuts `bytes` at the given offsets (sorted, deduplicated, clamped). */
export function cut(bytes: Uint8Array, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => Math.min(o, bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start = 0;
  for (const point of points) {
    chunks.push(buffer.subarray(start, point));
    start = point;
  }
  chunks.push(buffer.subarray(start));
  return chunks;
}
