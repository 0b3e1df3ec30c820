// A multi-document YAML stream as a tool prints it (`linkerd install`), as objects: empty
// documents dropped, and anything that is not a Kubernetes object named with its place.
import yaml from 'js-yaml';
import {isKubeObject, type KubeObject} from './objects.js';

export function parseManifestStream(text: string, source: string): KubeObject[] {
  const documents = yaml.loadAll(text, undefined, {filename: source}).filter((document) =>
    document !== null && document !== undefined
  );
  return documents.map((document, index) => {
    if (!isKubeObject(document)) {
      throw new Error(
        `${source}: document ${index + 1} is not a Kubernetes object (apiVersion, kind and metadata.name expected)`,
      );
    }
    return document;
  });
}
