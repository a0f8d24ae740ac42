import { describe, expect, it } from 'vitest';
import { trainSpirals } from '../src/examples/spirals.js';

describe('spirals example', () => {
  it('a 2-layer MLP learns two interleaved spirals above 95% training accuracy within 80 epochs', () => {
    const log: string[] = [];
    const r = trainSpirals({ seed: 42, epochs: 80, onEpoch: (e, l, a) => log.push(`${e} ${l.toFixed(4)} ${a}`) });
    console.log(log.filter((_, i) => i % 10 === 9).join('\n'));
    expect(r.accuracy).toBeGreaterThan(0.95);
  });
});
