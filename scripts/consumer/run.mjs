// The packages as users install them: packs the four workspace packages, installs the tarballs
// with npm into a fresh project outside the workspace (with the registry's vitest, fast-check and
// typescript), and there runs the tests of scripts/consumer/project: gradcheck with a custom op,
// the arbitraries feeding every package, a training loop, the bench CLI, require(), a headless
// Chromium page on the ./browser export, and tsc (strict, NodeNext, skipLibCheck off; node10).
// With --gpu it also installs gpu.js and webgpu the way docs/autograd.md tells users to, and runs
// the gpu backend's webgpu mode (skipped with the reason when no Vulkan adapter is present).
//
// With --also-node=<version> it runs the same tests again under that release of Node, unpacked from
// the npm registry's node-<platform>-<arch> package by scripts/node-release.mjs (Node 22+ validates relaxed SIMD, so there the
// wasm backend runs its relaxed-SIMD kernels, as users of a current Node get them).
//
// Usage: node scripts/consumer/run.mjs [--no-build] [--keep] [--gpu] [--also-node=<version>]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeRelease } from '../node-release.mjs';

const args = new Set(process.argv.slice(2));
let otherNode = null;
for (const a of args) {
  if (a.startsWith('--also-node=')) {
    try {
      otherNode = nodeRelease(a.slice('--also-node='.length)); // checks the version, fetches once
    } catch (e) {
      console.error(`consumer: ${e.message}`);
      process.exit(2);
    }
  } else if (!['--no-build', '--keep', '--gpu'].includes(a)) {
    console.error(`consumer: expected --no-build, --keep, --gpu or --also-node=<major.minor.patch>, got ${a}.`);
    process.exit(2);
  }
}
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const packages = ['autograd', 'sphere', 'dispersion', 'bench'];
const run = (cmd, argv, cwd, env = {}) => {
  console.log(`consumer: (${cwd}) ${cmd} ${argv.join(' ')}`);
  execFileSync(cmd, argv, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
};
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const duBytes = (dir) => {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += duBytes(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
};

if (!args.has('--no-build')) run('pnpm', ['build'], repo);

const work = mkdtempSync(join(tmpdir(), 'keepdist-consumer-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballs);
let ok = false;
try {
  for (const p of packages) execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(repo, 'packages', p), stdio: ['ignore', 'ignore', 'inherit'] });
  const files = readdirSync(tarballs);
  const deps = {};
  for (const p of packages) {
    const file = files.find((f) => f.startsWith(`keepdist-${p}-`) && f.endsWith('.tgz'));
    if (!file) throw new Error(`consumer: expected a tarball of @keepdist/${p} in ${tarballs}, got ${files.join(', ')}`);
    deps[`@keepdist/${p}`] = `file:../tarballs/${file}`;
    console.log(`consumer: ${file} ${kib(statSync(join(tarballs, file)).size)}`);
  }
  cpSync(join(here, 'project'), app, { recursive: true });
  const manifest = {
    name: 'keepdist-consumer',
    private: true,
    type: 'module',
    dependencies: deps,
    devDependencies: {
      '@types/node': '^20', 'fast-check': '^4', 'playwright-core': '^1', typescript: '^5', vitest: '^3',
    },
  };
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);
  const keepdistOnly = packages.reduce((s, p) => s + duBytes(join(app, 'node_modules', '@keepdist', p)), 0);
  console.log(`consumer: installed @keepdist/* ${kib(keepdistOnly)}; gpu.js installed: ${existsSync(join(app, 'node_modules', 'gpu.js'))}, webgpu installed: ${existsSync(join(app, 'node_modules', 'webgpu'))}`);
  const bin = (name) => join(app, 'node_modules', '.bin', name);
  run(bin('tsc'), ['-p', 'tsconfig.json'], app);
  run(bin('tsc'), ['-p', 'tsconfig.node10.json'], app);
  run(bin('vitest'), ['run'], app);
  if (otherNode) {
    run(otherNode, ['--version'], app);
    run(otherNode, [join(app, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], app);
  }
  if (args.has('--gpu')) {
    // What docs/autograd.md tells a gpu user: gpu.js and webgpu 0.6.2, with an override so that
    // gpu.js's own pin (webgpu 0.2.9, whose dawn.node needs a newer libstdc++) is not installed.
    const m = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    m.dependencies['gpu.js'] = '2.24.1';
    m.dependencies.webgpu = '0.6.2';
    m.overrides = { webgpu: '0.6.2' };
    writeFileSync(join(app, 'package.json'), JSON.stringify(m, null, 2) + '\n');
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);
    run(process.execPath, [join(app, 'gpu', 'webgpu.mjs')], app);
  }
  ok = true;
} finally {
  if (ok && !args.has('--keep')) rmSync(work, { recursive: true, force: true });
  else console.log(`consumer: ${ok ? 'kept' : 'FAILED; left'} ${work}`);
}
console.log('consumer: the packed packages install and pass their consumer tests.');
