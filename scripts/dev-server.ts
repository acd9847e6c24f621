import path from 'node:path';

/**
 * How the project's dev servers (the demo identity providers, the demo care record) run
 * as a command: started only when their file is the one run (tests import them instead),
 * stopped cleanly on Ctrl+C or SIGTERM.
 */
export function runAsCommand(moduleFile: string, name: string, start: () => Promise<{ close(): Promise<void> }>): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== moduleFile) return;
  start().then(
    (running) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`Stopping ${name} (${signal})\n`);
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
        // Browsers keep connections open: do not wait for them for ever.
        setTimeout(() => process.exit(0), 3000).unref();
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
    (error: Error) => {
      process.stderr.write(`Could not start ${name}: ${error.message}\n`);
      process.exit(1);
    },
  );
}
