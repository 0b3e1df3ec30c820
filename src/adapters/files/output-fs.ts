// The file-system calls --output-dir makes, as one boundary: node:fs in use, and in tests a
// copy whose calls can be told to fail (a full disk half-way through a write).
import * as nodeFs from 'node:fs';

export type OutputFs = Pick<typeof nodeFs,
  'statSync' | 'statfsSync' | 'realpathSync' | 'readdirSync' | 'openSync' | 'readSync' | 'closeSync' | 'mkdirSync'
    | 'writeFileSync' | 'renameSync' | 'rmSync' | 'rmdirSync'>;

export const realFs: OutputFs = nodeFs;
