// The Kubernetes CEL functions the pinned rules call (url, isURL, getScheme, isIP), and
// the standard and strings-extension functions they call, each through a compiled rule as
// validate runs it. Expected values for URLs and IP addresses are what Go's
// url.ParseRequestURI and netip.ParseAddr (the Kubernetes library's parsers) return.
import {describe, expect, it} from 'vitest';
import {isIpAddress, parseRequestUri} from '../../../src/core/schema/cel/kubernetes-library.js';
import {parseRule, programOf, ruleHandling} from '../../../src/core/schema/cel/compile.js';
import {celValueOf} from '../../../src/core/schema/cel/values.js';
import type {CelNode} from '../../../src/core/schema/cel/types.js';

/** Evaluates `rule` with `self` bound to `self`, typed by `node`, as a kind's rule would be. */
function evaluate(rule: string, self: unknown = null, node: CelNode = {}): unknown {
  const handling = ruleHandling({rule}, node);
  const parsed = parseRule({rule});
  if (handling.kind !== 'checked' || 'error' in parsed) throw new Error(`${rule}: ${handling.kind}`);
  const result = programOf(parsed.expr)({self: celValueOf(self, node)});
  return result instanceof Error ? `error: ${result.message}` : result;
}

describe('Go url.ParseRequestURI', () => {
  it.each([
    ['https://example.com/a', 'https'],
    ['http://example.com:8080/x', 'http'],
    ['oci://registry/img:tag', 'oci'],
    ['file:///opt/x.wasm', 'file'],
    ['/abs/path', ''],
    ['localhost:8080/x', 'localhost'],
    ['*', ''],
    ['HTTP://X', 'http'],
    ['http://[::1]:80/', 'http'],
    ['mailto:a@b', 'mailto'],
    ['http://h?q=1', 'http'],
  ])('%j is a request URI with scheme %j', (raw, scheme) => {
    expect(parseRequestUri(raw).scheme).toBe(scheme);
  });

  it.each([
    ['example.com/x', 'invalid URI for request'],
    ['', 'empty url'],
    ['http://exa mple.com', 'invalid character " " in host name'],
    ['http://[::1', "missing ']' in host"],
    ['http://host:port/', 'invalid port ":port" after host'],
    ['http://x/%zz', 'invalid URL escape "%zz"'],
    ['1http://x', 'invalid URI for request'],
    [':foo', 'missing protocol scheme'],
    ['http://u ser@h/', 'net/url: invalid userinfo'],
    ['http://a\x01b', 'net/url: invalid control character in URL'],
  ])('%j is refused: %s', (raw, complaint) => {
    expect(() => parseRequestUri(raw)).toThrow(complaint);
  });
});

describe('Go netip.ParseAddr without zones or IPv4-mapped addresses', () => {
  it.each([
    ['1.2.3.4', true],
    ['01.2.3.4', false],
    ['256.1.1.1', false],
    ['1.2.3', false],
    ['::1', true],
    ['fe80::1%eth0', false],
    ['::ffff:1.2.3.4', false],
    ['2001:db8::', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7::8', false],
    ['1::2::3', false],
    ['::', true],
    ['example.com', false],
    ['1:2:3:4:5:6:1.2.3.4', true],
    ['::1.2.3.4', true],
    ['12345::1', false],
    ['', false],
  ])('%j → %s', (raw, valid) => {
    expect(isIpAddress(raw)).toBe(valid);
  });
});

describe('the functions the pinned rules call', () => {
  it.each([
    // Kubernetes URL and IP libraries
    ['url(self).getScheme() in ["http", "https"]', 'https://issuer.example/keys', true],
    ['url(self).getScheme() in ["http", "https"]', 'ftp://issuer.example/keys', false],
    ['isURL(self)', 'registry.example/filter', false],
    ['isURL("http://" + self) && url("http://" + self).getScheme() == "http"', 'registry.example/filter:v1', true],
    ['self.all(h, !isIP(h))', ['a.example', '10.0.0.1'], false],
    // strings extension
    ['self.substring(7, 8) == "/"', 'unix:///var/run/sock', true],
    ['self.substring(2)', '*.example.com', 'example.com'],
    ['self.split("/")[0].size() < 253', 'example.com/annotation', true],
    // standard functions and macros
    ['duration(self) >= duration("1ms")', '500us', false],
    ['duration(self) >= duration("1ms")', '1.5s', true],
    ['self.all(key, 0 < int(key) && int(key) <= 65535)', {'8080': 'STRICT', '0': 'STRICT'}, false],
    ['self.matches("^[a-z]+$")', 'abc', true],
    ['self.startsWith("/") && self.endsWith("/x") && self.contains("a")', '/a/x', true],
    ['self.exists_one(x, x == 1)', [1, 1], false],
    ['self.exists(x, x > 1)', [1, 2], true],
    ['self.filter(x, x > 1).size()', [1, 2, 3], 2n],
    ['size(self)', 'héllo', 5n],
    ['has(self.a) ? self.a : "none"', {b: 'x'}, 'none'],
  ])('%s with self = %j → %s', (rule, self, expected) => {
    expect(evaluate(rule, self)).toEqual(expected);
  });

  it("url() of something that is not a request URI fails the rule with Go's complaint", () => {
    expect(evaluate('url(self).getScheme() == "http"', 'example.com/x'))
      .toBe('error: URL parse error during conversion from string: parse "example.com/x": invalid URI for request');
  });
});
