// Where the CLI's lines go. Node creates process.stdout and process.stderr on first use, and
// creating one loads Node's stream modules (with net and tty for a pipe or a terminal): about
// a tenth of a short command's start-up, for a dry run that prints its manifests and a note.
// So, once the CLI's entry enables it, a line is written straight to file descriptor 1 or 2
// while nothing has created that stream. As soon as something does (oclif's help, a prompt, a
// progress display), every later line goes through the stream, so output stays in order even
// where a stream writes asynchronously (pipes on macOS). Without the entry (tests running a
// command in-process, spying on the streams), lines always go through the streams.
import {fstatSync, writeSync} from 'node:fs';
import {format} from 'node:util';

type StreamName = 'stdout' | 'stderr';
const DESCRIPTOR: Readonly<Record<StreamName, number>> = {stdout: 1, stderr: 2};

/** Which streams exist. Kept on globalThis: every bundle of the CLI holds its own copy of this module. */
interface DirectStdio {
  created: Set<StreamName>;
}
const STATE = Symbol.for('sparc-mesh.direct-stdio');
const state = () => (globalThis as {[STATE]?: DirectStdio})[STATE];

/** A closed pipe (`sparc-mesh ... | head`) ends the output, not the command: oclif's handler, attached when stdout is created. */
function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error?.code !== 'EPIPE') throw error;
}

/** Turns direct writing on for this process: the CLI's entry calls it before anything prints. */
export function enableDirectStdio(): void {
  const direct: DirectStdio = {created: new Set()};
  for (const name of ['stdout', 'stderr'] as const) {
    const node = Object.getOwnPropertyDescriptor(process, name);
    if (!node?.get || !node.configurable) {
      direct.created.add(name);
      continue;
    }
    const create = node.get;
    // Node's own getter comes back on first use: after that, process[name] costs what it always did.
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: node.enumerable,
      get() {
        Object.defineProperty(process, name, node);
        direct.created.add(name);
        const stream = create.call(process) as NodeJS.WriteStream;
        if (name === 'stdout') stream.on('error', ignoreClosedPipe);
        return stream;
      },
    });
  }
  (globalThis as {[STATE]?: DirectStdio})[STATE] = direct;
}

/** Whether `name` has been created, or may have been: direct writing is off. */
function created(direct: DirectStdio | undefined, name: StreamName): boolean {
  return !direct || direct.created.has(name);
}

/**
 * Ends the process when a command has finished and its output is written. Left to itself, Node
 * first tears down the environment and the heap: several milliseconds that a short command does
 * not need (tsc ends the same way). A stream still holding lines (a pipe on macOS is written
 * asynchronously) is left to Node, whose own exit waits for it.
 */
export function exitUnlessWriting(): void {
  const direct = state();
  const writing = (['stdout', 'stderr'] as const).some((name) =>
    created(direct, name) && process[name].writableLength > 0
  );
  if (!writing) process.exit();
}

function errorCode(error: unknown): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function write(name: StreamName, text: string): void {
  const direct = state();
  if (created(direct, name)) {
    process[name].write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(DESCRIPTOR[name], bytes, written);
  } catch (error) {
    // The reader has gone (`| head`): nothing more is wanted, as oclif treats EPIPE on stdout.
    if (errorCode(error) === 'EPIPE') return;
    // Anything else goes to the stream, which handles it as Node always has: it waits on a
    // non-blocking descriptor that is full (EAGAIN), discards output to a closed one (EBADF).
    process[name].write(bytes.subarray(written));
  }
}

/** Writes to standard output as console.log would (util.format of the parts). */
export function printLine(message = '', ...parts: unknown[]): void {
  write('stdout', `${format(message, ...parts)}\n`);
}

/** Writes to standard error as console.error would. */
export function printErrorLine(message = '', ...parts: unknown[]): void {
  write('stderr', `${format(message, ...parts)}\n`);
}

/** Writes text to standard output as it is. */
export function printText(text: string): void {
  write('stdout', text);
}

/**
 * Whether a descriptor is a terminal. A terminal is a character device: asking that first spares
 * loading tty (and net with it) for a file or a pipe.
 */
function isTerminalDescriptor(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice() && process.getBuiltinModule('node:tty').isatty(fd);
  } catch {
    return false; // closed
  }
}

/** Whether a stream is a terminal, answered without creating it when it does not exist yet. */
export function isTerminal(name: StreamName | 'stdin'): boolean {
  const direct = state();
  if (name !== 'stdin' && !created(direct, name)) return isTerminalDescriptor(DESCRIPTOR[name]);
  return Boolean(process[name].isTTY);
}
