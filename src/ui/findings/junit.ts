// JUnit XML as GitLab, Jenkins and most CI servers read it. Convention (the one
// kubeconform uses): one <testsuite> per file (`(no file)` for live objects), one
// <testcase> per resource with classname `Kind@apiVersion` and name `namespace/name`,
// so CI views group by file, then kind. A testcase fails when it has findings at or above
// --fail-on; all of them go into its single <failure> (Jenkins and GitLab read only one),
// and findings below the threshold go into <system-out>, visible but not failing.
import type {FailOn, FindingsReport} from '../../core/analyze/run.js';
import {isAtOrAbove} from '../../core/analyze/run.js';
import type {Finding} from '../../core/analyze/types.js';
import type {ResourceRef} from '../../core/objects.js';

/** One analysed object, so that resources without findings show up as passing testcases. */
export interface AnalysedResource {
  resource: ResourceRef;
  file?: string;
  /** The object's first line in its file. */
  line?: number;
}

export interface JunitOptions {
  failOn: FailOn;
  resources: readonly AnalysedResource[];
}

/** Suite of the objects that come from no file: the live cluster, or namespaces no file declares. */
const NO_FILE = '(no file)';

interface Case {
  classname: string;
  name: string;
  findings: Finding[];
}

function escapeXml(text: string): string {
  // Characters XML 1.0 forbids are dropped; the five specials are escaped (attributes and text alike).
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // Allowed, but a raw CR rewrites a CI log line and DEL is a control: character references keep both visible.
    .replace(/\r/g, '&#13;').replace(/\x7F/g, '&#127;');
}

/**
 * An attribute value: a raw newline there would start a new log line (`::error::` in GitHub
 * Actions) in a printed report, and XML parsers fold it to a space anyway, so line breaks and
 * tabs become character references, which parsers keep.
 */
function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

function caseKey(resource: ResourceRef | undefined): string {
  return resource ? `${resource.kind}@${resource.apiVersion}\u0000${resource.namespace ?? ''}/${resource.name}` : '';
}

function newCase(resource: ResourceRef | undefined, file: string): Case {
  if (!resource) return {classname: 'file', name: file, findings: []};
  return {classname: `${resource.kind}@${resource.apiVersion}`,
    name: resource.namespace ? `${resource.namespace}/${resource.name}` : resource.name, findings: []};
}

function suitesOf(report: FindingsReport, resources: readonly AnalysedResource[]): Map<string, Map<string, Case>> {
  const suites = new Map<string, Map<string, Case>>();
  const caseFor = (file: string, resource: ResourceRef | undefined): Case => {
    let cases = suites.get(file);
    if (!cases) suites.set(file, cases = new Map());
    const key = caseKey(resource);
    let found = cases.get(key);
    if (!found) cases.set(key, found = newCase(resource, file));
    return found;
  };
  for (const {resource, file} of resources) caseFor(file ?? NO_FILE, resource);
  for (const finding of report.findings) caseFor(finding.file ?? NO_FILE, finding.resource).findings.push(finding);
  return suites;
}

function describe(finding: Finding): string {
  const where = finding.file ? ` (${finding.file}${finding.line ? `:${finding.line}` : ''})` : '';
  const docs = finding.documentation ? `\n  see ${finding.documentation}` : '';
  return `${finding.severity} ${finding.code}: ${finding.message}${where}${docs}`;
}

function renderCase(testcase: Case, failOn: FailOn): {xml: string; failed: boolean} {
  const failing = testcase.findings.filter((finding) => isAtOrAbove(finding.severity, failOn));
  const passing = testcase.findings.filter((finding) => !isAtOrAbove(finding.severity, failOn));
  const open = `    <testcase classname="${escapeAttribute(testcase.classname)}" name="${
    escapeAttribute(testcase.name)
  }" time="0"`;
  if (failing.length === 0 && passing.length === 0) return {xml: `${open}/>`, failed: false};
  const parts = [`${open}>`];
  if (failing.length > 0) {
    const first = failing[0] as Finding;
    const message = failing.length === 1
      ? `${first.code}: ${first.message}`
      : `${failing.length} findings, first ${first.code}: ${first.message}`;
    parts.push(
      `      <failure message="${escapeAttribute(message)}" type="${escapeAttribute(first.severity)}">${
        escapeXml(failing.map(describe).join('\n'))
      }</failure>`,
    );
  }
  if (passing.length > 0) parts.push(`      <system-out>${escapeXml(passing.map(describe).join('\n'))}</system-out>`);
  parts.push('    </testcase>');
  return {xml: parts.join('\n'), failed: failing.length > 0};
}

export function renderJunit(report: FindingsReport, options: JunitOptions): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  const files = [...suitesOf(report, options.resources)].sort(([a],
    [b]) => (a === NO_FILE ? 1 : b === NO_FILE ? -1 : a < b ? -1 : a > b ? 1 : 0)
  );
  for (const [file, cases] of files) {
    const rendered = [...cases.values()].map((testcase) => renderCase(testcase, options.failOn));
    const failed = rendered.filter((testcase) => testcase.failed).length;
    tests += rendered.length;
    failures += failed;
    suites.push([
      `  <testsuite name="${
        escapeAttribute(file)
      }" tests="${rendered.length}" failures="${failed}" errors="0" skipped="0" time="0">`,
      ...rendered.map((testcase) => testcase.xml),
      '  </testsuite>',
    ].join('\n'));
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sparc-mesh validate" tests="${tests}" failures="${failures}" errors="0" time="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
