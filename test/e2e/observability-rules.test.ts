// The alert rules observability setup applies, judged by the real promtool built from the
// pinned Prometheus: `promtool check rules` on every rendered rule file, and `promtool test
// rules` with synthetic series, one case where each alert fires and one where it stays quiet.
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {testbinPath, unavailableReason} from '../cluster/testbin.js';
import {DEFAULT_PLATFORM} from '../../src/core/config/platform.js';
import type {Mesh, PlatformSpec} from '../../src/core/config/types.js';
import {alertRules} from '../../src/core/observability/stack.js';

const platform: PlatformSpec = {...structuredClone(DEFAULT_PLATFORM), namespaces: ['sparc'],
  services: [{name: 'api-gateway', namespace: 'sparc'}]};

async function promtool(args: string[]) {
  return execa(testbinPath('promtool'), args, {reject: false, all: true});
}

/** The rule file Prometheus gets from the PrometheusRule: its spec (the groups). */
type Annotations = Record<string, string>;

async function ruleFile(mesh: Mesh, dir: string): Promise<{file: string; annotations: Map<string, Annotations>}> {
  const rule = alertRules(platform, mesh);
  const spec = rule.spec as {groups: {rules: {alert: string; annotations: Annotations}[]}[]};
  const file = join(dir, `${mesh}-rules.yaml`);
  await writeFile(file, yaml.dump(spec));
  return {file,
    annotations: new Map(spec.groups.flatMap((group) => group.rules.map((each) => [each.alert, each.annotations])))};
}

/** An annotation as Prometheus expands it for an alert with these labels (the rules use only `{{ $labels.NAME }}`). */
function expanded(annotations: Annotations, labels: Record<string, string>): Annotations {
  return Object.fromEntries(
    Object.entries(annotations).map((
      [key, text],
    ) => [key, text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_match, name: string) => labels[name] ?? '')]),
  );
}

interface Case {
  alert: string;
  /** Series for the firing case, then the quiet one (same names, healthy values). */
  firing: Record<string, string>;
  quiet: Record<string, string>;
  evalTime: string;
  /** Labels of the firing alert besides `severity`. */
  labels: Record<string, string>;
  severity: 'critical' | 'warning';
}

const FOR_10_DAYS = '864000+0x200';
const FOR_A_YEAR = '31536000+0x200';

function latencyBuckets(metric: string, match: string, slowBucket: string, fastBucket: string) {
  const series = (le: string, values: string) => [`${metric}{${match}, le="${le}"}`, values] as const;
  return {
    slow: Object.fromEntries([series(fastBucket, '0+0x30'), series(slowBucket, '0+100x30'),
      series('+Inf', '0+100x30')]),
    fast: Object.fromEntries([series(fastBucket, '0+100x30'), series(slowBucket, '0+100x30'),
      series('+Inf', '0+100x30')]),
  };
}

const ISTIO_WHO =
  'reporter="destination", destination_service_name="api-gateway", destination_service_namespace="sparc"';
const istioLatency = latencyBuckets('istio_request_duration_milliseconds_bucket', ISTIO_WHO, '2500', '500');

const ISTIO_CASES: Case[] = [
  {alert: 'MeshRequestsDeniedByAuthorization', evalTime: '15m', severity: 'warning',
    firing: {
      'istio_requests_total{reporter="destination", response_code="403", destination_workload_namespace="sparc", destination_workload="api-gateway", source_workload_namespace="sparc", source_workload="web"}':
        '0+10x20',
    },
    quiet: {
      'istio_requests_total{reporter="destination", response_code="200", destination_workload_namespace="sparc", destination_workload="api-gateway", source_workload_namespace="sparc", source_workload="web"}':
        '0+10x20',
    },
    labels: {destination_workload_namespace: 'sparc', destination_workload: 'api-gateway',
      source_workload_namespace: 'sparc', source_workload: 'web'}},
  {alert: 'MeshPlaintextTrafficWhereStrict', evalTime: '15m', severity: 'critical',
    firing: {
      'istio_requests_total{reporter="destination", connection_security_policy="none", destination_workload_namespace="sparc", destination_workload="api-gateway"}':
        '0+10x20',
    },
    quiet: {
      'istio_requests_total{reporter="destination", connection_security_policy="mutual_tls", destination_workload_namespace="sparc", destination_workload="api-gateway"}':
        '0+10x20',
    }, labels: {destination_workload_namespace: 'sparc', destination_workload: 'api-gateway'}},
  {alert: 'MeshControlPlaneDown', evalTime: '15m', severity: 'critical', firing: {'up{job="istiod"}': '0x20'},
    quiet: {'up{job="istiod"}': '1x20'}, labels: {}},
  {alert: 'MeshRootCertificateExpiring', evalTime: '2h', severity: 'critical',
    firing: {citadel_server_root_cert_expiry_timestamp: FOR_10_DAYS},
    quiet: {citadel_server_root_cert_expiry_timestamp: FOR_A_YEAR}, labels: {}},
  {alert: 'ErrorBudgetBurnApiGateway', evalTime: '70m', severity: 'critical',
    firing: {[`istio_requests_total{${ISTIO_WHO}, response_code="500"}`]: '0+10x120',
      [`istio_requests_total{${ISTIO_WHO}, response_code="200"}`]: '0+90x120'},
    quiet: {[`istio_requests_total{${ISTIO_WHO}, response_code="500"}`]: '0+0x120',
      [`istio_requests_total{${ISTIO_WHO}, response_code="200"}`]: '0+90x120'}, labels: {}},
  {alert: 'LatencyP99ApiGateway', evalTime: '25m', severity: 'warning', firing: istioLatency.slow,
    quiet: istioLatency.fast, labels: {}},
];

const LINKERD_WHO = 'direction="inbound", namespace="sparc", app="api-gateway"';
const linkerdLatency = latencyBuckets('response_latency_ms_bucket', LINKERD_WHO, '2000', '500');

const LINKERD_CASES: Case[] = [
  {alert: 'MeshRequestsDeniedByAuthorization', evalTime: '15m', severity: 'warning',
    firing: {
      'inbound_http_authz_deny_total{namespace="sparc", deployment="api-gateway", srv_name="api-gateway"}': '0+10x20',
    },
    quiet: {
      'inbound_http_authz_deny_total{namespace="sparc", deployment="api-gateway", srv_name="api-gateway"}': '0+0x20',
    }, labels: {namespace: 'sparc', deployment: 'api-gateway', srv_name: 'api-gateway'}},
  {alert: 'MeshConnectionsDeniedByAuthorization', evalTime: '15m', severity: 'warning',
    firing: {'inbound_tcp_authz_deny_total{namespace="sparc", deployment="database", srv_name="database"}': '0+10x20'},
    quiet: {'inbound_tcp_authz_deny_total{namespace="sparc", deployment="database", srv_name="database"}': '0+0x20'},
    labels: {namespace: 'sparc', deployment: 'database', srv_name: 'database'}},
  {alert: 'MeshPlaintextTrafficWhereStrict', evalTime: '15m', severity: 'critical',
    firing: {
      'request_total{direction="inbound", namespace="sparc", deployment="api-gateway", tls="no_identity"}': '0+10x20',
    },
    quiet: {'request_total{direction="inbound", namespace="sparc", deployment="api-gateway", tls="true"}': '0+10x20'},
    labels: {namespace: 'sparc', deployment: 'api-gateway'}},
  {alert: 'MeshControlPlaneDown', evalTime: '15m', severity: 'critical',
    firing: {'up{job="linkerd-control-plane"}': '0x20'}, quiet: {'up{job="linkerd-control-plane"}': '1x20'},
    labels: {}},
  {alert: 'MeshIssuerCertificateExpiring', evalTime: '2h', severity: 'critical',
    firing: {identity_cert_expiration_timestamp_seconds: FOR_10_DAYS},
    quiet: {identity_cert_expiration_timestamp_seconds: FOR_A_YEAR}, labels: {}},
  {alert: 'ErrorBudgetBurnApiGateway', evalTime: '70m', severity: 'critical',
    firing: {[`response_total{${LINKERD_WHO}, classification="failure"}`]: '0+10x120',
      [`response_total{${LINKERD_WHO}, classification="success"}`]: '0+90x120'},
    quiet: {[`response_total{${LINKERD_WHO}, classification="failure"}`]: '0+0x120',
      [`response_total{${LINKERD_WHO}, classification="success"}`]: '0+90x120'}, labels: {}},
  {alert: 'LatencyP99ApiGateway', evalTime: '25m', severity: 'warning', firing: linkerdLatency.slow,
    quiet: linkerdLatency.fast, labels: {}},
];

const CASES: Record<Mesh, Case[]> = {istio: ISTIO_CASES, linkerd: LINKERD_CASES};

/** promtool's unit-test file: per case, a firing test group and a quiet one. */
function unitTests(ruleFileName: string, cases: readonly Case[], annotations: Map<string, Annotations>) {
  const group = (series: Record<string, string>, testCase: Case, fires: boolean) => ({
    interval: '1m',
    input_series: Object.entries(series).map(([name, values]) => ({series: name, values})),
    alert_rule_test: [{eval_time: testCase.evalTime, alertname: testCase.alert,
      exp_alerts: fires
        ? [{exp_labels: {severity: testCase.severity, ...testCase.labels},
          exp_annotations: expanded(annotations.get(testCase.alert)!, testCase.labels)}]
        : []}],
  });
  return {
    rule_files: [ruleFileName],
    tests: cases.flatMap((
      testCase,
    ) => [group(testCase.firing, testCase, true), group(testCase.quiet, testCase, false)]),
  };
}

describe.skipIf(unavailableReason('promtool'))('alert rules under the real promtool', () => {
  for (const mesh of ['istio', 'linkerd'] as const) {
    it(`${mesh}: every rule passes promtool check rules`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-rules-'));
      const {file} = await ruleFile(mesh, dir);
      const checked = await promtool(['check', 'rules', file]);
      expect(checked.all).toContain('SUCCESS');
      expect(checked.exitCode).toBe(0);
    });

    it(`${mesh}: each alert fires on series that should fire it and stays quiet on healthy ones`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-rules-'));
      const {file, annotations} = await ruleFile(mesh, dir);
      // Every alert has its cases: a new rule without a test fails here.
      expect(new Set(CASES[mesh].map((testCase) => testCase.alert))).toEqual(new Set(annotations.keys()));
      const tests = join(dir, `${mesh}-tests.yaml`);
      await writeFile(tests, yaml.dump(unitTests(file, CASES[mesh], annotations), {lineWidth: -1}));
      const result = await promtool(['test', 'rules', tests]);
      expect(result.all).toContain('SUCCESS');
      expect(result.exitCode).toBe(0);
    });
  }
});
