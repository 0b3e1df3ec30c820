// Property tests over the parsers of flag text: ports, durations and names. Each states what
// every accepted input looks like and that nothing else is accepted, over generated input.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {dns1123Label} from '../../../src/core/config/checks.js';
import {parsePortSpec} from '../../../src/core/config/port-spec.js';
import {parseDuration} from '../../../src/core/duration.js';

const defaultName = (port: string) => `http-${port}`;
const portNumber = fc.integer({min: 1, max: 65535});
/** Text Number() reads as a number although it is not plain decimal. */
const lenientNumber = fc.oneof(
  portNumber.map((n) => `0x${n.toString(16)}`),
  portNumber.map((n) => `0b${n.toString(2)}`),
  portNumber.map((n) => `0o${n.toString(8)}`),
  portNumber.map((n) => `0${n}`),
  portNumber.map((n) => n.toExponential()),
  portNumber.map((n) => `${n}.0`),
  portNumber.map((n) => ` ${n}`),
  portNumber.map((n) => `+${n}`),
);

describe('--port text', () => {
  it('reads every port in plain decimal, alone, with a target port and with a protocol name', () => {
    fc.assert(
      fc.property(portNumber, portNumber,
        fc.constantFrom('http', 'http2', 'grpc', 'grpc-web', 'tcp', 'tls', 'http-api', 'tcp-pg'),
        (port, target, name) => {
          expect(parsePortSpec(String(port), defaultName)).toEqual({name: `http-${port}`, port});
          expect(parsePortSpec(`${port}:${target}`, defaultName)).toEqual({name: `http-${port}`, port,
            targetPort: target});
          expect(parsePortSpec(`${name}:${port}:${target}`, defaultName)).toEqual({name, port, targetPort: target});
        }),
    );
  });

  it('refuses a port number written any other way, in any position', () => {
    fc.assert(fc.property(lenientNumber, portNumber, (text, other) => {
      for (const spec of [text, `${other}:${text}`, `http:${text}`, `http:${other}:${text}`, `http:${text}:${other}`]) {
        expect(parsePortSpec(spec, defaultName)).toMatch(/where a port number in decimal belongs/);
      }
      // First of two parts, it is read as a name, and refused as one.
      expect(typeof parsePortSpec(`${text}:${other}`, defaultName)).toBe('string');
    }));
  });

  it('refuses a name whose prefix is no protocol it knows', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/).filter((name) => !/^(http|http2|grpc|tcp|tls)$/.test(name)),
        portNumber, (name, port) => {
        expect(parsePortSpec(`${name}:${port}`, defaultName)).toMatch(/no protocol sparc-mesh knows/);
      }),
    );
  });

  it('refuses a fourth part', () => {
    fc.assert(fc.property(fc.array(fc.string(), {minLength: 4, maxLength: 8}), (parts) => {
      expect(parsePortSpec(parts.join(':'), defaultName)).toMatch(/more than three parts/);
    }));
  });

  it('never throws, and what it accepts is the canonical text of its numbers', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      const spec = parsePortSpec(text, defaultName);
      if (typeof spec === 'string') return;
      const numbers = text.split(':').filter((part) => /^\d/.test(part));
      expect(numbers.map(Number).map(String)).toEqual(numbers);
      expect([spec.port, spec.targetPort].filter((n) => n !== undefined).map(String)).toEqual(numbers);
    }));
  });
});

describe('duration text', () => {
  const unitMs = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};
  it('reads every sequence of whole amounts and units as their sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({max: 100_000}), fc.constantFrom('ms', 's', 'm', 'h')), {minLength: 1, maxLength: 4}),
        (parts) => {
          const text = parts.map(([amount, unit]) => `${amount}${unit}`).join('');
          expect(parseDuration(text)).toBe(
            parts.reduce((sum, [amount, unit]) => sum + amount * unitMs[unit as keyof typeof unitMs], 0),
          );
        },
      ),
    );
  });

  it('never throws, and accepts only finite non-negative amounts written with a unit', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^[0-9.eEx+-]{1,12}(ms|s|m|h)?$/), fc.constant(`${'9'.repeat(400)}h`)),
        (text) => {
          const ms = parseDuration(text);
          if (ms === undefined) return;
          expect(Number.isFinite(ms) && ms >= 0).toBe(true);
          expect(text).toMatch(/^(\d+(\.\d+)?(ms|s|m|h))+$/);
        },
      ),
    );
  });
});

describe('DNS-1123 labels (-s, -n, --revision)', () => {
  it('accepts exactly lowercase alphanumerics and inner hyphens, 1 to 63 characters', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom(...'abz09-A_.é \u0000'.split('')), maxLength: 70}), (name) => {
        const valid = name.length >= 1 && name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
        expect(dns1123Label(name) === undefined).toBe(valid);
      }),
    );
  });
});
