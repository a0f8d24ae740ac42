/**
 * Errors thrown by keepdist. Messages follow `<fn>: expected <what>, got <what>. <fix>`.
 */

/** Base class of every error keepdist throws on purpose. */
export class KeepdistError extends Error {
  /** @param message `<fn>: expected <what>, got <what>. <fix>` */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor had the wrong shape, rank or axis for the op. */
export class ShapeError extends KeepdistError {}

/** A tensor had the wrong dtype for the op (mixed float32/float64, float64 on a float32-only backend). */
export class DTypeError extends KeepdistError {}

/** An input lies outside the op's domain (acos of 1.5, log of a negative number, NaN in a loss). */
export class DomainError extends KeepdistError {}

/** A function was called with an invalid option (negative learning rate, unknown mode). */
export class OptionError extends KeepdistError {}

/** A storage of the requested size could not be allocated (a JavaScript RangeError, or the wasm backend's memory full past its 4 GiB limit). */
export class AllocationError extends ShapeError {}

/** Formats a shape as `[2,3]` for error messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
