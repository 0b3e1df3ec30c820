import {describe, expect, it} from 'vitest';
import {REDACTED, redactor, secretValuesOf} from '../../../src/core/analyze/redact.js';
import type {KubeObject} from '../../../src/core/objects.js';

const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {name: 'db', namespace: 'shop'},
  data: {password: 'hunter2-plain!', token: btoa('decoded-token-value')},
  stringData: {'api-key': 'sk-live-123456'},
} as unknown as KubeObject;

const finding = (message: string) => ({code: 'SM0001', severity: 'error' as const, message});

describe('secret redaction', () => {
  it('takes every Secret value out of a message: data as written and decoded, and stringData', () => {
    const redact = redactor(secretValuesOf([secret]));
    expect(redact(finding('data.password: must be base64, got string "hunter2-plain!"')).message).toBe(
      `data.password: must be base64, got string "${REDACTED}"`,
    );
    expect(redact(finding('uses decoded-token-value and sk-live-123456')).message).toBe(
      `uses ${REDACTED} and ${REDACTED}`,
    );
    expect(redact(finding('the Secret shop/db has no key "ca.crt"')).message).toBe(
      'the Secret shop/db has no key "ca.crt"',
    );
  });

  it('takes out fields named like credentials in any kind, but not the names of Secret keys', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'web'},
      spec: {
        template: {
          spec: {
            containers: [{name: 'web', env: [{name: 'DB', valueFrom: {secretKeyRef: {name: 'db', key: 'password'}}}]}],
          },
        },
      },
      auth: {basic: {password: 'p4ssw0rd-in-clear'}, bearerToken: 'eyJhbGciOi'},
    } as unknown as KubeObject;
    const values = secretValuesOf([deployment]);
    expect([...values].sort()).toEqual(['eyJhbGciOi', 'p4ssw0rd-in-clear']);
  });
});
