// A POSIX ustar archive of regular files, as bytes: what `debug bundle` packs before gzip.
// Pure (no file system): names, contents and a fixed modification time in, bytes out.

export interface ArchiveFile {
  /** A relative path with `/` separators, at most 100 bytes (the bundle's names are short). */
  name: string;
  content: string;
}

const BLOCK = 512;
const encoder = new TextEncoder();

function field(header: Uint8Array, offset: number, length: number, text: string): void {
  header.set(encoder.encode(text).subarray(0, length), offset);
}

/** A number as ustar writes it: octal, zero-padded, NUL-terminated. */
function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function headerOf(name: string, size: number, mtimeSeconds: number): Uint8Array {
  if (encoder.encode(name).length > 100) throw new Error(`archive name longer than 100 bytes: ${name}`);
  const header = new Uint8Array(BLOCK);
  field(header, 0, 100, name);
  field(header, 100, 8, octal(0o600, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(size, 12));
  field(header, 136, 12, octal(mtimeSeconds, 12));
  field(header, 148, 8, ' '.repeat(8));
  field(header, 156, 1, '0');
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  field(header, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

export function tarArchive(files: readonly ArchiveFile[], mtimeMs: number): Uint8Array {
  const mtime = Math.floor(mtimeMs / 1000);
  const parts: Uint8Array[] = [];
  for (const file of files) {
    const content = encoder.encode(file.content);
    parts.push(headerOf(file.name, content.length, mtime), content);
    const padding = (BLOCK - (content.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(new Uint8Array(padding));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const archive = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    archive.set(part, offset);
    offset += part.length;
  }
  return archive;
}
