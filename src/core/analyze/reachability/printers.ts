// Printers for the reachability model, as pure functions of it: table rows (for the
// ui table printer), JSON, Mermaid (`flowchart LR`) and Graphviz DOT.
import type {ReachabilityEdge, ReachabilityModel} from './model.js';

export interface DiagramOptions {
  /** Also draw denied edges (dashed). Tables and JSON always hold every edge. */
  includeDenied?: boolean;
}

export const REACHABILITY_COLUMNS = ['FROM', 'TO', 'PORT', 'VERDICT', 'L7', 'WHY'] as const;

function portText(edge: ReachabilityEdge): string {
  const port = edge.targetPort === edge.port ? String(edge.port) : `${edge.port}→${edge.targetPort}`;
  return edge.protocol === 'TCP' ? port : `${port}/${edge.protocol}`;
}

/** What decided: the denying reasons of a denied edge, the allowing ones otherwise. */
function why(edge: ReachabilityEdge): string {
  const wanted = edge.verdict === 'allow' ? 'allow' : 'deny';
  const deciding = edge.reasons.filter((reason) => reason.effect === wanted);
  return (deciding.length > 0 ? deciding : edge.reasons).map((reason) => reason.message).join('; ');
}

function l7Text(edge: ReachabilityEdge): string {
  if (edge.verdict === 'deny') return '-';
  return edge.l7.length > 0 ? edge.l7.join('; ') : 'any';
}

export function reachabilityRows(model: ReachabilityModel): string[][] {
  return model.edges.map((edge) => [edge.from, edge.to, portText(edge), edge.verdict, l7Text(edge), why(edge)]);
}

/** The model as JSON text; keys and order are stable, so the output diffs well. */
export function reachabilityJson(model: ReachabilityModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

function edgeLabel(edge: ReachabilityEdge): string {
  const port = portText(edge);
  if (edge.verdict === 'deny') return `${port} denied`;
  const l7 = edge.l7.length > 0 ? ` ${edge.l7.join('; ')}` : '';
  return `${port}${edge.verdict === 'partial' ? ' partial' : ''}${l7}`;
}

function visibleEdges(model: ReachabilityModel, options: DiagramOptions): ReachabilityEdge[] {
  return model.edges.filter((edge) => options.includeDenied || edge.verdict !== 'deny');
}

/** Mermaid text must not hold raw quotes or angle brackets; it has entity codes for them. */
function mermaidText(text: string): string {
  return text.replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;');
}

export function reachabilityMermaid(model: ReachabilityModel, options: DiagramOptions = {}): string {
  const ids = new Map(model.nodes.map((node, index) => [node.id, `n${index}`]));
  const lines = ['flowchart LR'];
  for (const node of model.nodes) lines.push(`  ${ids.get(node.id)}["${mermaidText(node.id)}"]`);
  for (const edge of visibleEdges(model, options)) {
    const label = mermaidText(edgeLabel(edge));
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    lines.push(edge.verdict === 'deny' ? `  ${from} -. "${label}" .-x ${to}` : `  ${from} -->|"${label}"| ${to}`);
  }
  return `${lines.join('\n')}\n`;
}

function dotString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function reachabilityDot(model: ReachabilityModel, options: DiagramOptions = {}): string {
  const lines = ['digraph reachability {', '  rankdir=LR;', '  node [shape=box];'];
  for (const node of model.nodes) lines.push(`  ${dotString(node.id)};`);
  for (const edge of visibleEdges(model, options)) {
    const style = edge.verdict === 'deny'
      ? ', style=dashed, color=red'
      : edge.verdict === 'partial'
      ? ', color=orange'
      : '';
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)} [label=${dotString(edgeLabel(edge))}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
