// What the validate actions need from the outside world: the shared action dependencies
// they use (a cluster connection) and their own (files, schemas, timing), so tests can
// swap any of them.
import {readTextWithin} from '../../adapters/files/limited-read.js';
import {readManifests, type ManifestSet, type ReadOptions} from '../../adapters/files/read-manifests.js';
import {assertSomeKubeconfig} from '../../adapters/kube/kubeconfig.js';
import type {Analyzer} from '../../core/analyze/types.js';
import type {KubeObject} from '../../core/objects.js';
import {loadCertificateReader} from '../../adapters/certs/x509.js';
import type {ReadCertificateValidity} from '../../core/analyze/istio/context.js';
import {checkEach, schemaNotes} from '../../adapters/schemas/index.js';
import type {SchemaProblem} from '../../core/schema/index.js';
import type {ActionDeps} from '../deps.js';
import type {PhaseTimer} from '../timings.js';

export interface ValidateDeps extends Pick<ActionDeps, 'connect' | 'now'> {
  readManifests: (paths: readonly string[], options?: ReadOptions) => Promise<ManifestSet>;
  readText: (file: string) => Promise<string>;
  /** Each object's schema problems, in the order given. */
  checkSchemas: (objects: readonly KubeObject[]) => Promise<SchemaProblem[][]>;
  /** After the schema checks: what they could not judge (CEL rules not checked), printed once. */
  schemaNotes: () => string[];
  /** Loads the X.509 reader the gateway certificate checks use (a heavy module, so on demand). */
  loadCertificateReader: () => Promise<ReadCertificateValidity>;
  /** Replaces the analysers (tests); by default every analyser sparc-mesh has. */
  analyzers?: (meshConfig: Record<string, unknown> | undefined) => Analyzer[];
  /** Times each phase (`SPARC_MESH_TIMING=1`); by default nothing is timed. */
  time?: PhaseTimer;
}

/**
 * The real dependencies around the run's cluster connection (the base command's), which
 * first says plainly when there is no kubeconfig at all: a file-less run means the cluster.
 */
export function validateDeps(deps: Pick<ActionDeps, 'connect' | 'now'>): ValidateDeps {
  return {
    readManifests,
    connect: (connection) => {
      assertSomeKubeconfig(connection,
        'pass --kubeconfig FILE, or give manifest paths to analyse files instead of a cluster');
      return deps.connect(connection);
    },
    readText: async (file) => readTextWithin(file),
    checkSchemas: checkEach,
    schemaNotes,
    now: deps.now,
    loadCertificateReader,
  };
}
