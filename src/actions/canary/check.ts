// One check of a canary: the plan's queries against Prometheus, judged by core/canary.
import type {PrometheusClient} from '../../adapters/prometheus/client.js';
import {judgeCheck, type CheckVerdict, type MetricReading} from '../../core/canary/analysis.js';
import type {RunPlan} from '../../core/canary/plan.js';

async function read(prometheus: PrometheusClient, query: string): Promise<MetricReading> {
  try {
    // Flagger reads the last sample of the vector; the built-in queries return one.
    const last = (await prometheus.query(query)).at(-1);
    return last ? {value: last.value} : {noValue: true};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

export async function runCheck(prometheus: PrometheusClient, plan: RunPlan): Promise<CheckVerdict> {
  const readings = await Promise.all(
    plan.checks.map(async (planned) => ({...planned, reading: await read(prometheus, planned.query)})),
  );
  return judgeCheck(readings, plan.target);
}
