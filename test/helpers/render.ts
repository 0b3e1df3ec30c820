// Shared by render tests: the example platform config and a service built from it.
import {readFileSync} from 'node:fs';
import {templateSource} from '../../src/adapters/files/templates.js';
import {isSyntaxError, parseConfigText} from '../../src/core/config/config-file.js';
import {readPlatform} from '../../src/core/config/platform.js';
import type {SpecIssue} from '../../src/core/config/reader.js';
import {resolveService} from '../../src/core/config/service.js';
import type {Mesh, PlatformSpec, ServiceSpec} from '../../src/core/config/types.js';

export const EXAMPLE_CONFIG = new URL('../../examples/sparc-mesh.yaml', import.meta.url);

export function examplePlatform(): PlatformSpec {
  const parsed = parseConfigText(readFileSync(EXAMPLE_CONFIG, 'utf8'));
  if (isSyntaxError(parsed)) throw new Error(parsed.message);
  const issues: SpecIssue[] = [];
  const platform = readPlatform(parsed.data, issues);
  if (issues.length > 0) throw new Error(JSON.stringify(issues));
  return platform;
}

export function service(platform: PlatformSpec, mesh: Mesh, raw: Record<string, unknown>): ServiceSpec {
  const issues: SpecIssue[] = [];
  const context = {mesh, defaultNamespace: 'sparc', platformIngressHosts: platform.ingress.hosts,
    ...(platform.jwt ? {platformJwt: platform.jwt} : {})};
  const spec = resolveService(raw, context, issues);
  if (!spec || issues.length > 0) throw new Error(JSON.stringify(issues));
  return spec;
}

export const builtinTemplates = templateSource(undefined);
