// The reachability model and its printers; `validate reachability` and `debug` call these.
export {buildReachability} from './build.js';
export type {Layer, ReachabilityEdge, ReachabilityModel, ReachabilityNode, ReachabilityOptions, Reason,
  Verdict} from './model.js';
export {REACHABILITY_COLUMNS, reachabilityDot, reachabilityJson, reachabilityMermaid, reachabilityRows,
  type DiagramOptions} from './printers.js';
export {FULL_LISTING_LIMIT, SUMMARY_COLUMNS, summariseReachability, summaryRows, type NamespaceFlow,
  type ReachabilitySummary} from './summary.js';
export {filterProblem, ReachabilityFilterError} from './build.js';
