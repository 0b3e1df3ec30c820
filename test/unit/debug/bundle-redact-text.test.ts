import {describe, expect, it} from 'vitest';
import {orderedSecretValues, redactLines, redactText} from '../../../src/core/debug/redact-text.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaGVja291dCJ9.c2lnbmF0dXJl';

describe("redactText: the bundle's credential rules over text", () => {
  it.each([
    ['a JWT', `upstream auth with ${JWT} ok`, `upstream auth with <redacted> ok`],
    ['a Bearer credential', 'authorization: Bearer abcdefgh12345678', 'authorization: Bearer <redacted>'],
    ['a Basic credential', 'Authorization: basic dXNlcjpwYXNzd29yZA==', 'Authorization: basic <redacted>'],
    ['the password of a URL', 'dial postgres://app:s3cr3t-pw@db:5432/shop',
      'dial postgres://app:<redacted>@db:5432/shop'],
    ['key=value', 'connecting user=app password=hunter2 host=db', 'connecting user=app password=<redacted> host=db'],
    ['an env-style key', 'DB_PASSWORD=hunter2; LOG_LEVEL=info', 'DB_PASSWORD=<redacted>; LOG_LEVEL=info'],
    ['a query parameter', 'GET /callback?code=1&access_token=abc123 HTTP/1.1',
      'GET /callback?code=1&access_token=<redacted> HTTP/1.1'],
    ['key: value', 'api-key: 0a1b2c3d', 'api-key: <redacted>'],
    ['a quoted value', 'client_secret="two words"', 'client_secret=<redacted>'],
    ['a JSON pair', '{"level":"info","password": "p@ss, word","user":"app"}',
      '{"level":"info","password": "<redacted>","user":"app"}'],
  ])('replaces %s and keeps the rest', (_name, text, expected) => {
    expect(redactText(text, [])).toBe(expected);
  });

  it('leaves text without credentials as it is', () => {
    const line =
      '2026-12-06T10:00:00.000Z info ads Push debounce stable[12] 3 for config ServiceEntry/shop/db: 100.5ms since last change';
    expect(redactText(line, [])).toBe(line);
    expect(redactText('tokens issued: 0, secrets pushed: 3', [])).toBe('tokens issued: 0, secrets pushed: 3');
  });

  it('replaces every line of a private key, and to the end of the text when it has no END line', () => {
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIDx\nAoGCCqGSM49\n-----END EC PRIVATE KEY-----';
    expect(redactText(`loaded\n${key}\ndone`, [])).toBe('loaded\n<redacted>\n<redacted>\n<redacted>\n<redacted>\ndone');
    expect(redactText('x -----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN', [])).toBe('x <redacted>\n<redacted>');
  });

  it('replaces each Secret value wherever it is, the longest first, keeping the lines', () => {
    const values = orderedSecretValues(['hunter2', 'hunter2-and-more', 'line one\nline two']);
    expect(redactText('saw hunter2-and-more and hunter2', values)).toBe('saw <redacted> and <redacted>');
    expect(redactText('cert: line one\nline two\nnext', values)).toBe('cert: <redacted>\n<redacted>\nnext');
  });

  it('names the lines it changed', () => {
    expect(redactLines('a\npassword=x\nb\ntoken: y', [])).toEqual({text: 'a\npassword=<redacted>\nb\ntoken: <redacted>',
      lines: [2, 4]});
    expect(redactLines('nothing here', [])).toEqual({text: 'nothing here', lines: []});
  });
});
