// Any outbound network call from a test is a bug: tests run offline, on 127.0.0.1 only.
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '']);

function hostOf(args: unknown[]): string {
  const first = args[0];
  if (Array.isArray(first)) return hostOf(first);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string };
    return options.path !== undefined ? '' : (options.host ?? '');
  }
  return typeof args[1] === 'string' ? args[1] : '';
}

// Test files share a process (vitest's isolate: false): the guard is put in place once.
const guarded = Symbol.for('offboard.no-network');
const socket = net.Socket.prototype as net.Socket & { [guarded]?: true };
if (!socket[guarded]) {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to call with the socket as `this`
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]): net.Socket {
    const host = hostOf(args);
    if (!LOOPBACK.has(host)) throw new Error(`a test tried to reach ${host}: tests must not use the network`);
    return Reflect.apply(original, this, args) as net.Socket;
  };
  socket[guarded] = true;
}
