// Linkerd ships its CRDs as Helm templates. Rendering them would need Helm and values; we
// only need each CRD's group, kind and version schemas, which are plain YAML around a few
// template actions. The transformation, kept small so that it cannot hide a schema:
//   1. a line holding nothing but template actions (`{{- if .Values.x }}`, `{{ end }}`,
//      `{{ include "partials.annotations" . }}`) is dropped: these wrap documents or add
//      labels and annotations;
//   2. an action inside a line (`chart: {{ .Chart.Name }}`) becomes the string `TEMPLATE`.
// Both branches of an if/else survive step 1, so a conditional schema would yield a
// duplicate key, and js-yaml rejects the file: the generator fails loudly rather than
// guessing which branch Helm would pick.
const ACTION = /\{\{-?[\s\S]*?-?\}\}/g;
const ONLY_ACTIONS = /^\s*(\{\{-?[\s\S]*?-?\}\}\s*)+$/;

export function neutraliseHelmTemplate(text: string, path: string): string {
  const lines = text.split('\n').filter((line) => !ONLY_ACTIONS.test(line)).map((line) => line.replace(ACTION, 'TEMPLATE'));
  const kept = lines.join('\n');
  if (kept.includes('{{') || kept.includes('}}')) throw new Error(`${path}: template action spanning lines is not handled`);
  return kept;
}
