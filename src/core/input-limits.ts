// What any reader of user input accepts, so that no input can keep a run busy or eat the
// machine's memory: a file's size, all input together, the number of files, and the shape
// of a parsed YAML document. YAML aliases make a small text stand for a huge tree (js-yaml
// shares the aliased node, but every walk over the tree pays for each use), so the shape
// is measured as the tree a walker sees: every alias use counted again.
// The values are generous for manifests: the API server itself refuses a request body over
// 3 MiB, and kubectl's own limit on nesting is far below 100 levels in practice.

const MIB = 1024 * 1024;

export interface InputLimits {
  fileBytes: number;
  totalBytes: number;
  files: number;
  nodes: number;
  depth: number;
}

export const INPUT_LIMITS: Readonly<InputLimits> = {
  /** Bytes of one file or of standard input. */
  fileBytes: 16 * MIB,
  /** Bytes of all files and standard input of one run together. */
  totalBytes: 64 * MIB,
  /** Files read below the folders of one run. */
  files: 20_000,
  /** Nodes of one document as a walker sees it (aliases expanded). */
  nodes: 1_000_000,
  /** Nesting of collections in one document. */
  depth: 100,
};

function mebibytes(bytes: number): string {
  return bytes < MIB ? `${Math.ceil(bytes / 1024)} KiB` : `${Math.round((bytes / MIB) * 10) / 10} MiB`;
}

/** Why a file of `bytes` may not be read, or undefined when it may. */
export function fileSizeProblem(bytes: number, limits: Pick<InputLimits, 'fileBytes'> = INPUT_LIMITS): string
  | undefined
{
  return bytes > limits.fileBytes
    ? `is ${mebibytes(bytes)}, over the limit of ${mebibytes(limits.fileBytes)} for one input`
    : undefined;
}

/** Why the run's input may not grow to `bytes`, or undefined when it may. */
export function totalSizeProblem(bytes: number, limits: Pick<InputLimits, 'totalBytes'> = INPUT_LIMITS): string
  | undefined
{
  return bytes > limits.totalBytes
    ? `brings the input to ${mebibytes(bytes)}, over the limit of ${mebibytes(limits.totalBytes)} for one run`
    : undefined;
}

/** Why a run may not read `count` files, or undefined when it may. */
export function fileCountProblem(count: number, limits: Pick<InputLimits, 'files'> = INPUT_LIMITS): string | undefined {
  return count > limits.files ? `holds more than ${limits.files} manifest files, the limit for one run` : undefined;
}

/**
 * Why a parsed document may not be analysed (too many nodes once aliases are expanded, or
 * too deep), or undefined when it may. Stops walking as soon as a limit is passed, so the
 * check itself is bounded by the limits.
 */
export function documentShapeProblem(value: unknown, limits: Pick<InputLimits, 'nodes' | 'depth'> = INPUT_LIMITS):
  | string
  | undefined
{
  let nodes = 0;
  // An explicit stack keeps the walk off the call stack, whatever the depth.
  const stack: Array<{value: unknown; depth: number}> = [{value, depth: 0}];
  while (stack.length > 0) {
    const {value: node, depth} = stack.pop() as {value: unknown; depth: number};
    if (++nodes > limits.nodes) return `expands to more than ${limits.nodes} nodes (YAML aliases used many times?)`;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limits.depth) return `nests deeper than ${limits.depth} levels`;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) stack.push({value: child, depth: depth + 1});
  }
  return undefined;
}

/**
 * Why a text nests flow collections (`[`, `{`) deeper than the depth limit, checked before a
 * parser sees it: the yaml package takes quadratic time on deep nesting. Quoted text is
 * skipped roughly (a quote opens only after a space, `:` or an indicator), which keeps
 * ordinary configs, whose nesting is a few levels, well clear of the limit.
 */
export function flowDepthProblem(text: string, limits: Pick<InputLimits, 'depth'> = INPUT_LIMITS): string | undefined {
  let depth = 0;
  let quote = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (quote) {
      if (char === quote || char === '\n') quote = '';
      continue;
    }
    if (char === '"' || char === "'") {
      const before = text[index - 1];
      if (before === undefined || ' :[{,\n'.includes(before)) quote = char;
    } else if (char === '[' || char === '{') {
      if (++depth > limits.depth) return `nests deeper than ${limits.depth} levels`;
    } else if ((char === ']' || char === '}') && depth > 0) depth--;
  }
  return undefined;
}
