// `pnpm pack` of every published (non-private) workspace package into ./packed/ (pnpm 9's pack has no --recursive).
// Run after `pnpm build`; `pnpm pack:all` does both.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'packed');
mkdirSync(out, { recursive: true });
for (const p of readdirSync(join(repo, 'packages'))) {
  const manifest = JSON.parse(readFileSync(join(repo, 'packages', p, 'package.json'), 'utf8'));
  if (manifest.private) continue;   // the demo is a page, not a package
  execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: join(repo, 'packages', p), stdio: ['ignore', 'ignore', 'inherit'] });
}
console.log(`pack-all: ${readdirSync(out).filter((f) => f.endsWith('.tgz')).join(', ')} in ${out}`);
