// Not a test (tests never assert on wall time): prints how long Istio analysis takes.
//   npx tsx scripts/bench/istio-analyzers.ts [objects]
// Times, in CPU and wall milliseconds, (1) every case of Istio's analyser grid with the
// whole registry, (2) the synthetic mesh (default 10,000 objects) with traffic analysers and
// with the whole registry, cold (first call in the process) and warm (median of 5).
import {performance} from 'node:perf_hooks';
import {analyzeIstio} from '../../src/core/analyze/istio/index.js';
import {analyzersIn, TRAFFIC_DOMAINS} from '../../test/unit/analyze/istio/domains.js';
import {gridCases, gridMeshOptions, gridObjects} from '../../test/unit/analyze/istio/grid.js';
import {syntheticMesh} from '../../test/unit/analyze/istio/synthetic-mesh.js';

const trafficAnalyzers = analyzersIn(TRAFFIC_DOMAINS);

function measure(work: () => void): {cpu: number; wall: number} {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  work();
  const cpu = process.cpuUsage(cpuStart);
  return {cpu: (cpu.user + cpu.system) / 1000, wall: performance.now() - wallStart};
}

function report(label: string, work: () => void): void {
  const cold = measure(work);
  const warm = Array.from({length: 5}, () => measure(work)).sort((a, b) => a.wall - b.wall)[2]!;
  const format = (sample: {cpu: number; wall: number}) =>
    `cpu ${sample.cpu.toFixed(0)} ms, wall ${sample.wall.toFixed(0)} ms`;
  console.log(`${label}\n  cold: ${format(cold)}\n  warm: ${format(warm)}`);
}

const size = Number(process.argv[2] ?? 10_000);
const grid = gridCases().map((testCase) => ({objects: gridObjects(testCase), options: gridMeshOptions(testCase)}));
const now = new Date();
report(
  `Istio grid: ${grid.length} cases, ${
    grid.reduce((sum, entry) => sum + entry.objects.length, 0)
  } objects, whole registry`,
  () => grid.forEach((entry) => analyzeIstio(entry.objects, {...entry.options, now})),
);
const mesh = syntheticMesh(size);
report(`synthetic mesh, ${mesh.length} objects, traffic analysers`,
  () => analyzeIstio(mesh, {analyzers: trafficAnalyzers, now}));
report(`synthetic mesh, ${mesh.length} objects, whole registry`, () => analyzeIstio(mesh, {now}));
