import { describe, expect, it } from 'vitest';
import { formatTable, type TableColumn } from '../src/table.js';

interface Row {
  method: string;
  angle: number | undefined;
  time: number;
}

const columns: TableColumn<Row>[] = [
  { header: 'method', value: (r) => r.method },
  { header: 'min angle (°)', value: (r) => r.angle, digits: 2 },
  { header: 't', value: (r) => r.time, digits: 1 },
];

describe('formatTable', () => {
  it('golden: left-aligned text, right-aligned numbers, dashes under the header', () => {
    const text = formatTable(columns, [
      { method: 'mma', angle: 47.123, time: 1.25 },
      { method: 'mmd-gaussian-euclidean', angle: 5, time: 123.4 },
    ]);
    expect(text).toBe(
      [
        'method                  min angle (°)      t',
        '----------------------  -------------  -----',
        'mma                             47.12    1.3',
        'mmd-gaussian-euclidean           5.00  123.4',
        '',
      ].join('\n'),
    );
  });

  it('aligns every column: each row has the same length and the numbers end in the same column', () => {
    const rows: Row[] = [
      { method: 'a', angle: 1, time: 1e4 },
      { method: 'bbbbbbbbbbbb', angle: 123456.789, time: 0.01 },
      { method: 'cc', angle: -3.5, time: 2 },
    ];
    const lines = formatTable(columns, rows).trimEnd().split('\n');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    const ends = lines.slice(2).map((l) => l.indexOf(l.split(/\s+/)[1] as string) + (l.split(/\s+/)[1] as string).length);
    expect(new Set(ends).size).toBe(1);
  });

  it('edge: undefined, NaN and infinities print as -, NaN, Inf', () => {
    const text = formatTable(columns, [
      { method: 'x', angle: undefined, time: Number.NaN },
      { method: 'y', angle: Number.POSITIVE_INFINITY, time: Number.NEGATIVE_INFINITY },
    ]);
    const [, , x, y] = text.split('\n');
    expect(x).toMatch(/^x\s+-\s+NaN$/);
    expect(y).toMatch(/^y\s+Inf\s+-Inf$/);
  });

  it('edge: a table without rows is its header', () => {
    expect(formatTable(columns, [])).toBe('method  min angle (°)  t\n------  -------------  -\n');
  });
});
