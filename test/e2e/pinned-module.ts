// The source directory of a module pinned in versions.json, from Go's module cache (fetched
// from the Go module proxy when missing): where e2e tests read upstream CRDs and charts in
// place, as they ship in the release the project pins.
import {execFileSync} from 'node:child_process';
import versions from '../../versions.json' with {type: 'json'};

const GO = '/usr/local/go/bin/go';

export function pinnedModuleDir(pin: 'istio' | 'flagger' | 'gatewayApi' | 'kwok'): string {
  const {module, version} = versions.go[pin];
  return (JSON.parse(execFileSync(GO, ['mod', 'download', '-json', `${module}@${version}`], {encoding: 'utf8'})) as {
    Dir: string;
  }).Dir;
}
