// Where the e2e tests find the real tools and the test cluster. Tests import this module:
//
//   import {testbinPath, testKubeconfig} from './testbin.js';
//   const kubectl = testbinPath('kubectl');
//   const kubeconfig = testKubeconfig();   // inside a test of the e2e project
//
// Binaries are built by test/cluster/build.ts (`npm run testbin`) into a cache keyed by the
// versions pinned in versions.json.
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {binaryDir, binarySpecs} from './build.js';
import {unbuildableReason, usableGoPin} from './versions.js';

const binaryOwners: Record<string, string> = Object.fromEntries(
  binarySpecs.flatMap((spec) => spec.mains.map((main) => [main.bin, spec.name])),
);

export type ToolName = 'kubectl' | 'istioctl' | 'linkerd' | 'helm' | 'etcd' | 'kwok' | 'kube-apiserver'
  | 'kube-controller-manager' | 'kube-scheduler' | 'prometheus' | 'promtool' | 'jaeger' | 'flagger';

/** Absolute path of a pinned binary in the testbin cache (it may not be built yet). */
export function testbinPath(tool: ToolName): string {
  const owner = binarySpecs.find((spec) => spec.name === binaryOwners[tool]);
  if (!owner) throw new Error(`no testbin provides ${tool}`);
  return join(binaryDir(owner), tool);
}

/**
 * Why a pinned tool is not in the cache, for the tests that need it to skip with that reason
 * (`describe.skipIf(reason)`); undefined when it is built.
 */
export function unavailableReason(tool: ToolName): string | undefined {
  if (existsSync(testbinPath(tool))) return undefined;
  const pin = usableGoPin(binaryOwners[tool]!);
  if (!pin) return `versions.json pins no version of ${tool} that can be built`;
  return unbuildableReason(pin) ?? `${tool} is not built (npm run testbin)`;
}

export function kubernetesBinaries() {
  return {
    apiserver: testbinPath('kube-apiserver'),
    controllerManager: testbinPath('kube-controller-manager'),
    scheduler: testbinPath('kube-scheduler'),
  };
}

/** Environment variable through which the e2e global setup (or `npm run cluster:up`) names the cluster. */
export const kubeconfigEnv = 'SPARC_MESH_KUBECONFIG';

/** Kubeconfig of the running test cluster; throws outside the e2e project. */
export function testKubeconfig(): string {
  const kubeconfig = process.env[kubeconfigEnv];
  if (!kubeconfig) {
    throw new Error(`${kubeconfigEnv} is not set: run this test in the e2e project (vitest --project e2e)`);
  }
  return kubeconfig;
}

/** Environment variable through which the e2e global setup names the API server's audit log. */
export const auditLogEnv = 'SPARC_MESH_AUDIT_LOG';

/** The test cluster's audit log (test/cluster/audit-policy.yaml); throws outside the e2e project. */
export function testAuditLog(): string {
  const file = process.env[auditLogEnv];
  if (!file) {
    throw new Error(
      `${auditLogEnv} is not set: run this test in the e2e project (vitest --project e2e), on a cluster started by it or by npm run cluster:up`,
    );
  }
  return file;
}
