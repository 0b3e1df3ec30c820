// Findings placed on the line of the field they are about, where the file's text shows it.
import type {Finding} from '../../core/analyze/types.js';
import {fieldLines, type FieldLineFinder} from '../../core/field-line.js';
import type {SourcedObject} from '../../core/objects.js';

/**
 * Moves findings that name a field from their object's first line to the field's line,
 * where the file's text shows it. A finding's line is its document's first line until
 * then; the items of a `kind: List` document share that line and keep it (their paths
 * start below the list).
 */
export function atFieldLines(objects: readonly SourcedObject[],
  texts: ReadonlyMap<string, string> | undefined): (findings: Finding[]) => Finding[]
{
  // Objects by file, then by line: a key made of both would be a new string to hash for every object.
  const perDocument = new Map<string, Map<number, number>>();
  for (const {source} of objects) {
    if (!source) continue;
    let lines = perDocument.get(source.file);
    if (!lines) perDocument.set(source.file, lines = new Map());
    lines.set(source.line, (lines.get(source.line) ?? 0) + 1);
  }
  const finders = new Map<string, FieldLineFinder>();
  const finderFor = (file: string): FieldLineFinder | undefined => {
    const text = texts?.get(file);
    if (text === undefined) return undefined;
    if (!finders.has(file)) finders.set(file, fieldLines(text));
    return finders.get(file);
  };
  return (findings) => {
    for (const finding of findings) {
      const {field, file, line} = finding;
      if (!field || file === undefined || line === undefined || perDocument.get(file)?.get(line) !== 1) {
        continue;
      }
      finding.line = finderFor(file)?.(line, field) ?? line;
    }
    return findings;
  };
}
