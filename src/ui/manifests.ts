// Printing rendered objects: a multi-document YAML stream, or a `v1 List` as kubectl prints it.
import yaml from 'js-yaml';
import type {KubeObject} from '../core/objects.js';

export function toYamlDocument(object: KubeObject): string {
  return yaml.dump(object, {noRefs: true, lineWidth: -1, quotingType: '"'});
}

export function toYamlStream(objects: readonly KubeObject[]): string {
  return objects.map((object) => `---\n${toYamlDocument(object)}`).join('');
}

export function toJsonList(objects: readonly KubeObject[]): string {
  return `${
    JSON.stringify({apiVersion: 'v1', kind: 'List', metadata: {resourceVersion: ''}, items: objects}, null, 2)
  }\n`;
}
