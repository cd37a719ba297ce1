import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { cliActor } from '../audit/service.ts';
import { policyOverrideSchema } from '../config/policy-schema.ts';
import { parseCidr } from '../identity/ip-allowlist.ts';
import { publicKeyView } from '../identity/key-view.ts';
import { roleNameSchema } from '../identity/rbac.ts';
import { SCOPES } from '../identity/scopes.ts';
import { parseDuration } from '../util/duration.ts';
import { CliError, csv, table, withCore } from './shared.ts';

const createOpts = z.object({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w .@-]+$/, 'letters, digits, space, _ . @ -'),
  role: z.union([z.literal('user'), roleNameSchema]),
  tenant: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a tenant id'),
  ipAllowlist: z.array(z.string()).default([]),
  scopes: z.array(z.union([z.enum(SCOPES), z.literal('*')])).min(1),
  models: z.array(z.string().min(1).max(256)).min(1),
  prompts: z.array(z.string().regex(/^([a-z0-9][a-z0-9_-]{0,63}\*?|\*)$/, 'prompt ids or prefixes ending in *')).min(1),
  expiresIn: z.string().optional(),
  json: z.boolean().optional(),
});

function readPolicy(file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`--policy: cannot read ${file}: ${(err as Error).message.split('\n')[0]}`, 2);
  }
  const parsed = policyOverrideSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CliError(
      `--policy: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      2,
    );
  }
  return parsed.data as Record<string, unknown>;
}

function tenantArg(value: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(value)) throw new CliError('--tenant: a tenant id', 2);
  return value;
}

function printSecret(secret: string, id: string, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ id, key: secret })}\n`);
    return;
  }
  process.stdout.write(`Key id: ${id}\nAPI key (shown once, store it now):\n\n  ${secret}\n\n`);
}

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('issue, list, rotate and revoke API keys');

  keys
    .command('create')
    .description('issue a new API key (the secret is printed once)')
    .requiredOption('--name <name>', 'what the key is for')
    .addOption(
      new Option(
        '--role <role>',
        'user (caller endpoints only), or an admin role: admin, editor, viewer or a custom role of the tenant',
      ).default('user'),
    )
    .option('--scopes <list>', `comma-separated: ${SCOPES.join(', ')} or *`, 'chat,messages,models')
    .option('--models <list>', 'comma-separated model names or prefixes ending in *', '*')
    .option('--prompts <list>', 'comma-separated prompt ids (or prefixes ending in *) the key may execute', '*')
    .option('--expires-in <duration>', 'e.g. 30d, 12h')
    .option('--tenant <id>', 'the tenant the key belongs to', 'default')
    .option('--ip-allowlist <list>', 'comma-separated CIDR ranges the key may be used from')
    .option('--policy <file>', 'guard policy override for this key (YAML or JSON, as `guard` in the config)')
    .option('--json', 'machine-readable output')
    .action(async (raw, cmd: Command) => {
      const parsed = createOpts.safeParse({
        ...raw,
        scopes: csv(raw.scopes),
        models: csv(raw.models),
        prompts: csv(raw.prompts),
        ipAllowlist: raw.ipAllowlist ? csv(raw.ipAllowlist) : [],
      });
      if (!parsed.success) {
        throw new CliError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '), 2);
      }
      const o = parsed.data;
      let expiresAt: Date | null = null;
      if (o.expiresIn) {
        try {
          expiresAt = new Date(Date.now() + parseDuration(o.expiresIn));
        } catch (err) {
          throw new CliError(`--expires-in: ${(err as Error).message}`, 2);
        }
      }
      const policy = raw.policy ? readPolicy(raw.policy as string) : null;
      for (const entry of o.ipAllowlist) {
        try {
          parseCidr(entry);
        } catch (err) {
          throw new CliError(`--ip-allowlist: ${(err as Error).message}`, 2);
        }
      }
      await withCore(cmd, async ({ keys: svc, directory, audit }) => {
        if (!(await directory.tenant(o.tenant))) throw new CliError(`no tenant "${o.tenant}"`, 2);
        if (o.role !== 'user' && !(await directory.rolePermissions(o.tenant, o.role))) {
          throw new CliError(`--role: no role "${o.role}" in tenant ${o.tenant}`, 2);
        }
        const { key, secret } = await svc.create({
          policy,
          tenantId: o.tenant,
          ipAllowlist: o.ipAllowlist,
          name: o.name,
          role: o.role === 'admin' ? 'admin' : 'user',
          adminRole: o.role === 'user' ? null : o.role,
          scopes: o.scopes,
          models: o.models,
          prompts: o.prompts,
          expiresAt,
        });
        await audit.record({ tenantId: o.tenant, actor: cliActor(), action: 'key.create', target: key.id });
        printSecret(secret, key.id, o.json);
      });
    });

  keys
    .command('list')
    .description('list keys (never their secrets)')
    .option('--tenant <id>', 'the tenant whose keys to list', 'default')
    .option('--json', 'machine-readable output')
    .action(async (opts, cmd: Command) => {
      await withCore(cmd, async ({ keys: svc }) => {
        const list = (await svc.list(tenantArg(opts.tenant))).map((k) => publicKeyView(k));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          table(
            list.map((k) => ({
              id: k.id,
              name: k.name,
              prefix: `${k.prefix}…`,
              role: k.role,
              scopes: k.scopes.join(','),
              status: k.status,
              expires: k.expiresAt ?? '-',
            })),
          ),
        );
      });
    });

  keys
    .command('revoke')
    .description('revoke a key; it is refused from then on')
    .argument('<id>', 'key id (key_...)')
    .option('--tenant <id>', 'the tenant the key belongs to', 'default')
    .action(async (id: string, opts: { tenant: string }, cmd: Command) => {
      const tenantId = tenantArg(opts.tenant);
      await withCore(cmd, async ({ keys: svc, audit }) => {
        if (!(await svc.revoke(id, tenantId))) throw new CliError(`no key with id ${id.slice(0, 64)}`);
        await audit.record({ tenantId, actor: cliActor(), action: 'key.revoke', target: id });
        process.stdout.write(`revoked ${id}\n`);
      });
    });

  keys
    .command('rotate')
    .description('issue a replacement key; the old one keeps working for the grace period')
    .argument('<id>', 'key id (key_...)')
    .option('--grace <duration>', 'how long the old key stays valid', '24h')
    .option('--tenant <id>', 'the tenant the key belongs to', 'default')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts, cmd: Command) => {
      let graceMs: number;
      try {
        graceMs = parseDuration(opts.grace);
      } catch (err) {
        throw new CliError(`--grace: ${(err as Error).message}`, 2);
      }
      const tenantId = tenantArg(opts.tenant);
      await withCore(cmd, async ({ keys: svc, audit }) => {
        const next = await svc.rotate(id, graceMs, tenantId);
        if (!next) throw new CliError(`no active key with id ${id.slice(0, 64)}`);
        await audit.record({
          tenantId,
          actor: cliActor(),
          action: 'key.rotate',
          target: id,
          detail: { replacedBy: next.key.id },
        });
        if (!opts.json) process.stdout.write(`${id} stays valid for ${opts.grace}, then expires.\n`);
        printSecret(next.secret, next.key.id, opts.json);
      });
    });
}
