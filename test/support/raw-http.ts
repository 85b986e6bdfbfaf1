import { connect, type Socket } from 'node:net';

/** An HTTP/1.1 answer read off a raw socket. */
export interface RawAnswer {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  text: string;
  /** The parsed body when it is JSON, else null. */
  body: any;
}

/** Parses one HTTP/1.1 response (Content-Length framed, or up to the end of the connection). */
export function parseRawAnswer(raw: Buffer): RawAnswer {
  const end = raw.indexOf('\r\n\r\n');
  const head = (end < 0 ? raw : raw.subarray(0, end)).toString('latin1');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  let content = end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4);
  if (headers['content-length'] !== undefined) content = content.subarray(0, Number(headers['content-length']));
  const text = content.toString('utf8');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, text, body };
}

/** Whether `raw` holds a whole Content-Length framed answer. */
function complete(raw: Buffer): boolean {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(raw.subarray(0, end).toString('latin1'));
  return length !== null && raw.length - end - 4 >= Number(length[1]);
}

/** Opens a TCP connection to the host and port of `url`. */
export async function openSocket(url: string, localAddress?: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ...(localAddress ? { localAddress } : {}) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with the first whole answer `socket` receives, or with what it received when the server ends the connection. */
export function readAnswer(socket: Socket): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      socket.removeListener('data', onData);
      resolve(parseRawAnswer(received));
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (complete(received)) done();
    };
    socket.on('data', onData);
    socket.once('end', done);
    socket.once('close', done);
    socket.once('error', (error: Error) => {
      if (received.length > 0) return done();
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

/**
 * Sends `request` as is (bytes a fetch client cannot send: unknown methods, malformed request lines, huge paths)
 * and reads the answer.
 */
export async function sendRaw(url: string, request: string | Buffer): Promise<RawAnswer> {
  const socket = await openSocket(url);
  const answer = readAnswer(socket);
  socket.write(request);
  try {
    return await answer;
  } finally {
    socket.destroy();
  }
}
