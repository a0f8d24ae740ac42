// `--help` text of keepdist-bench and of each subcommand, generated from the flag specs.
import { PROGRAM, describeValue, presetNames } from './args.js';
import type { CommandSpec, FlagSpec } from './flagTypes.js';

const WIDTH = 100;
const FLAG_COLUMN = 24;

/** Wraps `text` into lines of at most `width` characters, each after `indent` spaces (the first too). */
export function wrapText(text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(' '.repeat(indent) + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(' '.repeat(indent) + line);
  return lines;
}

function placeholder(flag: FlagSpec): string {
  switch (flag.type) {
    case 'int':
      return '<int>';
    case 'float':
      return '<number>';
    case 'string':
      return '<text>';
    case 'boolean':
      return '';
    case 'enum':
      return '<choice>';
    case 'list':
      return '<list>';
  }
}

function formatDefault(flag: FlagSpec): string {
  if (flag.default === undefined) return '';
  const v = Array.isArray(flag.default) ? flag.default.join(',') : String(flag.default);
  return ` Default: ${v}.`;
}

function flagEntry(left: string, description: string): string[] {
  const body = wrapText(description, WIDTH, FLAG_COLUMN);
  const head = `  ${left}`;
  if (head.length < FLAG_COLUMN - 1 && body.length > 0) {
    return [head.padEnd(FLAG_COLUMN) + (body[0] as string).trimStart(), ...body.slice(1)];
  }
  return [head, ...body];
}

function presetSummary(values: object): string {
  return Object.entries(values)
    .map(([k, v]) => `--${k} ${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(', ');
}

/**
 * The `--help` text of one subcommand: usage line, summary, then every flag with its value type,
 * help, valid values and default, then `--preset` (with what each preset sets) and `--help`.
 */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`Usage: ${PROGRAM} ${spec.name} [flags]`, '', ...wrapText(spec.summary, WIDTH, 0), '', 'Flags:'];
  for (const [name, flag] of Object.entries(spec.flags)) {
    const valid = flag.type === 'enum' || flag.type === 'list' ? ` Valid: ${describeValue(flag)}.` : '';
    const range = flag.type === 'int' || flag.type === 'float' ? ` Must be ${describeValue(flag)}.` : '';
    lines.push(...flagEntry(`--${name} ${placeholder(flag)}`.trimEnd(), `${flag.help}.${range}${valid}${formatDefault(flag)}`));
  }
  const presets = presetNames(spec);
  if (presets.length > 0) {
    lines.push(
      ...flagEntry(
        '--preset <name>',
        `Start from a named set of values; flags given on the command line still win. Valid: one of ${presets.join(', ')}.`,
      ),
    );
    for (const name of presets) {
      lines.push(...wrapText(`${name}: ${presetSummary(spec.presets?.[name] ?? {})}`, WIDTH, FLAG_COLUMN + 2));
    }
  }
  lines.push(...flagEntry('-h, --help', 'Show this help.'));
  return `${lines.join('\n')}\n`;
}

/** The global `--help` text: usage, one line per subcommand, and how to get a subcommand's flags. */
export function globalHelp(specs: readonly CommandSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length)) + 4;
  const lines = [
    `Usage: ${PROGRAM} <command> [flags]`,
    '',
    'Reproduce the dispersion experiments of "Keep your distance: learning dispersed embeddings on S_d"',
    'and compare regularizers and backends. Results go to --out DIR as JSON and SVG plots; a table goes to stdout.',
    '',
    'Commands:',
    ...specs.flatMap((s) => {
      const body = wrapText(s.summary, WIDTH, width + 2);
      return [`  ${s.name.padEnd(width)}${(body[0] ?? '').trimStart()}`, ...body.slice(1)];
    }),
    '',
    `Run '${PROGRAM} <command> --help' (or '${PROGRAM} help <command>') for the flags of a command.`,
    'Exit codes: 0 done, 1 error, 2 bad command line, 130 interrupted (results so far are written).',
  ];
  return `${lines.join('\n')}\n`;
}
