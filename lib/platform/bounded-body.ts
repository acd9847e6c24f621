/**
 * A request's or a response's body, at most `limit` bytes, read as it arrives: a larger one
 * (said so by its Content-Length, or found so while reading) is refused before it is all read,
 * and the rest is not read at all. Forms, the letters API and the receivers' answers use it.
 */
export async function readBounded(message: Request | Response, limit: number): Promise<Uint8Array | 'too-large'> {
  const declared = Number(message.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > limit) return 'too-large';
  if (!message.body) return new Uint8Array();
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return 'too-large';
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
