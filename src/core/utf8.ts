// Text given as bytes: YAML and JSON must be UTF-8, and the API server refuses anything
// else, so bytes that are not UTF-8 are reported with their line instead of being quietly
// replaced by U+FFFD (which is what decoding with 'utf8' does).

export interface DecodedText {
  text: string;
  /** The 1-based line of the first byte that is not UTF-8, when there is one. */
  invalidLine?: number;
}

const strict = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});
const lenient = new TextDecoder('utf-8', {ignoreBOM: true});

/** Length of the valid UTF-8 sequence starting at `at`, or 0 when the bytes there are not one. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at] as number;
  if (lead < 0x80) return 1;
  // Lead bytes and the range of their first continuation byte (no overlong forms, no surrogates, nothing past U+10FFFF).
  const [length, low, high] = lead >= 0xC2 && lead <= 0xDF
    ? [2, 0x80, 0xBF]
    : lead === 0xE0
    ? [3, 0xA0, 0xBF]
    : lead === 0xED
    ? [3, 0x80, 0x9F]
    : lead >= 0xE1 && lead <= 0xEF
    ? [3, 0x80, 0xBF]
    : lead === 0xF0
    ? [4, 0x90, 0xBF]
    : lead === 0xF4
    ? [4, 0x80, 0x8F]
    : lead >= 0xF1 && lead <= 0xF3
    ? [4, 0x80, 0xBF]
    : [0, 0, 0];
  if (length === 0 || at + length > bytes.length) return 0;
  const second = bytes[at + 1] as number;
  if (second < low || second > high) return 0;
  for (let index = at + 2; index < at + length; index++) {
    const byte = bytes[index] as number;
    if (byte < 0x80 || byte > 0xBF) return 0;
  }
  return length;
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence (the length when all are). */
function firstInvalidByte(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes, at);
    if (length === 0) return at;
    at += length;
  }
  return at;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (bytes[index] === 0x0A) line++;
  return line;
}

export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return {text: strict.decode(bytes)};
  } catch {
    return {text: lenient.decode(bytes), invalidLine: lineAt(bytes, firstInvalidByte(bytes))};
  }
}
