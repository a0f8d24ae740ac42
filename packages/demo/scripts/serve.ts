// `pnpm demo`: serves the built demo (packages/demo/dist) on 127.0.0.1, port $PORT or 5180, and prints the URL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultOutDir } from './buildDemo.js';
import { serveStatic } from './staticServer.js';

if (!existsSync(join(defaultOutDir, 'index.html'))) {
  console.error(`demo: expected a built demo in ${defaultOutDir}, got none. Run pnpm --filter @keepdist/demo build (pnpm demo does both).`);
  process.exit(1);
}
const port = Number(process.env.PORT ?? 5180);
const { url } = await serveStatic(defaultOutDir, port);
console.log(`keepdist demo: ${url}  (Ctrl-C stops it)`);
