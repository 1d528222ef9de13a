// Errors crossing the thread boundary: sent as plain data, re-created on the other side as the same
// class (looked up by `code`), so `instanceof` and `code` work the same as in-thread.
import { WowasmError } from '../emulator/errors.js';
import * as errors from './errors.js';

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  detail?: Record<string, unknown>;
  stack?: string;
  /** Own enumerable fields of the error (GuestFaultError's eip, address, ...). */
  fields?: Record<string, unknown>;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) if (isPlain(v)) fields[k] = v;
    return {
      name: e.name,
      message: e.message,
      ...(e instanceof WowasmError ? { code: e.code, detail: JSON.parse(JSON.stringify(e.detail)) } : {}),
      ...(e.stack ? { stack: e.stack } : {}),
      fields,
    };
  }
  return { name: 'Error', message: String(e) };
}

function isPlain(v: unknown): boolean {
  try {
    JSON.stringify(v);
    return typeof v !== 'function';
  } catch {
    return false;
  }
}

let byName: Map<string, Function> | undefined;

/** Every wowasm error class by name (class names are unique and each sets `name` to it). */
function classes(): Map<string, Function> {
  if (!byName) {
    byName = new Map();
    for (const C of Object.values(errors)) {
      if (typeof C === 'function' && (C.prototype instanceof Error || C === WowasmError)) byName.set(C.name, C);
    }
  }
  return byName;
}

/** Re-creates an error of the same class (wowasm's and the built-in ones, by name). */
export function deserializeError(s: SerializedError): Error {
  const C = classes().get(s.name) ?? (s.code ? WowasmError : (globalThis as Record<string, unknown>)[s.name]);
  const proto = typeof C === 'function' && (C.prototype instanceof Error || C === Error) ? C.prototype : Error.prototype;
  const e = Object.create(proto) as Error & Record<string, unknown>;
  Object.assign(e, s.fields ?? {});
  Object.defineProperty(e, 'message', { value: s.message, writable: true, configurable: true });
  Object.defineProperty(e, 'name', { value: s.name, writable: true, configurable: true });
  if (s.code) Object.defineProperty(e, 'code', { value: s.code, enumerable: true, writable: true, configurable: true });
  if (s.detail) Object.defineProperty(e, 'detail', { value: s.detail, enumerable: true, writable: true, configurable: true });
  // Keep the library thread's stack (where it happened) under the local one (who called).
  const local = new Error(s.message).stack?.split('\n').slice(1).join('\n') ?? '';
  Object.defineProperty(e, 'stack', { value: `${s.stack ?? `${s.name}: ${s.message}`}\n    --- in the library thread; called from:\n${local}`, writable: true, configurable: true });
  return e;
}
