import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_TENANT } from '../store/types.ts';
import { CliError, withCore } from './shared.ts';

// `portcullis privacy …`: GDPR access and erasure requests by subject id (docs/audit.md).

async function checkArgs(subject: string, tenant: string): Promise<void> {
  const { subjectSchema } = await import('../audit/filters.ts');
  if (!subjectSchema.safeParse(subject).success) {
    throw new CliError('<subject>: 1–256 printable characters without control characters', 2);
  }
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(tenant))
    throw new CliError(`--tenant: "${tenant.slice(0, 64)}" is not a tenant id`, 2);
}

export function registerPrivacyCommands(program: Command): void {
  const privacy = program.command('privacy').description('export or erase everything stored about an end user');

  privacy
    .command('export')
    .description('everything stored about a subject, as JSON')
    .argument('<subject>', "the end user's id, as the application sends it")
    .option('--tenant <id>', 'tenant', DEFAULT_TENANT)
    .option('--out <file>', 'write to this file (mode 0600) instead of standard output')
    .action(async (subject: string, opts, cmd: Command) => {
      await checkArgs(subject, opts.tenant);
      const { cliActor } = await import('../audit/service.ts');
      await withCore(cmd, async (core) => {
        const data = await core.privacy.export(opts.tenant, subject, cliActor());
        const text = `${JSON.stringify(data, null, 2)}\n`;
        if (opts.out) {
          writeFileSync(opts.out, text, { mode: 0o600 });
          process.stderr.write(
            `written to ${opts.out}: ${data.requestLog.length} request records, ${data.executionOutputs.length} outputs, ${data.auditEvents.length} audit events\n`,
          );
        } else {
          process.stdout.write(text);
        }
      });
    });

  privacy
    .command('erase')
    .description("delete everything stored about a subject (request records, outputs, the audit log's link)")
    .argument('<subject>', "the end user's id, as the application sends it")
    .option('--tenant <id>', 'tenant', DEFAULT_TENANT)
    .option('--yes', 'confirm: this cannot be undone')
    .option('--json', 'machine-readable report')
    .action(async (subject: string, opts, cmd: Command) => {
      await checkArgs(subject, opts.tenant);
      if (!opts.yes) throw new CliError('erasure cannot be undone: add --yes to confirm', 2);
      const { cliActor } = await import('../audit/service.ts');
      await withCore(cmd, async (core) => {
        const report = await core.privacy.erase(opts.tenant, subject, cliActor());
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const r = report.removed;
        process.stdout.write(
          `erased: ${r.requestLog} request records, ${r.executionOutputs} stored outputs; ` +
            `${r.auditRecordsUnlinked} audit records no longer link to the subject (audit seq ${report.auditSeq})\n`,
        );
      });
    });
}
