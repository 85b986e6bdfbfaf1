import { createServer, connect, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy that can stop forwarding without closing anything, as a hung network or server does. */
export interface StallProxy {
  /** The port the proxy listens on (127.0.0.1). */
  port: number;
  /**
   * Stops forwarding in both directions, for the connections already open and for new ones: bytes and closes
   * are held (never dropped), connections stay open and new connections are accepted.
   */
  stall(): void;
  /** Delivers what was held, in order, and forwards again. */
  resume(): void;
  /** Closes the listener and every connection at once. */
  close(): Promise<void>;
}

/** One direction of a connection: what `from` sends is written to `to`, or held while the proxy is stalled. */
interface Direction {
  from: Socket;
  to: Socket;
  held: Buffer[];
  ended: boolean;
}

/**
 * Starts a proxy on 127.0.0.1 (a free port) forwarding to `target`. It exists to test what a service does when its
 * database accepts connections but does not answer: point the service's URL at `port`, then {@link StallProxy.stall}.
 * @param target - where to forward, e.g. `{ host: '127.0.0.1', port: 5432 }`
 */
export async function startStallProxy(target: { host: string; port: number }): Promise<StallProxy> {
  let stalled = false;
  const directions = new Set<Direction>();
  const sockets = new Set<Socket>();

  const flush = (d: Direction) => {
    if (stalled || d.to.destroyed) return;
    for (const chunk of d.held.splice(0)) d.to.write(chunk);
    if (d.ended) {
      d.to.end();
      directions.delete(d);
    } else {
      d.from.resume();
    }
  };

  const forward = (from: Socket, to: Socket) => {
    const d: Direction = { from, to, held: [], ended: false };
    directions.add(d);
    from.on('data', (chunk: Buffer) => {
      if (stalled) {
        d.held.push(chunk);
        from.pause();
      } else if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => !stalled && from.resume());
      }
    });
    from.on('end', () => {
      d.ended = true;
      flush(d);
    });
  };

  const track = (socket: Socket) => {
    sockets.add(socket);
    // A reset on one side is not this proxy's business to report: the peer sees the connection go away.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  };

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    track(client);
    track(upstream);
    if (stalled) client.pause();
    forward(client, upstream);
    forward(upstream, client);
    // A side that is torn down (not merely half-closed) takes the other with it, unless the proxy is holding traffic.
    const teardown = (other: Socket) => () => {
      if (!stalled) other.destroy();
    };
    client.on('close', teardown(upstream));
    upstream.on('close', teardown(client));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the stall proxy has no TCP address');

  return {
    port: address.port,
    stall() {
      stalled = true;
      for (const d of directions) d.from.pause();
    },
    resume() {
      stalled = false;
      for (const d of [...directions]) flush(d);
      // Sockets whose peer went away while held are closed now that traffic flows again.
      for (const d of [...directions]) if (d.from.destroyed && !d.to.destroyed) d.to.end();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
