// Times RiemannianAdam.step() on the cpu backend, fused row loops (what `update` runs on cpu)
// against the composed reference (the update before the fused path, still used on other
// backends): n = 2000 points on S^63 (d = 64), a fixed random gradient, float32 and float64, both
// retractions. Each round times `steps` steps of each path after 5 warm-up steps; the median round
// is reported. Not a test; run from the repository root:
//   pnpm tsx packages/sphere/bench/adamStep.ts [n] [d] [steps] [rounds]
import * as ag from '@keepdist/autograd';
import type { DType, Tensor } from '@keepdist/autograd';
import { RiemannianAdam, randomUniform, type Retraction, type RiemannianAdamState, type RiemannianUpdate } from '@keepdist/sphere';
import { composedAdamUpdate } from '../src/optim/riemannianAdam.js';

/** RiemannianAdam with the composed update on every backend. */
class ComposedAdam extends RiemannianAdam {
  override update(x: Tensor, grad: Tensor, state: RiemannianAdamState | undefined): RiemannianUpdate<RiemannianAdamState> {
    return composedAdamUpdate(this, x, grad, state);
  }
}

const [n, d, steps, rounds] = [2000, 64, 100, 3].map((v, i) => Number(process.argv[i + 2] ?? v)) as [number, number, number, number];

/** ms per step of one round: `steps` steps after 5 warm-up steps. */
function msPerStep(Opt: typeof RiemannianAdam, dtype: DType, retraction: Retraction): number {
  const x = randomUniform(n, d, { rng: ag.createRng(1), dtype, requiresGrad: true });
  const grad = ag.randn([n, d], ag.createRng(2), { dtype });
  const opt = new Opt([x], { lr: 1e-2, retraction });
  const step = (): void => {
    x.grad = grad;
    opt.step();
  };
  for (let k = 0; k < 5; k++) step();
  const t0 = performance.now();
  for (let k = 0; k < steps; k++) step();
  return (performance.now() - t0) / steps;
}

const median = (a: number[]): number => a.slice().sort((p, q) => p - q)[a.length >> 1]!;
console.log(`RiemannianAdam.step, cpu, n=${n} d=${d}: median over ${rounds} rounds of ${steps} steps (ms/step)`);
for (const dtype of ['float32', 'float64'] as const) {
  for (const retraction of ['expmap', 'retr'] as const) {
    const composed: number[] = [], fused: number[] = [];
    for (let r = 0; r < rounds; r++) {
      composed.push(msPerStep(ComposedAdam, dtype, retraction));
      fused.push(msPerStep(RiemannianAdam, dtype, retraction));
    }
    const [c, f] = [median(composed), median(fused)];
    console.log(`${dtype} ${retraction.padEnd(6)}  composed (before) ${c.toFixed(2).padStart(6)}   fused (after) ${f.toFixed(2).padStart(6)}   ×${(c / f).toFixed(1)}`);
  }
}
