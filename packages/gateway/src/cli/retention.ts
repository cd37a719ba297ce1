import type { Command } from 'commander';
import { withCore } from './shared.ts';

// `portcullis retention run`: the retention purge once, now (the server also runs it every retention.intervalMs).

export function registerRetentionCommands(program: Command): void {
  const retention = program.command('retention').description('delete data older than each tenant keeps it');

  retention
    .command('run')
    .description("purge expired request records, outputs and audit records now, per each tenant's settings")
    .option('--json', 'machine-readable output')
    .action(async (opts, cmd: Command) => {
      const { cliActor } = await import('../audit/service.ts');
      await withCore(cmd, async (core) => {
        const report = await core.retentionJob.run(cliActor());
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          for (const t of report.tenants) {
            if (!t.deleted) {
              process.stdout.write(`${t.tenantId}: skipped (another process is purging it)\n`);
              continue;
            }
            const d = t.deleted;
            process.stdout.write(
              `${t.tenantId}: ${d.requestLog} request records, ${d.executionOutputs + d.unmaskedOutputs} outputs, ` +
                `${d.auditRecords} audit records deleted${t.refused ? ` — audit purge refused: ${t.refused}` : ''}\n`,
            );
          }
        }
        if (report.tenants.some((t) => t.refused)) process.exitCode = 1;
      });
    });
}
