import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/**
 * The OAuth server (oidc-provider) is a Node.js request listener; Next.js route handlers get a
 * web Request and answer a web Response. This turns one into the other, in memory: a Node
 * request made from the web one (its body already read), and a Node response whose status,
 * headers and body become the web Response.
 */

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

export type NodeRequestOptions = {
  /** The path and query the listener should see (the web request's own by default). */
  url?: string;
  /** The whole path and query, when `url` is below a mount point (Express's req.originalUrl). */
  originalUrl?: string;
  /** The request's headers as the listener should see them. */
  headers: Record<string, string>;
  method: string;
  body?: Buffer;
};

/** A Node request carrying the given method, address, headers and body. */
export function nodeRequest(options: NodeRequestOptions): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = options.method;
  req.url = options.url ?? '/';
  if (options.originalUrl) Object.assign(req, { originalUrl: options.originalUrl });
  const body = options.body ?? Buffer.alloc(0);
  req.headers = { ...options.headers };
  if (body.length > 0) req.headers['content-length'] = String(body.length);
  else delete req.headers['content-length'];
  if (body.length > 0) req.push(body);
  req.push(null);
  return req;
}

/** A Node response that keeps what is written to it, and says when it has ended. */
export function capturingResponse(req: IncomingMessage): { res: ServerResponse; ended: Promise<Response> } {
  const res = new ServerResponse(req);
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  const ended = new Promise<Response>((resolve) => {
    res.write = ((chunk: unknown, encoding?: unknown) => {
      keep(chunk, encoding);
      return true;
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown, encoding?: unknown) => {
      keep(chunk, encoding);
      resolve(webResponse(res, Buffer.concat(chunks)));
      return res;
    }) as ServerResponse['end'];
  });
  return { res, ended };
}

function webResponse(res: ServerResponse, body: Buffer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [String(value)]) headers.append(name, one);
  }
  const status = res.statusCode || 200;
  const noBody = status === 204 || status === 304 || body.length === 0;
  return new Response(noBody ? null : new Uint8Array(body), { status, headers });
}

/** Runs a Node listener for one request and answers its response as a web Response. */
export async function runNodeListener(listener: NodeListener, options: NodeRequestOptions): Promise<Response> {
  const req = nodeRequest(options);
  const { res, ended } = capturingResponse(req);
  await listener(req, res);
  return ended;
}
