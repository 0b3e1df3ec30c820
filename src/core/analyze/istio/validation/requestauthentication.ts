// Istio's validation of RequestAuthentications: how they select workloads, and per JWT rule
// an issuer or JWKS URI (http or https), non-empty audiences and token locations, claim
// headers with plain header names, and a timeout in whole milliseconds. Inline JWKS
// documents are not parsed here.
import type {FieldPath} from '../../../field-line.js';
import {asArray, asRecord, asString, asStrings} from '../query/fields.js';
import {durationProblems} from './durations.js';
import {policyTargetProblems} from './policy-target.js';
import {rejected, type Problem} from './problems.js';

const STRICT_HEADER_NAME = /^[-_A-Za-z0-9]+$/;

function jwksUriProblem(uri: string): string | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase() ?? '';
  return scheme === 'http' || scheme === 'https' ? undefined : `URI scheme "${scheme}" is not supported`;
}

function claimHeaderProblems(entries: unknown[], field: FieldPath): Problem[] {
  return entries.flatMap((entry, index) => {
    const at = [...field, 'outputClaimToHeaders', index];
    const record = asRecord(entry);
    if (!record) return [rejected('outputClaimToHeaders must not be null', at)];
    const claim = asString(record.claim) ?? '';
    const header = asString(record.header) ?? '';
    if (claim === '' || header === '') {
      return [rejected('outputClaimToHeaders header and claim value must be non-empty string', at)];
    }
    return STRICT_HEADER_NAME.test(header)
      ? []
      : [rejected(`header name ${header} is not a valid header name`, [...at, 'header'])];
  });
}

function locationProblems(rule: Record<string, unknown>, field: FieldPath): Problem[] {
  const headers = asArray(rule.fromHeaders).flatMap((entry, index) => {
    const record = asRecord(entry);
    if (!record) return [rejected('location header name must be non-null', [...field, 'fromHeaders', index])];
    return (asString(record.name) ?? '') === ''
      ? [rejected('location header name must be non-empty string', [...field, 'fromHeaders', index])]
      : [];
  });
  const params = asStrings(rule.fromParams).filter((name) => name === '').map(() =>
    rejected('location query must be non-empty string', [...field, 'fromParams'])
  );
  const cookies = asStrings(rule.fromCookies).filter((name) => name === '').map(() =>
    rejected('cookie name must be non-empty string', [...field, 'fromCookies'])
  );
  return [...headers, ...params, ...cookies];
}

function jwtRuleProblems(entry: unknown, index: number): Problem[] {
  const rule = asRecord(entry);
  if (!rule) return [];
  const field = ['spec', 'jwtRules', index];
  const issuer = asString(rule.issuer) ?? '';
  const jwksUri = asString(rule.jwksUri) ?? '';
  const problems = asStrings(rule.audiences).filter((audience) => audience === '').map(() =>
    rejected('audience must be non-empty string', [...field, 'audiences'])
  );
  if (issuer === '' && jwksUri === '') problems.push(rejected('issuer or jwksUri must be non-empty string', field));
  const uriProblem = jwksUri === '' ? undefined : jwksUriProblem(jwksUri);
  if (uriProblem) problems.push(rejected(uriProblem, [...field, 'jwksUri']));
  return [
    ...problems,
    ...locationProblems(rule, field),
    ...claimHeaderProblems(asArray(rule.outputClaimToHeaders), field),
    ...durationProblems(rule.timeout, [...field, 'timeout']),
  ];
}

export function requestAuthenticationProblems(spec: Record<string, unknown>): Problem[] {
  return [...policyTargetProblems(spec), ...asArray(spec.jwtRules).flatMap(jwtRuleProblems)];
}
