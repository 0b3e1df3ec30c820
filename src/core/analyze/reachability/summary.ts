// A reachability model too large to read call by call (10,000 services make a hundred
// million pairs), summarised per pair of namespaces: how many calls each verdict has.
// Built in one pass over the edges, so its size follows the namespaces, not the calls.
import type {ReachabilityModel, Verdict} from './model.js';

/** Past this many calls, printers summarise unless asked for every call. */
export const FULL_LISTING_LIMIT = 500;

export interface NamespaceFlow {
  from: string;
  to: string;
  allow: number;
  partial: number;
  deny: number;
}

export interface ReachabilitySummary {
  services: number;
  calls: number;
  flows: NamespaceFlow[];
}

export const SUMMARY_COLUMNS = ['FROM NAMESPACE', 'TO NAMESPACE', 'ALLOW', 'PARTIAL', 'DENY'] as const;

function namespaceOf(id: string): string {
  return id.slice(0, id.indexOf('/'));
}

export function summariseReachability(model: ReachabilityModel): ReachabilitySummary {
  const flows = new Map<string, NamespaceFlow>();
  for (const edge of model.edges) {
    const from = namespaceOf(edge.from);
    const to = namespaceOf(edge.to);
    const key = `${from}\u0000${to}`;
    let flow = flows.get(key);
    if (!flow) {
      flow = {from, to, allow: 0, partial: 0, deny: 0};
      flows.set(key, flow);
    }
    flow[edge.verdict satisfies Verdict]++;
  }
  const sorted = [...flows.values()].sort((a,
    b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1)
  );
  return {services: model.nodes.length, calls: model.edges.length, flows: sorted};
}

export function summaryRows(summary: ReachabilitySummary): string[][] {
  return summary.flows.map((flow) => [flow.from, flow.to, String(flow.allow), String(flow.partial), String(flow.deny)]);
}
