// `pnpm --filter @keepdist/demo build [--out DIR]`: the static demo into packages/demo/dist (or DIR).
import { resolve } from 'node:path';
import { buildDemo, defaultOutDir } from './buildDemo.js';

const i = process.argv.indexOf('--out');
const out = i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]!) : defaultOutDir;
console.log(`demo: built into ${await buildDemo(out)}`);
