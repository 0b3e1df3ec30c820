// Where --output-dir may write: an existing folder, or a path whose missing folders can be
// made below an existing one. The check walks up from the target one path component at a
// time (dirname ends at the root), so it ends on any path, /proc included.
import type {Stats} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {UsageError} from '../../errors.js';
import type {OutputFs} from './output-fs.js';

export interface OutputTarget {
  /** The target folder, absolute; without links when it exists, so that renames into it stay on its file system. */
  dir: string;
  /** Folders that do not exist yet, outermost first; the target itself is last when it is missing. */
  missing: string[];
}

/** Trees of the kernel's own filesystems: writing there changes the running system, or hangs. */
const KERNEL_TREES = ['/proc', '/sys'];

/** statfs f_type of kernel filesystems (linux/magic.h), wherever they are mounted. */
const KERNEL_FILESYSTEMS = new Set([
  0x9f_a0, // proc
  0x62_65_65_72, // sysfs
  0x63_67_72_70, // cgroup2
  0x27_e0_eb, // cgroup
  0x64_62_67_20, // debugfs
  0x74_72_61_63, // tracefs
  0x73_63_66_73, // securityfs
  0x42_49_4e_4d, // binfmt_misc
  0xca_fe_4a_11, // bpf
  0x1c_d1, // devpts
]);

export function refuseOutputDir(path: string, problem: string): UsageError {
  return new UsageError(`--output-dir: ${JSON.stringify(path)} ${problem}`,
    'name a folder, or a path where one can be made', 'InvalidOutputDir');
}

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a folder';
}

/** The path's status, or undefined when nothing is there (ENOTDIR: a file above it, found further up). */
function statIfPresent(fs: OutputFs, path: string): Stats | undefined {
  try {
    return fs.statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw refuseOutputDir(path, `cannot be read: ${(error as Error).message}`);
  }
}

function isKernelPath(fs: OutputFs, existing: string): boolean {
  const real = fs.realpathSync(existing);
  if (KERNEL_TREES.some((tree) => real === tree || real.startsWith(`${tree}/`))) return true;
  return KERNEL_FILESYSTEMS.has(fs.statfsSync(existing).type);
}

/** Checks `dir` without changing anything: exit 2 for a file, a device, a path below a file, or a kernel filesystem. */
export function checkOutputTarget(fs: OutputFs, dir: string): OutputTarget {
  if (!dir) throw refuseOutputDir(dir, 'is empty');
  const target = resolve(dir);
  const missing: string[] = [];
  let path = target;
  let stats = statIfPresent(fs, path);
  while (!stats) {
    missing.unshift(path);
    const parent = dirname(path);
    if (parent === path) throw refuseOutputDir(dir, 'has no existing folder above it');
    path = parent;
    stats = statIfPresent(fs, path);
  }
  if (!stats.isDirectory()) {
    throw refuseOutputDir(dir, path === target ? `is ${kindOf(stats)}` : `is below ${path}, which is ${kindOf(stats)}`);
  }
  if (isKernelPath(fs, path)) {
    throw refuseOutputDir(dir, `is on a kernel filesystem (${fs.realpathSync(path)}), not storage`);
  }
  return {dir: missing.length ? target : fs.realpathSync(target), missing};
}
