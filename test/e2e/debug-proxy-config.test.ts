// The proxy-config summary against the real istioctl on Istio's own config dumps, from
// the pinned istio.io/istio module: every row istioctl prints, this prints, in its order.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {summariseConfigDump, type ProxyConfigSummary} from '../../src/core/debug/envoy-config.js';
import {proxyConfigTable} from '../../src/ui/proxy-config.js';
import {testbinPath} from '../cluster/testbin.js';
import {pinnedModuleDir} from './pinned-module.js';

const DUMPS = ['istioctl/pkg/proxyconfig/testdata/config_dump.json',
  'istioctl/pkg/writer/compare/testdata/configdump.json', 'istioctl/pkg/describe/testdata/describe/http_config.json',
  'istioctl/pkg/writer/envoy/configdump/testdata/endpoint/configdump.json'];

/** A table's rows as words, so that column widths and empty cells do not matter. */
function rows(table: string): string[] {
  return table.trim().split('\n').slice(1).map(words);
}

function words(line: string): string {
  return line.trim().split(/\s+/).join(' ');
}

/** The summary's rows in istioctl's columns (clusters have two more in sparc-mesh's table). */
const ISTIOCTL_COLUMNS = {
  clusters: (summary: ProxyConfigSummary) =>
    summary.clusters.map((row) =>
      words([row.fqdn, row.port, row.subset, row.direction, row.type, row.destinationRule].join(' '))
    ),
  listeners: (summary: ProxyConfigSummary) => rows(proxyConfigTable('listeners', summary)),
  routes: (summary: ProxyConfigSummary) => rows(proxyConfigTable('routes', summary)),
};

function istioctl(part: string, file: string): string {
  try {
    return execFileSync(testbinPath('istioctl'), ['proxy-config', part, '-f', file], {encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']});
  } catch (error) {
    // istioctl exits 1 with "no listeners found" (and the like) for a dump without that part.
    if (/no \w+ found|has no configuration type/.test(String((error as {stderr?: string}).stderr))) return 'HEADER\n';
    throw error;
  }
}

describe('debug proxy-config summary against istioctl proxy-config', () => {
  const root = pinnedModuleDir('istio');
  for (const dump of DUMPS) {
    const file = join(root, dump);
    const summary = summariseConfigDump(JSON.parse(readFileSync(file, 'utf8')));
    for (const part of ['clusters', 'listeners', 'routes'] as const) {
      it(`${part} of ${dump}`, () => {
        expect(ISTIOCTL_COLUMNS[part](summary)).toEqual(rows(istioctl(part, file)));
      });
    }
  }

  it("endpoints of a config dump match istioctl's proxy-config all", () => {
    const file = join(root, DUMPS[0]!);
    const all = istioctl('all', file);
    const endpointTable = all.slice(all.lastIndexOf('\nNAME ') + 1).replaceAll('endpoint/', '');
    const summary = summariseConfigDump(JSON.parse(readFileSync(file, 'utf8')));
    expect(rows(proxyConfigTable('endpoints', summary))).toEqual(rows(endpointTable));
  });
});
