// A port written on one line, `[NAME:]PORT[:TARGET_PORT]` (how --port takes it), as the raw
// port entry the service reader checks. Read strictly: port numbers in plain decimal (no
// 0x50, 1e3, 0b1010 or 080, which Number() would take), a name whose prefix is a protocol
// sparc-mesh knows (`ftp:21` would otherwise be HTTP), and no parts beyond the third.
import {protocolFromPortName} from './service.js';

const DECIMAL = /^(0|[1-9]\d*)$/;

/** The raw port entry, or what is wrong with the text. */
export function parsePortSpec(value: string, defaultName: (port: string) => string): Record<string, unknown> | string {
  const parts = value.split(':');
  if (parts.length > 3) return 'has more than three parts: write [NAME:]PORT[:TARGET_PORT]';
  const named = parts.length === 3 || (parts.length === 2 && !DECIMAL.test(parts[0]!));
  const [name, port, targetPort] = named ? parts : [undefined, ...parts];
  for (const number of [port, targetPort]) {
    if (number !== undefined && !DECIMAL.test(number)) {
      return `has ${JSON.stringify(number)} where a port number in decimal belongs`;
    }
  }
  if (name !== undefined && !protocolFromPortName(name)) {
    return `names the port ${
      JSON.stringify(name)
    }, whose prefix is no protocol sparc-mesh knows: start it with http, http2, grpc, tcp or tls`;
  }
  return {name: name ?? defaultName(port!), port: Number(port),
    ...(targetPort === undefined ? {} : {targetPort: Number(targetPort)})};
}
