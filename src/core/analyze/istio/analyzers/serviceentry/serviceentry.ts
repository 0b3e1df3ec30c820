// Analysers of ServiceEntries: TCP ports without a virtual IP, and the same host and
// port declared with different protocols by entries that see each other.
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {isExportedToAll} from '../../query/exportto.js';
import {asArray, asInteger, asRecord, asString, asStrings, at, nameOf, namespaceOf,
  specOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {NETWORKING_GROUP} from '../../query/lookup.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

function serviceEntries(ctx: IstioContext): SourcedObject[] {
  return ctx.byKind('ServiceEntry', NETWORKING_GROUP);
}

/** Sidecars allocate addresses themselves only when DNS capture and auto-allocation are both on. */
function proxiesAllocateAddresses(meshConfig: Record<string, unknown>): boolean {
  const metadata = asRecord(at(meshConfig, 'defaultConfig', 'proxyMetadata')) ?? {};
  if (metadata.ISTIO_META_DNS_CAPTURE !== 'true') return false;
  return metadata.ISTIO_META_DNS_AUTO_ALLOCATE === 'true' || metadata.PILOT_ENABLE_IP_AUTOALLOCATE === 'true';
}

const protocolAddresses: IstioAnalyzer = {
  name: 'serviceentry.ProtocolAddressesAnalyzer',
  description: 'TCP ServiceEntries without addresses.',
  inputs: [...kinds(NETWORKING_GROUP, 'ServiceEntry')],
  codes: [msg.ServiceEntryAddressesRequired],
  analyze(ctx) {
    if (proxiesAllocateAddresses(ctx.meshConfig.raw)) return [];
    return serviceEntries(ctx).flatMap((entry) => {
      const spec = specOf(entry.object);
      // An address in status means the control plane already allocated one.
      if (spec.addresses !== undefined || asArray(at(entry.object, 'status', 'addresses')).length > 0) return [];
      return asArray(spec.ports).flatMap((port, index) => {
        const protocol = asString(at(port, 'protocol')) ?? '';
        if (protocol !== '' && protocol.toUpperCase() !== 'TCP') return [];
        return [
          istioFinding(msg.ServiceEntryAddressesRequired, entry,
            `Port ${
              asInteger(at(port, 'number')) ?? `#${index}`
            } is TCP (or has no protocol) but the entry has no addresses; sidecars cannot tell its traffic apart. Add spec.addresses or enable address auto-allocation.`,
            ['spec', 'ports', index, 'name']),
        ];
      });
    });
  },
};

function fullName(target: SourcedObject): string {
  return `${namespaceOf(target.object)}/${nameOf(target.object)}`;
}

interface PortClaim {
  protocol: string;
  entry: SourcedObject;
}

const conflictingProtocol: IstioAnalyzer = {
  name: 'serviceentry.ConflictingServiceEntryProtocolAnalyzer',
  description: 'ServiceEntries that give one host and port different protocols.',
  inputs: [...kinds(NETWORKING_GROUP, 'ServiceEntry')],
  codes: [msg.ConflictingServiceEntryProtocol],
  analyze(ctx) {
    const claims = new Map<string, {scope: string; host: string; port: number; claims: PortClaim[]}>();
    for (const entry of serviceEntries(ctx)) {
      const spec = specOf(entry.object);
      const scopes = isExportedToAll(spec.exportTo)
        ? ['*']
        : [...new Set(asStrings(spec.exportTo).map((scope) => (scope === '.' ? namespaceOf(entry.object) : scope)))];
      for (const scope of scopes) {
        for (const host of asStrings(spec.hosts)) {
          for (const port of asArray(spec.ports)) {
            const number = asInteger(at(port, 'number')) ?? 0;
            const key = `${scope}\u0000${host}\u0000${number}`;
            const slot = claims.get(key) ?? {scope, host, port: number, claims: []};
            slot.claims.push({protocol: (asString(at(port, 'protocol')) ?? '').toUpperCase(), entry});
            claims.set(key, slot);
          }
        }
      }
    }
    const reported = new Set<SourcedObject>();
    const findings: Finding[] = [];
    for (const slot of claims.values()) {
      // Entries visible in one namespace also meet the mesh-wide ones for the same host and port.
      const meshWide = slot.scope === '*' ? [] : claims.get(`*\u0000${slot.host}\u0000${slot.port}`)?.claims ?? [];
      const all = [...slot.claims, ...meshWide];
      const protocols = [...new Set(all.map((claim) => claim.protocol))].sort();
      if (protocols.length < 2) continue;
      const names = [...new Set(all.map((claim) => fullName(claim.entry)))].sort().join(', ');
      for (const {entry} of all) {
        if (reported.has(entry)) continue;
        reported.add(entry);
        findings.push(
          istioFinding(msg.ConflictingServiceEntryProtocol, entry,
            `ServiceEntries ${names} declare ${slot.host}:${slot.port} with different protocols (${
              protocols.join(', ')
            }); only one can apply.`),
        );
      }
    }
    return findings;
  },
};

export const serviceEntryAnalyzers: IstioAnalyzer[] = [protocolAddresses, conflictingProtocol];
