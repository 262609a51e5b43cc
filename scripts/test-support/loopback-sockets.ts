import net from 'node:net';

/** Loopback hosts: the only ones a unit test may connect to. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h);
}

/** Where a `socket.connect(...)` call goes: a host, or a local IPC path (always allowed). */
function connectTarget(args: unknown[]): { host: string } | { path: string } {
  const [first, second] = args;
  if (Array.isArray(first)) return connectTarget(first as unknown[]); // the internal normalized form
  if (typeof first === 'object' && first !== null) {
    const o = first as { host?: unknown; path?: unknown };
    if (typeof o.path === 'string') return { path: o.path };
    return { host: typeof o.host === 'string' && o.host ? o.host : 'localhost' };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof second === 'string' && second ? second : 'localhost' };
}

/**
 * Patches net.Socket#connect (which fetch, WebSocket and http all end in) so that a socket to
 * anything but loopback is destroyed with the error `refuse(host)` returns; returns the undo.
 * The unit tests' guard uses it for the whole run, tests that must stay offline (WalletConnect on
 * its relay stand-in) for their own duration.
 */
export function refuseNonLoopbackSockets(refuse: (host: string) => Error): () => void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with .apply(this, …) on the same socket
  const originalConnect = net.Socket.prototype.connect as unknown as (...args: unknown[]) => net.Socket;
  const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => net.Socket };
  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = connectTarget(args);
    if ('host' in target && !isLoopbackHost(target.host)) {
      const error = refuse(target.host);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return originalConnect.apply(this, args);
  };
  return () => void (proto.connect = originalConnect);
}
