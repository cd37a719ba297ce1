#!/usr/bin/env node
import { Command, Option } from 'commander';
import { registerAuditCommands } from './audit.ts';
import { registerGuardCommand } from './guard.ts';
import { registerKeyCommands } from './keys.ts';
import { registerPrivacyCommands } from './privacy.ts';
import { registerPromptCommands } from './prompts.ts';
import { registerProviderCommands } from './providers.ts';
import { registerRetentionCommands } from './retention.ts';
import { registerScanCommand } from './scan.ts';
import { CliError } from './shared.ts';
import { registerStartCommand } from './start.ts';
import { registerTenantCommands } from './tenants.ts';
import { registerUsageCommand } from './usage.ts';

const program = new Command()
  .name('portcullis')
  .description('Portcullis: a security gateway for LLM applications')
  .addOption(new Option('-c, --config <file>', 'config file (YAML); default ./portcullis.yaml when present'))
  .showHelpAfterError('(add --help for usage)')
  .configureOutput({ outputError: (text, write) => write(text) })
  // Before the subcommands exist, so they inherit it: usage errors exit 2, not commander's 1.
  .exitOverride();

registerStartCommand(program);
registerKeyCommands(program);
registerProviderCommands(program);
registerPromptCommands(program);
registerTenantCommands(program);
registerGuardCommand(program);
registerScanCommand(program);
registerUsageCommand(program);
registerAuditCommands(program);
registerPrivacyCommands(program);
registerRetentionCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const e = err as { code?: string; exitCode?: number; message?: string };
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
  if (typeof e.code === 'string' && e.code.startsWith('commander.')) process.exit(2);
  if (err instanceof CliError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  if ((err as { name?: string })?.name === 'GatewayError') {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const name = (err as Error)?.name;
  if (name === 'ConfigError' || name === 'MasterKeyError') {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
}
