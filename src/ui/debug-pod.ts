// `debug pod` output: a report in sections for people, the same content as JSON or YAML.
// Every finding shows its fix, from the catalogue of its code.
import yaml from 'js-yaml';
import type {PodReport} from '../core/debug/pod-report.js';
import type {RuleDoc} from '../core/analyze/types.js';
import {displayName} from '../core/objects.js';
import {escapeControl} from '../core/terminal-text.js';
import {toDocument, type FindingsDocument} from './findings/json.js';
import {summaryLine} from './findings/table.js';

export const DEBUG_POD_FORMATS = ['table', 'json', 'yaml'] as const;
export type DebugPodFormat = (typeof DEBUG_POD_FORMATS)[number];

export type PodReportDocument = Omit<PodReport, 'report'> & {findings: FindingsDocument};

export function podReportDocument(report: PodReport): PodReportDocument {
  const {report: findings, ...rest} = report;
  return {...rest, findings: toDocument(findings)};
}

/** Past this many, the table counts denied callers instead of listing them. */
const SHOWN_DENIED_CALLS = 10;

function section(lines: string[], title: string, body: readonly string[], empty: string): void {
  lines.push(title);
  lines.push(...(body.length > 0 ? body : [empty]).map((line) => `  ${escapeControl(line)}`));
  lines.push('');
}

function proxyLines(report: PodReport): string[] {
  const {proxy, phase, ready, node} = report.status;
  const lines = [`phase ${phase}, ${ready ? 'Ready' : 'not Ready'}${node ? `, node ${node}` : ''}`];
  if (proxy.mesh === 'none') lines.push('proxy: none');
  else {
    lines.push(
      `proxy: ${proxy.container ?? ''} (${proxy.mesh}) ${proxy.running ? 'running' : 'not running'}, ${
        proxy.ready ? 'ready' : 'not ready'
      }, version ${proxy.version ?? 'unknown'}, control plane ${proxy.controlPlaneVersion ?? 'not found'}`,
    );
  }
  lines.push(
    `service account ${report.identity.serviceAccount}${
      report.identity.principal ? `, identity ${report.identity.principal}` : ''
    }`,
  );
  if (report.mtls) {
    const by = report.mtls.decidedBy
      ? `PeerAuthentication ${report.mtls.decidedBy.namespace ?? ''}/${report.mtls.decidedBy.name}`
      : "Istio's default";
    lines.push(
      `mTLS ${report.mtls.mode} (${report.mtls.level} level, ${by})${
        report.mtls.ports.map((port) => `, port ${port.port}: ${port.mode}`).join('')
      }`,
    );
  }
  return lines;
}

/** The live Envoy in brief: counts, clusters with circuit breakers or outlier detection, endpoints not healthy. */
function sidecarLines(report: PodReport): string[] {
  const config = report.proxyConfig;
  if (!config) return [`not read: ${report.proxyConfigUnavailable ?? 'unknown'}`];
  return [
    `${config.listeners.length} listener filter chains, ${config.routes.length} routes, ${config.clusters.length} clusters, ${config.endpoints.length} endpoints (sparc-mesh debug proxy-config all ${report.pod.name} -n ${
      report.pod.namespace ?? ''
    })`,
    ...config.clusters.filter((cluster) => cluster.outlierDetection || cluster.destinationRule).map((cluster) =>
      `cluster ${cluster.name}: ${cluster.circuitBreakers || 'default circuit breakers'}${
        cluster.outlierDetection ? ', outlier detection on' : ''
      }`
    ),
    ...config.endpoints.filter((endpoint) => endpoint.status !== 'HEALTHY').map((endpoint) =>
      `endpoint ${endpoint.endpoint} of ${endpoint.cluster}: ${endpoint.status}`
    ),
  ];
}

function fixOf(code: string, rules: readonly RuleDoc[]): string[] {
  const fix = rules.find((rule) => rule.code === code)?.fix;
  return fix ? fix.split('\n').map((line, index) => `${index === 0 ? 'fix: ' : '     '}${line}`) : [];
}

export function renderPodReport(format: DebugPodFormat, report: PodReport, rules: readonly RuleDoc[]): string {
  if (format === 'json') return `${JSON.stringify(podReportDocument(report), null, 2)}\n`;
  if (format === 'yaml') return yaml.dump(podReportDocument(report), {noRefs: true, lineWidth: -1, sortKeys: false});
  const lines: string[] = [`Pod ${report.pod.namespace ?? ''}/${report.pod.name}`, ''];
  section(lines, 'Status', proxyLines(report), '');
  section(lines, 'Containers',
    report.status.containers.map((container) =>
      `${container.name}: ${container.state}, ${
        container.ready ? 'ready' : 'not ready'
      }, ${container.restarts} restarts${container.lastTermination ? ` (last: ${container.lastTermination})` : ''}`
    ), 'no container status yet');
  section(lines, 'Services', report.services.map((service) => service.name), 'no Service selects the pod');
  const policy = (
    entry: PodReport['authorization'][number],
  ) => [`${displayName(entry.resource)} ${entry.action}`, ...entry.rules.map((rule) => `  ${rule}`)];
  section(lines, 'Authorization', report.authorization.flatMap(policy), 'no authorization policy selects the pod');
  section(lines, 'NetworkPolicies', report.networkPolicies.flatMap(policy), 'no NetworkPolicy isolates the pod');
  section(lines, 'Traffic rules',
    report.traffic.flatMap((
      rule,
    ) => [`${displayName(rule.resource)} (${rule.host})`, ...rule.settings.map((line) => `  ${line}`),
      ...rule.subsets.map((subset) =>
        `  subset ${subset.name}: ${subset.selectsPods ? 'selects pods' : 'selects NO pod'}`
      )]
    ), 'no DestinationRule or route applies');
  const denied = report.deniedCalls.slice(0, SHOWN_DENIED_CALLS).map((edge) =>
    `${edge.from} → ${edge.to}:${edge.port} ${edge.verdict}: ${
      edge.reasons.filter((reason) => reason.effect === 'deny').map((reason) => reason.message).join('; ')
    }`
  );
  if (report.deniedCalls.length > SHOWN_DENIED_CALLS) {
    denied.push(`and ${report.deniedCalls.length - SHOWN_DENIED_CALLS} more (-o json lists them all)`);
  }
  section(lines, 'Denied callers in the namespace', denied, 'none');
  section(lines, 'Sidecar configuration', sidecarLines(report), '');
  section(lines, 'Recent events',
    report.events.map((event) =>
      `${event.lastSeen} ${event.type} ${event.reason}${event.count > 1 ? ` (x${event.count})` : ''}: ${event.message}`
    ), 'none');
  lines.push('Findings');
  for (const finding of report.report.findings) {
    lines.push(
      `  ${finding.severity.padEnd(7)} ${finding.code.padEnd(7)} ${
        finding.resource ? `${displayName(finding.resource)}: ` : ''
      }${escapeControl(finding.message)}`,
    );
    lines.push(...fixOf(finding.code, rules).map((line) => `                  ${escapeControl(line)}`));
  }
  lines.push(report.report.findings.length === 0 ? '  none: the pod looks healthy' : '');
  lines.push(summaryLine(report.report.summary));
  return `${lines.join('\n')}\n`;
}
