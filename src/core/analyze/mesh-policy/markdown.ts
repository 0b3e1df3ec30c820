// docs/rules.md is generated from the catalogue, so that the page and `validate explain`
// never disagree; a test compares the file with this output (UPDATE_GOLDEN=1 rewrites it).
import type {RuleDoc} from '../types.js';

const INTRO = `# sparc-mesh rules (SM codes)

<!-- Generated from src/core/analyze/mesh-policy (smCatalogue) and src/core/debug/rules.ts (debugRules)
     by rulesMarkdown(); do not edit by hand.
     Refresh: UPDATE_GOLDEN=1 npx vitest run test/unit/analyze/mesh-policy/docs.test.ts -->

sparc-mesh's own analysers, run by \`sparc-mesh validate\` next to the Istio-compatible IST
codes. Every finding carries a code, a severity, the resource, its file and line, a message and
a link to its section below.

| Range | Area |
| --- | --- |
| SM1xxx | Zero trust for Istio: mTLS, deny-by-default authorization, allow-everyone rules, TLS overrides, gateways, egress |
| SM2xxx | Linkerd policy: references that must resolve, Servers, default inbound policy |
| SM3xxx | Kubernetes NetworkPolicy: default deny, allow-everything rules, selectors that match nothing |
| SM4xxx | Traffic management: what \`istioctl analyze\` does not check (its IST0101 covers missing destination hosts and subsets) |
| SM5xxx | A running pod, found by \`sparc-mesh debug pod\` only: its proxy, readiness and restarts, callers policy refuses, traffic rules that bite at run time |

SM0xxx codes (input: YAML syntax, schemas) are described in [validate.md](validate.md).

Scope, so that partial inputs do not drown in noise:
- System namespaces are skipped by the namespace rules: \`kube-*\`, the Istio root namespace
  (\`istio-system\` unless the mesh config says otherwise), \`linkerd\` and \`linkerd-*\`.
- Istio namespace rules (SM1005, SM1010, SM1011) look at namespaces labelled for Istio
  (\`istio-injection=enabled\`, \`istio.io/rev\`, ambient), holding Istio workloads, or holding
  \`security.istio.io\` objects.
- NetworkPolicy namespace rules (SM3001, SM3002) look at namespaces declared by a Namespace
  object or holding workloads or Services.
- From files (without \`validate --complete\`), a namespace's missing defaults (SM1005 for the
  root namespace, SM1010, SM3001, SM3002) are reported only where the files hold objects of that
  namespace other than its Namespace object: another repository may hold its policies.
- "Matches nothing" rules judge a namespace only when the input holds workloads there; namespace
  selectors are judged only against a complete namespace list (from a cluster).
- The mesh config is read from the \`istio\` ConfigMap (\`data.mesh\`) or an IstioOperator's
  \`spec.meshConfig\`; Linkerd's from the \`linkerd-config\` ConfigMap (\`data.values\`).
`;

function blankWhitespaceLines(text: string): string {
  return text.split('\n').map((line) => (line.trim() === '' ? '' : line)).join('\n');
}

function section(rule: RuleDoc): string {
  return [
    `<a id="${rule.code.toLowerCase()}"></a>`,
    `## ${rule.code}: ${rule.title}`,
    '',
    `Severity: **${rule.severity}**`,
    '',
    rule.description,
    '',
    '**Fix**',
    '',
    fixText(rule.fix),
    '',
  ].join('\n');
}

/** A fix is prose, optionally followed by a YAML snippet on indented lines: the snippet becomes a code block. */
function fixText(fix: string): string {
  const lines = fix.split('\n');
  const first = lines.findIndex((line) => line.startsWith('    '));
  if (first === -1) return lines.join('\n\n');
  // Each prose line of a fix is its own step: keep them apart in Markdown too.
  const prose = lines.slice(0, first).join('\n\n');
  const snippet = lines.slice(first).map((line) => line.replace(/^ {4}/, '')).join('\n');
  return `${prose}\n\n\`\`\`yaml\n${blankWhitespaceLines(snippet)}\n\`\`\``;
}

export function rulesMarkdown(catalogue: readonly RuleDoc[]): string {
  const index = catalogue.map((rule) =>
    `| [${rule.code}](#${rule.code.toLowerCase()}) | ${rule.severity} | ${rule.title} |`
  );
  return [INTRO, '| Code | Severity | Title |', '| --- | --- | --- |', ...index, '', ...catalogue.map(section)].join(
    '\n',
  );
}
