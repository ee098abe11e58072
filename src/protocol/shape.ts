/**
 * Run-time checks that rebuild a value of a declared type from JSON of unknown shape, keeping
 * only the fields the type declares, or say which field is wrong (`init.page.conversation.turns[2].id`).
 * Both directions of the webview protocol are checked with these. No dependencies: they ship
 * in the webview bundle. A check table is typed by the type it checks (`Fields<T>`), so a field
 * added to the type without a check, or a check of the wrong type, fails to compile.
 */

function digits(value: number): string {
  return value.toLocaleString('en-US');
}

/** Why a value was refused; `path` names the field. */
export class ShapeError extends Error {
  constructor(
    readonly path: string,
    /** Set when the only fault is a string longer than its limit. */
    readonly tooLong?: { length: number; limit: number },
  ) {
    super(tooLong === undefined ? `${path} is invalid` : `${path} is too long: ${digits(tooLong.length)} characters, at most ${digits(tooLong.limit)}`);
    this.name = 'ShapeError';
  }
}

/** Returns the value in its declared type, or throws a ShapeError naming `path`. */
export type Check<T> = (value: unknown, path: string) => T;

/** The check of a field that may be absent. */
export interface OptionalCheck<T> {
  (value: unknown, path: string): T | undefined;
  readonly optional: true;
}

/** One check per field of T; an optional field's check is `optional(...)`. */
export type Fields<T> = {
  [K in keyof T]-?: undefined extends T[K] ? OptionalCheck<Exclude<T[K], undefined>> : Check<T[K]>;
};

/** A string, at most `limit` characters long. */
export function string(limit = Number.POSITIVE_INFINITY): Check<string> {
  return (value, path) => {
    if (typeof value !== 'string') throw new ShapeError(path);
    if (value.length > limit) throw new ShapeError(path, { length: value.length, limit });
    return value;
  };
}

/** A string with at least one character (an id, a path). */
export const nonEmpty: Check<string> = (value, path) => {
  if (typeof value !== 'string' || value === '') throw new ShapeError(path);
  return value;
};

/** A whole number, 0 or more (how many of something). */
export const count: Check<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new ShapeError(path);
  return value;
};

/** A finite number. */
export const number: Check<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError(path);
  return value;
};

export const boolean: Check<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new ShapeError(path);
  return value;
};

/** One of the strings of a closed list (`literal(TOOL_DECISIONS)`). */
export function literal<const Values extends readonly string[]>(values: Values): Check<Values[number]> {
  return (value, path) => {
    if (typeof value !== 'string' || !values.includes(value)) throw new ShapeError(path);
    return value;
  };
}

export function optional<T>(check: Check<T>): OptionalCheck<T> {
  const optionalCheck = (value: unknown, path: string): T | undefined => (value === undefined ? undefined : check(value, path));
  return Object.assign(optionalCheck, { optional: true as const });
}

export function arrayOf<T>(item: Check<T>): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new ShapeError(path);
    return value.map((element: unknown, index) => item(element, `${path}[${index}]`));
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkFields(value: Record<string, unknown>, fields: Record<string, Check<unknown>>, path: string, into: Record<string, unknown>): void {
  for (const [name, check] of Object.entries(fields)) {
    const field = check(value[name], path === '' ? name : `${path}.${name}`);
    if (field !== undefined) into[name] = field;
  }
}

/** An object with the fields T declares (others are left out). */
export function object<T>(fields: Fields<T>): Check<T> {
  const checks = fields as Record<string, Check<unknown>>;
  return (value, path) => {
    if (!isRecord(value)) throw new ShapeError(path);
    const checked: Record<string, unknown> = {};
    checkFields(value, checks, path, checked);
    return checked as T;
  };
}

/** The fields of each member of the union U, keyed by the value of its `tag` field. */
export type VariantFields<U, Tag extends keyof U> = {
  [K in U[Tag] & string]: Fields<Omit<Extract<U, Record<Tag, K>>, Tag>>;
};

/** A member of a union told apart by its `tag` field (a turn by its `role`). */
export function variants<U, Tag extends keyof U & string>(tag: Tag, table: VariantFields<U, Tag>): Check<U> {
  return (value, path) => {
    const kind = isRecord(value) ? value[tag] : undefined;
    if (!isRecord(value) || typeof kind !== 'string' || !Object.hasOwn(table, kind)) throw new ShapeError(`${path}.${tag}`);
    const checked: Record<string, unknown> = { [tag]: kind };
    checkFields(value, table[kind as keyof typeof table] as Record<string, Check<unknown>>, path, checked);
    return checked as U;
  };
}

/**
 * A protocol message: a member of U told apart by its `type`. Fields are named from the type
 * (`send.text is invalid`), since that is what a reader of the log knows the message by.
 */
export function parseMessage<U extends { type: string }>(table: VariantFields<U, 'type'>, raw: unknown): { message: U } | { rejected: string; error?: ShapeError } {
  if (!isRecord(raw)) return { rejected: 'not an object' };
  const type = raw.type;
  if (typeof type !== 'string' || !Object.hasOwn(table, type)) return { rejected: `unknown message type ${JSON.stringify(type)}` };
  const message: Record<string, unknown> = { type };
  try {
    checkFields(raw, table[type as keyof typeof table] as Record<string, Check<unknown>>, type, message);
  } catch (error) {
    if (error instanceof ShapeError) return { rejected: error.message, error };
    throw error;
  }
  return { message: message as U };
}
