import {describe, expect, it} from 'vitest';
import {isSyntaxError, parseConfigText} from '../../../src/core/config/config-file.js';
import {readPlatform} from '../../../src/core/config/platform.js';
import type {SpecIssue} from '../../../src/core/config/reader.js';
import * as rule from '../../../src/core/config/checks.js';
import {parseCaller, protocolFromPortName, resolveService} from '../../../src/core/config/service.js';

const context = {mesh: 'istio' as const, defaultNamespace: 'sparc'};

function resolve(raw: Record<string, unknown>) {
  const issues: SpecIssue[] = [];
  const spec = resolveService(raw, context, issues);
  return {spec, issues};
}

describe('input rules', () => {
  it.each([
    ['new-service', undefined],
    ['a', undefined],
    ['New-Service', 'DNS-1123'],
    ['-leading', 'DNS-1123'],
    ['trailing-', 'DNS-1123'],
    ['svc;rm -rf /', 'DNS-1123'],
    ['$(reboot)', 'DNS-1123'],
    ['x'.repeat(64), 'at most 63'],
    ['', 'empty'],
  ])('dns1123Label(%j)', (value, problem) => {
    const result = rule.dns1123Label(value);
    if (problem === undefined) expect(result).toBeUndefined();
    else expect(result).toContain(problem);
  });

  it.each([[0, false], [1, true], [65535, true], [65536, false], [70000, false], [80.5, false]])('port(%d) valid=%s',
    (value, valid) => {
      expect(rule.port(value) === undefined).toBe(valid);
    });

  it.each([['5s', 5000], ['250ms', 250], ['1m30s', 90_000], ['1h', 3_600_000]])('duration %s = %d ms', (value, ms) => {
    expect(rule.duration(value)).toBeUndefined();
    expect(rule.durationMs(value)).toBe(ms);
  });

  it('rejects durations without units and quantities with garbage', () => {
    expect(rule.duration('5')).toBeDefined();
    expect(rule.quantity('lots')).toBeDefined();
    expect(rule.quantity('128Mi')).toBeUndefined();
  });

  it('accepts wildcard hosts only as a leading label', () => {
    expect(rule.hostName('*.example.com')).toBeUndefined();
    expect(rule.hostName('api.*.com')).toBeDefined();
  });
});

describe('service resolution', () => {
  it('fills a service from its profile', () => {
    const {spec, issues} = resolve({name: 'player', profile: 'video'});
    expect(issues).toEqual([]);
    expect(spec?.loadBalancer.algorithm).toBe('consistent-hash');
    expect(spec?.connectionPool.maxConnections).toBeGreaterThan(1000);
    expect(spec?.namespace).toBe('sparc');
    expect(spec?.serviceAccount).toBe('player');
  });

  it('gives the database profile TCP ports and no retries', () => {
    const {spec} = resolve({name: 'db', profile: 'database'});
    expect(spec?.ports[0]?.protocol).toBe('tcp');
    expect(spec?.retries).toBeUndefined();
  });

  it('reports every problem with its path, not only the first', () => {
    const {issues} = resolve({name: 'ok', profile: 'gold', ports: [{port: 0}, {port: 70000}], callers: ['Bad/x'],
      timeout: 'soon', colour: 'red'});
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['callers[0]', 'colour', 'ports[0].port', 'ports[1].port', 'profile', 'timeout'].sort(),
    );
    expect(issues.find((i) => i.path === 'ports[1].port')?.message).toBe('70000 must be between 1 and 65535');
    expect(issues.find((i) => i.path === 'profile')?.message).toContain(
      'must be one of: default, api-gateway, video, analytics, database',
    );
  });

  it('refuses retries that cannot fit in the route timeout', () => {
    const {issues} = resolve({name: 'slow', timeout: '10s', retries: {attempts: 3, perTryTimeout: '5s'}});
    expect(issues).toEqual([{path: 'retries', message: '3 attempts × 5s do not fit in the 10s timeout'}]);
  });

  it('requires JWT settings for the api-gateway profile', () => {
    expect(resolve({name: 'edge', profile: 'api-gateway'}).issues.map((i) => i.path)).toEqual(['jwt']);
  });

  it('reads the canary analysis window and query templates, refusing what PromQL or Flagger would not take', () => {
    const {spec, issues} = resolve({name: 'reports',
      canary: {window: '30s',
        queries: {latency: 'max(my_p99{ns="{{ namespace }}",w=~"{{ target }}"}[{{ interval }}])'}}});
    expect(issues).toEqual([]);
    expect(spec?.canary.window).toBe('30s');
    expect(spec?.canary.queries).toEqual({
      latency: 'max(my_p99{ns="{{ namespace }}",w=~"{{ target }}"}[{{ interval }}])',
    });
    const bad = resolve({name: 'reports',
      canary: {window: '1.5m', queries: {successRate: 'x{a="{{ service }}"}', p50: 'y'}}});
    expect(bad.issues.map((issue) => issue.path).sort()).toEqual(
      ['canary.queries.p50', 'canary.queries.successRate', 'canary.window'],
    );
    expect(bad.issues.find((issue) => issue.path === 'canary.window')?.message).toContain('PromQL duration');
  });

  it('infers port protocols from Istio-style port names', () => {
    expect(protocolFromPortName('grpc-web')).toBe('grpc');
    expect(protocolFromPortName('tcp-postgres')).toBe('tcp');
    expect(protocolFromPortName('metrics')).toBeUndefined();
  });

  it('parses callers in the same or another namespace', () => {
    expect(parseCaller('web', 'sparc')).toEqual({namespace: 'sparc', serviceAccount: 'web'});
    expect(parseCaller('edge/gw', 'sparc')).toEqual({namespace: 'edge', serviceAccount: 'gw'});
    expect(parseCaller('a/b/c', 'sparc')).toContain('NAMESPACE/SERVICE_ACCOUNT');
  });
});

describe('config file', () => {
  const text = ['mesh: istio', 'namespaces: [sparc]', 'istio:', '  outboundTrafficPolicy: OPEN', 'services:',
    '  - name: a', '    ports:', '      - port: 70000'].join('\n');

  it('maps a problem back to its line', () => {
    const parsed = parseConfigText(text);
    if (isSyntaxError(parsed)) throw new Error('unexpected syntax error');
    const issues: SpecIssue[] = [];
    readPlatform(parsed.data, issues);
    expect(issues).toEqual([{path: 'istio.outboundTrafficPolicy',
      message: '"OPEN" must be one of: REGISTRY_ONLY, ALLOW_ANY'}]);
    expect(parsed.lineOf('istio.outboundTrafficPolicy')).toBe(4);
    expect(parsed.lineOf('services[0].ports[0].port')).toBe(8);
    expect(parsed.lineOf('services[0].nothing')).toBe(6);
  });

  it('reports a syntax error with its line', () => {
    const parsed = parseConfigText('mesh: istio\nnamespaces: [sparc\nname: x\n');
    expect(isSyntaxError(parsed) && parsed.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects unknown top-level settings (typos)', () => {
    const issues: SpecIssue[] = [];
    readPlatform({mesh: 'istio', namepsaces: ['x']}, issues);
    expect(issues[0]?.path).toBe('namepsaces');
  });
});
