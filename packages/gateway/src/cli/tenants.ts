import type { Command } from 'commander';
import { z } from 'zod';
import { CliError, table, withCore } from './shared.ts';

// The operator's console for tenants and their users. It acts with full rights (it holds the database and the
// master key) but through the same services as the admin API, so the same rules hold.

const tenantId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - or _ (max 64)');
const ALL = ['*', 'tenants:read', 'tenants:write', 'tenants:delete'];

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliError(`${what}: ${r.error.issues[0]?.message ?? 'invalid'}`, 2);
  return r.data;
}

export function registerTenantCommands(program: Command): void {
  const tenants = program.command('tenants').description('create, list, pause and resume tenants (operator)');

  tenants
    .command('list')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async ({ directory }) => {
        const list = await directory.listTenants();
        if (opts.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        process.stdout.write(
          table(list.map((t) => ({ id: t.id, name: t.name, status: t.status, created: t.createdAt.toISOString() }))),
        );
      });
    });

  tenants
    .command('create')
    .description('create a tenant and print its first admin key (once)')
    .argument('<id>')
    .requiredOption('--name <name>', 'display name')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { name: string; json?: boolean }, cmd: Command) => {
      const tid = parse(tenantId, id, '<id>');
      const name = parse(z.string().min(1).max(100), opts.name, '--name');
      await withCore(cmd, async ({ directory, keys }) => {
        const t = await directory.createTenant(tid, name);
        const first = await keys.create({ tenantId: t.id, name: 'first admin', role: 'admin', scopes: ['*'] });
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ tenant: t.id, adminKeyId: first.key.id, adminKey: first.secret })}\n`,
          );
          return;
        }
        process.stdout.write(
          `tenant ${t.id} created\nfirst admin key (shown once, store it now):\n\n  ${first.secret}\n\n`,
        );
      });
    });

  for (const [action, status] of [
    ['pause', 'paused'],
    ['resume', 'active'],
  ] as const) {
    tenants
      .command(action)
      .argument('<id>')
      .description(
        action === 'pause' ? "refuse every request of the tenant's keys and tokens" : 'serve the tenant again',
      )
      .action(async (id: string, _opts, cmd: Command) => {
        await withCore(cmd, async ({ directory }) => {
          const t = await directory.setTenantStatus(parse(tenantId, id, '<id>'), status);
          process.stdout.write(`tenant ${t.id} is ${t.status}\n`);
        });
      });
  }

  const users = program.command('users').description("manage a tenant's users");

  users
    .command('list')
    .option('--tenant <id>', 'tenant', 'default')
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant: string; json?: boolean }, cmd: Command) => {
      await withCore(cmd, async ({ directory }) => {
        const list = await directory.listUsers(parse(tenantId, opts.tenant, '--tenant'));
        if (opts.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        process.stdout.write(
          table(
            list.map((u) => ({
              id: u.id,
              email: u.email,
              name: u.name,
              role: u.role,
              disabled: u.disabledAt ? 'yes' : '',
            })),
          ),
        );
      });
    });

  users
    .command('add')
    .argument('<email>')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', 'admin, editor, viewer or a custom role')
    .option('--tenant <id>', 'tenant', 'default')
    .action(async (email: string, opts: { name: string; role: string; tenant: string }, cmd: Command) => {
      const mail = parse(
        z
          .string()
          .max(254)
          .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an email address'),
        email,
        '<email>',
      );
      await withCore(cmd, async ({ directory }) => {
        const u = await directory.createUser(
          parse(tenantId, opts.tenant, '--tenant'),
          { email: mail, name: opts.name, role: opts.role },
          ALL,
        );
        process.stdout.write(`user ${u.id} (${u.email}) added as ${u.role}\n`);
      });
    });

  users
    .command('set')
    .argument('<id>')
    .option('--role <role>', 'new role')
    .option('--disable', 'disable the user (their keys stop working)')
    .option('--enable', 'enable the user again')
    .option('--tenant <id>', 'tenant', 'default')
    .action(
      async (
        id: string,
        opts: { role?: string; disable?: boolean; enable?: boolean; tenant: string },
        cmd: Command,
      ) => {
        if (opts.disable && opts.enable) throw new CliError('--disable and --enable exclude each other', 2);
        await withCore(cmd, async ({ directory }) => {
          const u = await directory.updateUser(
            parse(tenantId, opts.tenant, '--tenant'),
            id,
            { role: opts.role, disabled: opts.disable ? true : opts.enable ? false : undefined },
            ALL,
          );
          process.stdout.write(`user ${u.id}: role ${u.role}${u.disabledAt ? ', disabled' : ''}\n`);
        });
      },
    );
}
