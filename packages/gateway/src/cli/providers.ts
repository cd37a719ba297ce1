import { type Command, Option } from 'commander';
import { z } from 'zod';
import { providerConfigSchema } from '../config/schema.ts';
import { ProviderCatalog } from '../providers/catalog.ts';
import { CliError, csv, readStdin, table, withCore } from './shared.ts';

const addOpts = z.object({
  name: providerConfigSchema.shape.name,
  kind: providerConfigSchema.shape.kind,
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  models: z.array(z.string().min(1).max(256)),
  timeoutMs: z.coerce.number().int().min(100).max(600_000).optional(),
  maxRetries: z.coerce.number().int().min(0).max(10).optional(),
});

export function registerProviderCommands(program: Command): void {
  const providers = program.command('providers').description('configure upstream model providers');

  providers
    .command('add')
    .description('add or replace a provider; its API key is stored encrypted')
    .requiredOption('--name <name>', 'provider name, used in routes and as name/model')
    .addOption(
      new Option('--kind <kind>', 'provider type')
        .choices(['openai', 'anthropic', 'openai-compatible', 'mock'])
        .makeOptionMandatory(),
    )
    .option('--base-url <url>', 'API base URL (required for openai-compatible)')
    .option('--api-key-env <var>', 'read the API key from this environment variable')
    .option('--api-key-stdin', 'read the API key from standard input (keeps it out of shell history)')
    .option('--models <list>', 'comma-separated models this provider serves by name', '')
    .option('--timeout-ms <ms>', 'per-attempt timeout')
    .option('--max-retries <n>', 'retries on 429/5xx before falling back')
    .action(async (raw, cmd: Command) => {
      const parsed = addOpts.safeParse({ ...raw, models: csv(raw.models) });
      if (!parsed.success) {
        throw new CliError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '), 2);
      }
      const o = parsed.data;
      if (o.kind === 'openai-compatible' && !o.baseUrl)
        throw new CliError('--base-url is required for openai-compatible', 2);
      let apiKey: string | undefined;
      if (raw.apiKeyEnv) {
        apiKey = process.env[raw.apiKeyEnv];
        if (!apiKey) throw new CliError(`environment variable ${raw.apiKeyEnv} is empty or not set`, 2);
      } else if (raw.apiKeyStdin) {
        apiKey = (await readStdin()).trim();
        if (!apiKey) throw new CliError('no API key on standard input', 2);
      }
      const settings: Record<string, unknown> = {};
      if (o.timeoutMs !== undefined) settings.timeoutMs = o.timeoutMs;
      if (o.maxRetries !== undefined) settings.maxRetries = o.maxRetries;
      await withCore(cmd, async ({ store, box }) => {
        const catalog = new ProviderCatalog(store.providers, box);
        await catalog.add({ name: o.name, kind: o.kind, baseUrl: o.baseUrl, apiKey, models: o.models, settings });
        process.stdout.write(`provider ${o.name} saved${apiKey ? ' (API key encrypted at rest)' : ''}\n`);
      });
    });

  providers
    .command('list')
    .description('list stored providers (never their keys)')
    .option('--json', 'machine-readable output')
    .action(async (opts, cmd: Command) => {
      await withCore(cmd, async ({ store, box }) => {
        const list = (await new ProviderCatalog(store.providers, box).list()).map((p) => ({
          name: p.name,
          kind: p.kind,
          baseUrl: p.baseUrl,
          hasKey: p.apiKeyCiphertext !== null,
          models: p.models,
          updatedAt: p.updatedAt.toISOString(),
        }));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          table(
            list.map((p) => ({
              name: p.name,
              kind: p.kind,
              baseUrl: p.baseUrl ?? '(default)',
              key: p.hasKey ? 'set' : '-',
              models: p.models.join(',') || '-',
            })),
          ),
        );
      });
    });

  providers
    .command('remove')
    .description('remove a stored provider')
    .argument('<name>')
    .action(async (name: string, _opts, cmd: Command) => {
      await withCore(cmd, async ({ store, box }) => {
        if (!(await new ProviderCatalog(store.providers, box).remove(name))) {
          throw new CliError(`no provider named ${name.slice(0, 64)}`);
        }
        process.stdout.write(`removed ${name}\n`);
      });
    });
}
