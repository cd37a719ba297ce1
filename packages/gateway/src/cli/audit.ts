import { createWriteStream } from 'node:fs';
import { type Command, Option } from 'commander';
import type { AuditFilters } from '../audit/filters.ts';
import { DEFAULT_TENANT } from '../store/types.ts';
import { CliError, table, withCore } from './shared.ts';

// `portcullis audit …`: verify the hash chain, search and export the audit log (docs/audit.md).

const TENANT = /^[a-z0-9][a-z0-9_-]{0,63}$/;

function tenantOpt(value: string | undefined): string {
  const t = value ?? DEFAULT_TENANT;
  if (!TENANT.test(t)) throw new CliError(`--tenant: "${t.slice(0, 64)}" is not a tenant id`, 2);
  return t;
}

const FILTER_OPTIONS: Array<[string, string]> = [
  ['--since <time>', 'from this time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)'],
  ['--until <time>', 'before this time'],
  ['--actor <actor>', 'e.g. key:key_01…, user:usr_…, cli:alice, system:retention'],
  ['--user <id>', 'shorthand for --actor user:<id>'],
  ['--key <id>', 'the API key involved'],
  ['--action <action>', 'e.g. request, key.revoke, or a prefix such as privacy.*'],
  ['--outcome <outcome>', 'success, failure, allowed, refused or failed'],
  ['--subject <id>', "the end user's id (as the application sends it)"],
  ['--target <target>', 'e.g. "POST /v1/chat/completions"'],
];

function withFilters(cmd: Command): Command {
  for (const [flags, help] of FILTER_OPTIONS) cmd.option(flags, help);
  return cmd.option('--tenant <id>', 'tenant', DEFAULT_TENANT);
}

/** Validates filter options with the same schema as the admin API; a bad value is a usage error. */
async function parseFilters(opts: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<AuditFilters> {
  const { auditFiltersSchema, describeFilterError } = await import('../audit/filters.ts');
  const raw: Record<string, unknown> = { ...extra };
  for (const k of ['since', 'until', 'actor', 'user', 'key', 'action', 'outcome', 'subject', 'target']) {
    if (opts[k] !== undefined) raw[k] = opts[k];
  }
  const parsed = auditFiltersSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`invalid filter: ${describeFilterError(parsed.error).message}`, 2);
  return parsed.data;
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('verify, search and export the hash-chained audit log');

  audit
    .command('verify')
    .description('walk the hash chain(s) and report where they break (exit 1 when broken)')
    .option('--tenant <id>', 'one tenant (default: every chain)')
    .option('--json', 'machine-readable output')
    .action(async (opts, cmd: Command) => {
      const tenant = opts.tenant === undefined ? undefined : tenantOpt(opts.tenant);
      await withCore(cmd, async (core) => {
        const report = await core.audit.verify(tenant);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          if (report.chains.length === 0) process.stdout.write('no audit records\n');
          for (const c of report.chains) {
            const range = c.firstSeq === null ? 'no records' : `seq ${c.firstSeq}–${c.lastSeq}`;
            const from = c.anchor.kind === 'genesis' ? 'from the start' : `from checkpoint ${c.anchor.seq}`;
            const status = c.ok ? 'ok' : 'BROKEN';
            process.stdout.write(
              `${c.tenantId}: ${status} (${c.records} records, ${range}, ${from}, ${c.checkpoints} checkpoints)\n`,
            );
            for (const p of c.problems) process.stdout.write(`  seq ${p.seq}: ${p.kind}: ${p.message}\n`);
            if (c.truncatedProblems) process.stdout.write('  (more problems not shown)\n');
          }
        }
        if (!report.ok) process.exitCode = 1;
      });
    });

  audit
    .command('checkpoint')
    .description("sign the chain's current head now")
    .option('--tenant <id>', 'tenant', DEFAULT_TENANT)
    .action(async (opts, cmd: Command) => {
      const tenant = tenantOpt(opts.tenant);
      await withCore(cmd, async (core) => {
        const cp = await core.audit.checkpoint(tenant);
        process.stdout.write(cp ? `checkpoint at seq ${cp.seq}: ${cp.hash}\n` : 'no audit records\n');
      });
    });

  withFilters(
    audit
      .command('search')
      .description('find audit records (newest first)')
      .option('--limit <n>', 'at most this many (1–1000)', '50')
      .option('--cursor <seq>', 'continue after this seq (printed at the end of a page)')
      .option('--json', 'machine-readable output (JSON Lines)'),
  ).action(async (opts, cmd: Command) => {
    const tenant = tenantOpt(opts.tenant);
    const filters = await parseFilters(opts, {
      limit: opts.limit,
      ...(opts.cursor !== undefined ? { cursor: opts.cursor } : {}),
    });
    await withCore(cmd, async (core) => {
      const page = await core.audit.search(tenant, filters);
      if (opts.json) {
        const { jsonLine } = await import('../audit/export-format.ts');
        for (const r of page.data) process.stdout.write(jsonLine(r));
        return;
      }
      process.stdout.write(
        table(
          page.data.map((r) => ({
            seq: String(r.seq),
            at: r.at.toISOString(),
            actor: r.actor,
            action: r.action,
            outcome: r.outcome,
            target: r.target ?? '',
            subject: r.subject ?? '',
          })),
        ),
      );
      if (page.nextCursor !== null) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
    });
  });

  withFilters(
    audit
      .command('export')
      .description('export matching records (oldest first) as JSON Lines or CSV; the export is itself audited')
      .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
      .option('--out <file>', 'write to this file (default: standard output)'),
  ).action(async (opts, cmd: Command) => {
    const tenant = tenantOpt(opts.tenant);
    const filters = await parseFilters(opts);
    const { cliActor } = await import('../audit/service.ts');
    await withCore(cmd, async (core) => {
      const file = opts.out ? createWriteStream(opts.out, { mode: 0o600 }) : undefined;
      const sink = file ?? process.stdout;
      const write = (chunk: string) =>
        sink.write(chunk) ? undefined : new Promise<void>((resolve) => sink.once('drain', () => resolve()));
      const res = await core.audit.export(tenant, filters, opts.format, write, cliActor());
      if (file) {
        await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
        process.stderr.write(`${res.records} records written to ${opts.out} (sha256 ${res.sha256})\n`);
      }
    });
  });
}
