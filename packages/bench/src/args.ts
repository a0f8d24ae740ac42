// The flag parser: turns `keepdist-bench <command> --flag value ...` into typed values or a UsageError.
import type {
  CommandSpec,
  FlagSpec,
  FlagSpecs,
  FlagValues,
  ListFlagSpec,
  ParsedFlags,
} from './flagTypes.js';
import { UsageError } from './usageError.js';

/** The program name used in messages and help. */
export const PROGRAM = 'keepdist-bench';

/** What the first word of the command line asks for. */
export type CommandSelection =
  | { readonly kind: 'globalHelp' }
  | { readonly kind: 'commandHelp'; readonly command: string }
  | { readonly kind: 'command'; readonly command: string; readonly argv: readonly string[] };

const HELP_FLAGS = new Set(['-h', '--help']);

/**
 * Picks the subcommand from argv (without node and script): no arguments, `-h`, `--help` or `help`
 * give the global help; `help <command>` gives that command's help.
 * @throws UsageError for an unknown subcommand, listing the valid ones.
 */
export function selectCommand(argv: readonly string[], commands: readonly string[]): CommandSelection {
  const [first, ...rest] = argv;
  if (first === undefined || HELP_FLAGS.has(first)) return { kind: 'globalHelp' };
  if (first === 'help') {
    const target = rest[0];
    if (target === undefined) return { kind: 'globalHelp' };
    const command = checkCommand(target, commands);
    if (rest.length > 1) {
      throw new UsageError(`${PROGRAM} help: expected one command name, got '${rest.join(' ')}'. Run '${PROGRAM} help ${command}'.`);
    }
    return { kind: 'commandHelp', command };
  }
  return { kind: 'command', command: checkCommand(first, commands), argv: rest };
}

function checkCommand(name: string, commands: readonly string[]): string {
  if (commands.includes(name)) return name;
  const what = name.startsWith('-') ? `a command before flags, got '${name}'` : `a command, got '${name}'`;
  throw new UsageError(`${PROGRAM}: expected ${what}. Valid commands: ${commands.join(', ')}.`);
}

/** True when argv asks for the subcommand's help (`-h` or `--help` anywhere). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => HELP_FLAGS.has(a));
}

/**
 * Parses a subcommand's flags (`--name value` or `--name=value`) against its spec, then fills in
 * the preset's values and the defaults for flags not given.
 * @throws UsageError naming the flag, the bad value and what is valid.
 */
export function parseFlags<F extends FlagSpecs>(spec: CommandSpec<F>, argv: readonly string[]): ParsedFlags<F> {
  const cmd = spec.name;
  const parsed = new Map<string, unknown>();
  let preset: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!token.startsWith('--') || token === '--') {
      throw new UsageError(
        `${cmd}: expected a flag such as --${Object.keys(spec.flags)[0] ?? 'help'}, got '${token}'. Flags start with '--'.`,
        cmd,
      );
    }
    const eq = token.indexOf('=');
    const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
    const isPreset = !Object.hasOwn(spec.flags, name) && name === 'preset';
    const flag = lookupFlag(spec, name);
    if (flag.type === 'boolean' && eq < 0) {
      if (parsed.has(name)) throw new UsageError(`${cmd} --${name}: expected the flag once, got it twice. Give it a single value.`, cmd);
      parsed.set(name, true);
      continue;
    }
    const raw = eq < 0 ? argv[++i] : token.slice(eq + 1);
    if (raw === undefined || (eq < 0 && raw.startsWith('--') && raw.length > 2)) {
      throw new UsageError(`${cmd} --${name}: expected a value (${describeValue(flag)}), got none.`, cmd);
    }
    if (parsed.has(name) || (isPreset && preset !== undefined)) {
      throw new UsageError(`${cmd} --${name}: expected the flag once, got it twice. Give it a single value.`, cmd);
    }
    const value = parseValue(cmd, name, flag, raw);
    if (isPreset) preset = value as string;
    else parsed.set(name, value);
  }
  return { values: fillValues(spec, parsed, preset), given: new Set(parsed.keys()), preset };
}

/** The spec of flag `name`; `--preset` gets an enum of the command's preset names. */
function lookupFlag(spec: CommandSpec<FlagSpecs>, name: string): FlagSpec {
  if (Object.hasOwn(spec.flags, name)) return spec.flags[name] as FlagSpec;
  const presets = presetNames(spec);
  if (name === 'preset' && presets.length > 0) return { type: 'enum', choices: presets, help: '' };
  throw new UsageError(`${spec.name}: unknown flag '--${name}'. Valid flags: ${flagNames(spec).join(', ')}.`, spec.name);
}

/** Names of a command's presets (empty when it has none). */
export function presetNames(spec: CommandSpec<FlagSpecs>): string[] {
  return Object.keys(spec.presets ?? {});
}

/** Every flag a command accepts, with the leading `--`, in help order (`--preset` and `--help` last). */
export function flagNames(spec: CommandSpec<FlagSpecs>): string[] {
  const names = Object.keys(spec.flags).map((n) => `--${n}`);
  if (presetNames(spec).length > 0) names.push('--preset');
  names.push('--help');
  return names;
}

/** Short description of what a flag's value must be, as used in help and messages. */
export function describeValue(flag: FlagSpec): string {
  switch (flag.type) {
    case 'int':
      return flag.min === undefined ? 'an integer' : `an integer >= ${flag.min}`;
    case 'float':
      if (flag.positive) return 'a number > 0';
      return flag.min === undefined ? 'a number' : `a number >= ${flag.min}`;
    case 'string':
      return 'a string';
    case 'boolean':
      return 'no value (or =true, =false)';
    case 'enum':
      return `one of ${flag.choices.join(', ')}`;
    case 'list':
      if (flag.choices) return `'all' or a comma-separated list of: ${flag.choices.join(', ')}`;
      return `a comma-separated list of ${flag.item?.hint ?? 'values'}`;
  }
}

const INT = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

function parseValue(cmd: string, name: string, flag: FlagSpec, raw: string): unknown {
  const bad = (): UsageError =>
    new UsageError(`${cmd} --${name}: expected ${describeValue(flag)}, got '${raw}'.`, cmd);
  switch (flag.type) {
    case 'int': {
      const v = Number(raw);
      if (!INT.test(raw) || !Number.isSafeInteger(v) || (flag.min !== undefined && v < flag.min)) throw bad();
      return v;
    }
    case 'float': {
      const v = Number(raw);
      if (!FLOAT.test(raw) || !Number.isFinite(v)) throw bad();
      if ((flag.positive && v <= 0) || (flag.min !== undefined && v < flag.min)) throw bad();
      return v;
    }
    case 'string':
      if (raw === '') throw bad();
      return raw;
    case 'enum':
      if (!flag.choices.includes(raw)) throw bad();
      return raw;
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw bad();
      return raw === 'true';
    case 'list':
      return parseList(cmd, name, flag, raw);
  }
}

function parseList(cmd: string, name: string, flag: ListFlagSpec, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new UsageError(`${cmd} --${name}: expected ${describeValue(flag)}, got an empty item in '${raw}'.`, cmd);
  }
  for (const item of items) {
    if (flag.choices && item !== 'all' && !flag.choices.includes(item)) {
      throw new UsageError(`${cmd} --${name}: expected ${describeValue(flag)}, got unknown item '${item}'.`, cmd);
    }
    if (flag.item && !flag.item.pattern.test(item)) {
      throw new UsageError(`${cmd} --${name}: expected items of the form ${flag.item.hint}, got '${item}'.`, cmd);
    }
  }
  const repeated = items.find((item, i) => items.indexOf(item) !== i);
  if (flag.distinct && repeated !== undefined) {
    throw new UsageError(`${cmd} --${name}: expected distinct items, got '${repeated}' twice in '${raw}'. Give each once.`, cmd);
  }
  if (flag.choices && items.includes('all') && items.length > 1) {
    throw new UsageError(`${cmd} --${name}: expected 'all' alone or a list of names, got '${raw}'.`, cmd);
  }
  return expandList(cmd, name, flag, items);
}

function expandList(cmd: string, name: string, flag: ListFlagSpec, items: readonly string[]): string[] {
  const expanded = flag.choices && items.length === 1 && items[0] === 'all' ? [...flag.choices] : [...items];
  if (expanded.length === 0) {
    throw new UsageError(`${cmd} --${name}: expected at least one item, got none (nothing is registered).`, cmd);
  }
  return [...new Set(expanded)];
}

function fillValues<F extends FlagSpecs>(
  spec: CommandSpec<F>,
  parsed: ReadonlyMap<string, unknown>,
  preset: string | undefined,
): FlagValues<F> {
  const presetValues: Readonly<Record<string, unknown>> = preset === undefined ? {} : (spec.presets?.[preset] ?? {});
  const out: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (parsed.has(name)) {
      out[name] = parsed.get(name);
      continue;
    }
    const fallback = Object.hasOwn(presetValues, name) ? presetValues[name] : flag.default;
    out[name] = flag.type === 'list' && fallback !== undefined
      ? expandList(spec.name, name, flag, fallback as readonly string[])
      : fallback;
  }
  return out as FlagValues<F>;
}
