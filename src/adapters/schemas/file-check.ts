// The schema checks of manifest files already read, on their own: what a worker thread does
// beside the main thread, which parses the same bytes for the analysers at the same time
// (reading is the largest phase of validate on a big tree, and the schema checks need
// nothing from the analysers). The objects come out of the same bytes in the same order on
// both threads, so a problem travels back as the index of its object.
import {parseManifestBytes, type ManifestBytes} from '../files/read-manifests.js';
import {notCheckedNotes, type SchemaProblem} from '../../core/schema/index.js';
import {createSchemaChecker} from './index.js';

export interface FileSchemaCheck {
  /** How many objects the files hold: the main thread's count must be the same. */
  objects: number;
  /** Problems by the index of their object; objects without problems are left out. */
  problems: [index: number, problems: SchemaProblem[]][];
  /** What the checks could not judge (CEL rules not checked), as schemaNotes() words it. */
  notes: string[];
}

export async function checkManifestBytes(files: readonly ManifestBytes[]): Promise<FileSchemaCheck> {
  const {objects} = parseManifestBytes(files);
  const checker = createSchemaChecker();
  const problems: FileSchemaCheck['problems'] = [];
  for (const [index, {object}] of objects.entries()) {
    const found = await checker.checkObject(object);
    if (found.length > 0) problems.push([index, found]);
  }
  return {objects: objects.length, problems, notes: notCheckedNotes(checker.notCheckedRules())};
}
