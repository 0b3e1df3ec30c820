// A POSIX ustar archive of regular files, as bytes: what `debug bundle` packs before gzip.
// Pure (no file system): names, contents and a fixed modification time in, bytes out.

export interface ArchiveFile {
  /** A relative path with `/` separators; one longer than ustar's 100 bytes goes in a pax header before it. */
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

const NAME_BYTES = 100;

/** A header block; `type` '0' is a regular file, 'x' the pax extended header of the file after it. */
function headerOf(name: string, size: number, mtimeSeconds: number, type: '0' | 'x' = '0'): Uint8Array {
  const header = new Uint8Array(BLOCK);
  field(header, 0, NAME_BYTES, name);
  field(header, 100, 8, octal(0o600, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(size, 12));
  field(header, 136, 12, octal(mtimeSeconds, 12));
  field(header, 148, 8, ' '.repeat(8));
  field(header, 156, 1, type);
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  field(header, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** A pax record, `LENGTH path=NAME\n`, whose length counts its own digits. */
function paxPath(name: string): Uint8Array {
  const rest = encoder.encode(` path=${name}\n`).length;
  let length = rest + 1;
  while (String(length).length + rest !== length) length = String(length).length + rest;
  return encoder.encode(`${length} path=${name}\n`);
}

export function tarArchive(files: readonly ArchiveFile[], mtimeMs: number): Uint8Array {
  const mtime = Math.floor(mtimeMs / 1000);
  const parts: Uint8Array[] = [];
  const entry = (header: Uint8Array, content: Uint8Array) => {
    parts.push(header, content);
    const padding = (BLOCK - (content.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(new Uint8Array(padding));
  };
  for (const file of files) {
    const content = encoder.encode(file.content);
    if (encoder.encode(file.name).length > NAME_BYTES) {
      const record = paxPath(file.name);
      entry(headerOf('PaxHeader', record.length, mtime, 'x'), record);
    }
    entry(headerOf(file.name, content.length, mtime), content);
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
