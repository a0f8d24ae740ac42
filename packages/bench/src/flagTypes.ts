// Declarative flag specifications of the keepdist-bench subcommands, and the value types they parse to.

/** Fields every flag spec has. */
interface FlagCommon {
  /** One line for `--help`. */
  readonly help: string;
}

/** An integer flag, e.g. `--n 24`; `min` is inclusive. */
export interface IntFlagSpec extends FlagCommon {
  readonly type: 'int';
  readonly default?: number;
  readonly min?: number;
}

/** A decimal number flag, e.g. `--lr 0.005`; `positive` demands a value > 0, `min` a value ≥ min. */
export interface FloatFlagSpec extends FlagCommon {
  readonly type: 'float';
  readonly default?: number;
  readonly min?: number;
  readonly positive?: boolean;
}

/** A free-text flag, e.g. `--out DIR`. */
export interface StringFlagSpec extends FlagCommon {
  readonly type: 'string';
  readonly default?: string;
}

/** A flag whose value is one of `choices`, e.g. `--backend gpu:webgpu`. */
export interface EnumFlagSpec<C extends string = string> extends FlagCommon {
  readonly type: 'enum';
  readonly choices: readonly C[];
  readonly default?: C;
}

/**
 * A comma-separated list flag, e.g. `--methods mma,koleo` or `--sizes 1024x64,4096x64`.
 * With `choices`, every item must be one of them and the single item `all` stands for all of them;
 * with `item`, every item must match `item.pattern` (`item.hint` says what is expected).
 * Repeated items are dropped, order is kept; with `distinct`, a repeated item is a usage error instead.
 */
export interface ListFlagSpec<C extends string = string> extends FlagCommon {
  readonly type: 'list';
  readonly choices?: readonly C[];
  readonly item?: { readonly pattern: RegExp; readonly hint: string };
  /** Refuse a repeated item (for lists where a repeat is surely a typo, such as seeds) rather than drop it. */
  readonly distinct?: boolean;
  readonly default?: readonly string[];
}

/** A switch, e.g. `--force`: given alone it is true; `--force=false` spells out the default. */
export interface BooleanFlagSpec extends FlagCommon {
  readonly type: 'boolean';
  readonly default?: boolean;
}

/** Any one flag spec. */
export type FlagSpec = IntFlagSpec | FloatFlagSpec | StringFlagSpec | EnumFlagSpec | ListFlagSpec | BooleanFlagSpec;

/** The flags of one subcommand, by name (without the leading `--`). */
export type FlagSpecs = { readonly [name: string]: FlagSpec };

/** The parsed value of one flag: number for int/float, boolean for a switch, an array of items for list, the choice for enum. */
export type FlagValue<S extends FlagSpec> = S extends IntFlagSpec | FloatFlagSpec
  ? number
  : S extends BooleanFlagSpec
    ? boolean
  : S extends ListFlagSpec<infer C>
    ? C[]
    : S extends EnumFlagSpec<infer C>
      ? C
      : string;

/** Parsed values of a subcommand's flags; a flag without a default may be `undefined`. */
export type FlagValues<F extends FlagSpecs> = {
  -readonly [K in keyof F]: F[K] extends { readonly default: unknown }
    ? FlagValue<F[K]>
    : FlagValue<F[K]> | undefined;
};

/** Values a preset sets (in parsed form; list items may be `all`) for flags the user did not give. */
export type PresetValues<F extends FlagSpecs> = {
  readonly [K in keyof F]?: F[K] extends ListFlagSpec ? readonly string[] : FlagValue<F[K]>;
};

/**
 * One subcommand: its name, a one-line summary, its flags and its named presets.
 * When `presets` is non-empty the parser also accepts `--preset <name>`: the preset's values replace
 * the defaults, and flags given on the command line still win over both.
 */
export interface CommandSpec<F extends FlagSpecs = FlagSpecs> {
  readonly name: string;
  readonly summary: string;
  readonly flags: F;
  readonly presets?: { readonly [preset: string]: PresetValues<F> };
}

/** A parsed subcommand line: values for every flag, which flags were given, and the preset used. */
export interface ParsedFlags<F extends FlagSpecs> {
  readonly values: FlagValues<F>;
  readonly given: ReadonlySet<string>;
  readonly preset: string | undefined;
}
