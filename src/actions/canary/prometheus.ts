// The Prometheus a canary run asks: the URL given, else the config's; asked `vector(1)` once
// before the run touches the cluster (Flagger's own availability check), so an unreachable
// server stops the run before anything changes.
import {parsePrometheusUrl, prometheusClient, type PrometheusClient} from '../../adapters/prometheus/client.js';
import {invalidFlag, UsageError} from '../../errors.js';

export async function openPrometheus(given: string | undefined, configured: string,
  flag: string): Promise<PrometheusClient>
{
  const url = parsePrometheusUrl(given ?? configured);
  if (typeof url === 'string') {
    throw given === undefined
      ? new UsageError(`observability.prometheusUrl: ${url}`, undefined, 'InvalidInput')
      : invalidFlag(flag.replace(/^--/, ''), given, url);
  }
  const client = prometheusClient(url);
  await client.query('vector(1)');
  return client;
}
