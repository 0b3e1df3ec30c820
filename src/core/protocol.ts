// Istio's protocol selection by port name (pkg/config/kube ConvertProtocol over
// pkg/config/protocol Parse): the one reading both the service config and the analysers use.

/** Istio's protocols, upper-cased: Istio compares them ignoring case. */
const PROTOCOLS = ['TCP', 'UDP', 'GRPC', 'GRPC-WEB', 'HTTP', 'HTTP_PROXY', 'HTTP2', 'HTTPS', 'TLS', 'MONGO', 'REDIS',
  'MYSQL'] as const;
export type MeshProtocol = (typeof PROTOCOLS)[number];

/**
 * `http-web` → HTTP, `grpc-web-ui` → GRPC-WEB, `GRPC` → GRPC; undefined when the name does
 * not start with a protocol. gRPC-Web is told apart before the prefix is cut at the first
 * hyphen, as Istio does, since its own name holds one.
 */
export function protocolOfPortName(name: string): MeshProtocol | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('grpc-web')) return 'GRPC-WEB';
  const prefix = (lower.split('-')[0] ?? '').toUpperCase();
  return (PROTOCOLS as readonly string[]).includes(prefix) ? (prefix as MeshProtocol) : undefined;
}
