// Where a run's time went, phase by phase, for `SPARC_MESH_TIMING=1` (ESLint's TIMING=1
// habit): a user with a slow CI step can see whether reading, schema checks or one rule
// family is to blame. Phases are timed only when asked, so a normal run pays nothing.

export type PhaseTimer = <T>(phase: string, work: () => T) => T;

/** A timer that runs the work and nothing else. */
export const untimed: PhaseTimer = (_phase, work) => work();

export interface Timings {
  time: PhaseTimer;
  /** `phase  ms` lines, slowest first, with the total of the timed phases. */
  report(): string;
}

export function recordTimings(now: () => number = () => performance.now()): Timings {
  const spent = new Map<string, number>();
  const add = (phase: string, started: number) => spent.set(phase, (spent.get(phase) ?? 0) + now() - started);
  const time: PhaseTimer = (phase, work) => {
    const started = now();
    const result = work();
    if (result instanceof Promise) return result.finally(() => add(phase, started)) as typeof result;
    add(phase, started);
    return result;
  };
  const report = () => {
    const rows = [...spent].sort(([, a], [, b]) => b - a);
    const width = Math.max(5, ...rows.map(([phase]) => phase.length));
    const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
    return [...rows, ['total', total] as const].map(([phase, ms]) =>
      `${phase.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms`
    ).join('\n');
  };
  return {time, report};
}
