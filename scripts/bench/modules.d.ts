// Types for the two untyped modules the benchmark uses, only as far as it uses them.

declare module 'autocannon' {
  type Histogram = { average: number; p50: number; p99: number; total: number };

  namespace autocannon {
    type Options = { url: string; connections: number; duration: number; headers?: Record<string, string> };
    type Result = {
      requests: Histogram;
      latency: Histogram;
      throughput: Histogram;
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
    };
    type Instance = {
      stop(): void;
      /** Each answer: its status, its bytes and the time it took (ms). */
      on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): Instance;
    };
  }

  function autocannon(options: autocannon.Options, done: (error: Error | null, result: autocannon.Result) => void): autocannon.Instance;
  export = autocannon;
}
