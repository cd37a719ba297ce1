import { readdirSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { type Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { CliError, table, withCore } from './shared.ts';

// Prompts as code: definitions live in a repository as YAML, are reviewed there, and `push` applies them.

const MAX_FILE_BYTES = 1024 * 1024;

function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

function yamlFiles(dir: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch {
    throw new CliError(`${dir}: no such file or directory`, 2);
  }
  if (st.isFile()) return [dir];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => /\.ya?ml$/i.test(f))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

function loadDefinitions(dir: string): Array<{ file: string; def: unknown }> {
  const files = yamlFiles(dir);
  if (files.length === 0) throw new CliError(`${dir}: no .yaml or .yml files`, 2);
  const out: Array<{ file: string; def: unknown }> = [];
  const problems: string[] = [];
  for (const file of files) {
    const name = relative(process.cwd(), file) || file;
    if (statSync(file).size > MAX_FILE_BYTES) {
      problems.push(`${name}: larger than 1 MiB`);
      continue;
    }
    try {
      out.push({ file: name, def: parseYaml(readFileSync(file, 'utf8'), { maxAliasCount: 100 }) });
    } catch (err) {
      problems.push(`${name}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
  }
  if (problems.length) throw new CliError(problems.join('\n'), 1);
  return out;
}

function colourDiff(diff: string): string {
  if (!process.stdout.isTTY) return diff;
  return diff
    .split('\n')
    .map((l) =>
      l.startsWith('+') && !l.startsWith('+++')
        ? `\x1b[32m${l}\x1b[0m`
        : l.startsWith('-') && !l.startsWith('---')
          ? `\x1b[31m${l}\x1b[0m`
          : l,
    )
    .join('\n');
}

const positiveInt = (name: string) => (v: string) => {
  if (!/^[1-9]\d{0,6}$/.test(v)) throw new CliError(`${name} must be a positive integer`, 2);
  return Number(v);
};

export function registerPromptCommands(program: Command): void {
  const prompts = program.command('prompts').description('manage versioned prompts (prompts as code)');

  prompts
    .command('push')
    .description('validate prompt definitions (*.yaml, *.yml) in a directory, show the diff, and apply')
    .argument('<dir>', 'directory (searched recursively) or a single file')
    .option('--dry-run', 'validate and show the diff without applying')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, opts: { dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const files = loadDefinitions(dir);
      const { PromptService } = await import('../prompts/service.ts');
      // Validate everything before applying anything: a push is all or nothing.
      const problems: string[] = [];
      const seen = new Map<string, string>();
      for (const { file, def } of files) {
        try {
          const id = PromptService.parse(def).id;
          const other = seen.get(id);
          if (other) problems.push(`${file}: prompt id "${id}" is also defined in ${other}`);
          seen.set(id, file);
        } catch (err) {
          problems.push(`${file}: ${(err as Error).message}`);
        }
      }
      if (problems.length) throw new CliError(problems.join('\n'), 1);
      await withCore(cmd, async ({ prompts: svc }) => {
        const results: Array<Record<string, unknown>> = [];
        for (const { file, def } of files) {
          if (opts.dryRun) {
            const p = await svc.preview('default', def);
            results.push({ file, ...p });
            if (!opts.json) {
              process.stdout.write(
                p.changed
                  ? `${p.id}: would create version ${p.current + 1}\n${colourDiff(p.diff)}\n`
                  : `${p.id}: unchanged (version ${p.current})\n`,
              );
            }
            continue;
          }
          const r = await svc.push('default', def, actor());
          results.push({ file, ...r });
          if (!opts.json) {
            const labels = Object.entries(r.labels)
              .map(([l, v]) => `${l}→${v}`)
              .join(', ');
            process.stdout.write(
              `${r.id}: ${r.created ? `version ${r.version} created` : `unchanged (version ${r.version})`}${labels ? ` [${labels}]` : ''}\n`,
            );
            if (r.created) process.stdout.write(`${colourDiff(r.diff)}\n`);
          }
        }
        if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      });
    });

  prompts
    .command('list')
    .description('list prompts with their latest version and labels')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withCore(cmd, async ({ prompts: svc }) => {
        const list = await svc.list('default');
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          table(
            list.map((p) => ({
              id: p.id,
              latest: String(p.latestVersion),
              labels: Object.entries(p.labels)
                .map(([l, v]) => `${l}=${v}`)
                .join(' '),
              updated: p.updatedAt.toISOString(),
              description: p.description.slice(0, 60),
            })),
          ),
        );
      });
    });

  prompts
    .command('show')
    .description('print a version of a prompt as YAML (default: the production label, else the latest)')
    .argument('<id>')
    .addOption(new Option('--version <n>', 'a version number').argParser(positiveInt('--version')))
    .addOption(new Option('--label <label>', 'a label, such as staging').conflicts('version'))
    .action(async (id: string, opts: { version?: number; label?: string }, cmd: Command) => {
      const { definitionYaml } = await import('../prompts/definition.ts');
      await withCore(cmd, async ({ prompts: svc }) => {
        const r = await svc.resolve('default', id, opts);
        const meta = await svc.version('default', id, r.version);
        process.stdout.write(
          `# ${id} version ${r.version}, created ${meta.createdAt.toISOString()} by ${meta.createdBy}\n${definitionYaml(r.definition)}`,
        );
      });
    });

  prompts
    .command('diff')
    .description('line diff between two versions of a prompt')
    .argument('<id>')
    .argument('<from>', 'version', positiveInt('<from>'))
    .argument('<to>', 'version', positiveInt('<to>'))
    .action(async (id: string, from: number, to: number, _opts, cmd: Command) => {
      await withCore(cmd, async ({ prompts: svc }) => {
        process.stdout.write(`${colourDiff(await svc.diff('default', id, from, to))}\n`);
      });
    });

  prompts
    .command('label')
    .description('point a label at a version (rollback is moving the label back)')
    .argument('<id>')
    .argument('<label>')
    .argument('<version>', 'version', positiveInt('<version>'))
    .action(async (id: string, label: string, version: number, _opts, cmd: Command) => {
      await withCore(cmd, async ({ prompts: svc }) => {
        const r = await svc.setLabel('default', id, label, version, actor());
        process.stdout.write(`${id}: ${label} → version ${r.version}${r.previous ? ` (was ${r.previous})` : ''}\n`);
      });
    });
}
