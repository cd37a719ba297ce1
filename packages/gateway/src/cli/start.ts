import type { Command } from 'commander';
import { z } from 'zod';
import { CliError, configFrom } from './shared.ts';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start the gateway')
    .option('-p, --port <port>', 'listen port (overrides config)')
    .option('-H, --host <host>', 'listen address (overrides config)')
    .action(async (opts, cmd: Command) => {
      const overrides: Record<string, unknown> = {};
      if (opts.port !== undefined) {
        const port = z.coerce.number().int().min(0).max(65535).safeParse(opts.port);
        if (!port.success) throw new CliError(`--port must be 0-65535, got ${String(opts.port).slice(0, 20)}`, 2);
        overrides['server.port'] = port.data;
      }
      if (opts.host !== undefined) overrides['server.host'] = opts.host;
      const config = configFrom(cmd, overrides);
      const { createLogger, startGateway } = await import('../gateway.ts');
      const log = createLogger(config);
      const gw = await startGateway(config, { log });
      const out = process.stderr;
      out.write(`\nPortcullis is listening on ${gw.url}\n`);
      out.write(
        `  storage: ${gw.core.store.kind}${gw.core.store.kind === 'sqlite' ? ` (${config.storage.url})` : ''}\n`,
      );
      if (gw.core.masterKeySource === 'created') {
        out.write(`  master key created at ${config.secrets.masterKeyFile} (mode 0600) — back it up\n`);
      }
      if (gw.bootstrapKey) {
        out.write('\nFirst start: an admin API key was created. It is shown only this once:\n\n');
        out.write(`  ${gw.bootstrapKey}\n\n`);
        out.write('Try it:\n\n');
        out.write(
          `  curl ${gw.url}/v1/chat/completions \\\n    -H "Authorization: Bearer ${gw.bootstrapKey}" \\\n    -H "Content-Type: application/json" \\\n    -d '{"model":"mock-1","messages":[{"role":"user","content":"Hello"}]}'\n\n`,
        );
        out.write(`or with the OpenAI SDK: new OpenAI({ baseURL: '${gw.url}/v1', apiKey: '<the key>' })\n`);
        out.write('Issue keys for applications with: npm run portcullis -- keys create --name my-app\n\n');
      } else {
        out.write('  keys: npm run portcullis -- keys list | keys create --name my-app\n\n');
      }
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, 'shutting down: finishing in-flight requests');
        gw.close().then(
          () => process.exit(0),
          (err) => {
            log.error({ err: (err as Error).message }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
