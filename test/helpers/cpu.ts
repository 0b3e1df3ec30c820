/** CPU time (user + system) a piece of work takes, in milliseconds: steadier than wall time on a shared machine. */
export function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
