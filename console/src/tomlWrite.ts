/**
 * Writing TOML as the patcher spells it: keys bare when they can be, basic strings, inline
 * arrays; and the error every part of the patcher throws when the text cannot be edited.
 */

/** A value the patcher writes: scalars and inline arrays. */
export type TomlValue = string | number | boolean | TomlValue[];

/** The text cannot be patched as asked (the key lives in an inline table, the TOML is broken, ...). */
export class TomlPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TomlPatchError';
  }
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A key as TOML writes it: bare when it can be, quoted otherwise. */
export function formatKey(part: string): string {
  return BARE_KEY.test(part) ? part : formatString(part);
}

/** A TOML basic string; control characters (DEL included) are escaped. */
export function formatString(s: string): string {
  const escaped = JSON.stringify(s).slice(1, -1);
  return `"${escaped.replace(/\x7f/g, '\\u007F')}"`;
}

/** A value in TOML syntax; arrays are written inline. */
export function formatValue(value: TomlValue, float = false): string {
  if (typeof value === 'string') return formatString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TomlPatchError(`${value} cannot be written: TOML numbers here must be finite`);
    if (Object.is(value, -0)) value = 0;
    const text = String(value);
    return float && Number.isInteger(value) && !/e/i.test(text) ? `${text}.0` : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v, float)).join(', ')}]`;
  throw new TomlPatchError(`${typeof value} values cannot be written`);
}
