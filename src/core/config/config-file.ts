// sparc-mesh.yaml text → plain data, plus a way back from a value's path to its line,
// so that a bad setting is reported as `sparc-mesh.yaml:12: services[0].ports[0].port ...`.
import {LineCounter, isCollection, parseDocument} from 'yaml';

export interface ConfigDocument {
  data: unknown;
  /** The 1-based line of the value at `path` (or of its nearest existing parent). */
  lineOf(path: string): number | undefined;
}

export interface ConfigSyntaxError {
  line: number;
  message: string;
}

function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] === undefined ? match[1]! : Number(match[2]));
  }
  return segments;
}

export function parseConfigText(text: string): ConfigDocument | ConfigSyntaxError {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {lineCounter, prettyErrors: false});
  const firstError = document.errors[0];
  if (firstError) {
    const offset = firstError.pos[0];
    return {line: lineCounter.linePos(offset).line, message: firstError.message.split('\n')[0] ?? firstError.message};
  }
  return {
    data: document.toJS(),
    lineOf(path: string) {
      const segments = pathSegments(path);
      for (let length = segments.length; length >= 0; length--) {
        const node = length === 0 ? document.contents : document.getIn(segments.slice(0, length), true);
        const range = (node as {range?: [number, number, number]} | undefined)?.range;
        if (range && (length === segments.length || isCollection(node))) return lineCounter.linePos(range[0]).line;
      }
      return undefined;
    },
  };
}

export function isSyntaxError(result: ConfigDocument | ConfigSyntaxError): result is ConfigSyntaxError {
  return 'message' in result;
}
