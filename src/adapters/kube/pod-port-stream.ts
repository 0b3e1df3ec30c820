// One connection to a pod's port through the API server's pods/portforward, over the
// WebSocket protocol that @kubernetes/client-node's PortForward speaks. Only its portforward
// module is loaded (with its WebSocket handler), not the package's index: the index brings the
// whole generated API and costs seconds, where this costs a few hundred milliseconds.
import type https from 'node:https';
import {Duplex, PassThrough, Writable} from 'node:stream';
import type {KubeConfig} from '@kubernetes/client-node';
import {ToolError} from '../../errors.js';
import type {NamespacedName} from './contract.js';

/** What the WebSocket of a forwarded connection offers that this module uses. */
interface ForwardSocket {
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

/** How ClientNodeKubeClient reaches its API server: the URL, TLS material and headers (credentials, user agent). */
export interface ApiServerAccess {
  server: URL;
  requestOptions: https.RequestOptions;
}

/**
 * The two things PortForward's WebSocket handler asks of a KubeConfig: the server, and the
 * options of the TLS connection to it. Given from the connection the client already resolved,
 * so that the credentials are the same as its other requests use.
 */
function forwardConfig(access: ApiServerAccess): KubeConfig {
  const config: Pick<KubeConfig, 'getCurrentCluster' | 'applyToHTTPSOptions'> = {
    getCurrentCluster: () => ({name: 'forward', server: access.server.href.replace(/\/$/, ''), skipTLSVerify: false}),
    applyToHTTPSOptions: async (options) => {
      Object.assign(options, access.requestOptions);
    },
  };
  return config as KubeConfig;
}

export async function openPodPortStream(access: ApiServerAccess, pod: NamespacedName, port: number): Promise<Duplex> {
  const {PortForward} = await import('@kubernetes/client-node/dist/portforward.js');
  const fromPod = new PassThrough();
  const toPod = new PassThrough();
  // The error channel carries the kubelet's words when it could not reach the pod's port.
  let reported = '';
  const errors = new Writable({
    write(chunk: Buffer, _encoding, done) {
      reported += chunk.toString('utf8');
      done();
    },
  });
  const what = `port-forward to ${port} of pod ${pod.namespace}/${pod.name}`;
  let socket: ForwardSocket;
  try {
    socket = await new PortForward(forwardConfig(access)).portForward(pod.namespace, pod.name, [port], fromPod, errors,
      toPod) as ForwardSocket;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ToolError('kube-apiserver', ['GET', `pods/portforward ${pod.namespace}/${pod.name}:${port}`], undefined,
      message, `${what} failed: ${message}`);
  }
  const stream = Duplex.from({readable: fromPod, writable: toPod});
  socket.on('close', () => {
    if (reported) stream.destroy(new Error(`${what} failed: ${reported.trim()}`));
    else fromPod.end();
  });
  socket.on('error', (error) => stream.destroy(error));
  // Whatever ends the local side (the client hung up, the listener closed) ends the connection.
  stream.on('close', () => socket.close());
  return stream;
}
