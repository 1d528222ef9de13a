// A compact binary encoding of the JS values that cross the thread boundary with a call: numbers,
// bigints, booleans, null/undefined, strings, typed arrays and ArrayBuffers, arrays and plain objects,
// and references to JS functions (callbacks stay on their own thread; only an id travels).

const T = {
  undef: 0,
  null: 1,
  true: 2,
  false: 3,
  i32: 4,
  f64: 5,
  bigint: 6,
  string: 7,
  bytes: 8,
  array: 9,
  object: 10,
  func: 11,
} as const;

/** Typed array constructors by tag, so a Float64Array comes back as a Float64Array. */
const VIEWS = [
  Uint8Array,
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
] as const;
const ARRAYBUFFER = 254;
const NODE_BUFFER = 255;

export class Writer {
  buf: Uint8Array;
  dv: DataView;
  pos = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
    this.dv = new DataView(this.buf.buffer);
  }

  reset(): void {
    this.pos = 0;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
  }
  u32(v: number): void {
    this.room(4);
    this.dv.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  f64(v: number): void {
    this.room(8);
    this.dv.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  string(s: string): void {
    this.u32(s.length);
    this.room(s.length * 2);
    for (let i = 0; i < s.length; i++) this.dv.setUint16(this.pos + 2 * i, s.charCodeAt(i), true);
    this.pos += s.length * 2;
  }

  /** Encodes any supported value; `func` turns a function into an id for the other side. */
  value(v: unknown, func?: (f: Function) => number): void {
    if (v === undefined) return this.u8(T.undef);
    if (v === null) return this.u8(T.null);
    switch (typeof v) {
      case 'boolean':
        return this.u8(v ? T.true : T.false);
      case 'number':
        if ((v | 0) === v && !Object.is(v, -0)) {
          this.u8(T.i32);
          this.room(4);
          this.dv.setInt32(this.pos, v, true);
          this.pos += 4;
        } else {
          this.u8(T.f64);
          this.f64(v);
        }
        return;
      case 'bigint': {
        this.u8(T.bigint);
        const neg = v < 0n;
        const mag = (neg ? -v : v).toString(16);
        this.u8(neg ? 1 : 0);
        this.string(mag);
        return;
      }
      case 'string':
        this.u8(T.string);
        return this.string(v);
      case 'function':
        if (!func) throw new TypeError('a function cannot be sent here');
        this.u8(T.func);
        return this.u32(func(v));
      case 'object': {
        if (v instanceof ArrayBuffer) {
          this.u8(T.bytes);
          this.u8(ARRAYBUFFER);
          return this.bytes(new Uint8Array(v));
        }
        if (ArrayBuffer.isView(v)) {
          this.u8(T.bytes);
          const tag = Buffer.isBuffer(v) ? NODE_BUFFER : VIEWS.findIndex((C) => v instanceof C);
          if (tag < 0) throw new TypeError(`cannot send a ${v.constructor.name}`);
          this.u8(tag);
          return this.bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        }
        if (Array.isArray(v)) {
          this.u8(T.array);
          this.u32(v.length);
          for (const x of v) this.value(x, func);
          return;
        }
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw new TypeError(`cannot send an instance of ${proto?.constructor?.name ?? 'a class'}`);
        const keys = Object.keys(v);
        this.u8(T.object);
        this.u32(keys.length);
        for (const k of keys) {
          this.string(k);
          this.value((v as Record<string, unknown>)[k], func);
        }
        return;
      }
      default:
        throw new TypeError(`cannot send a ${typeof v}`);
    }
  }

  /** The encoded bytes (a view; copy before the writer is reused). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

export class Reader {
  private readonly dv: DataView;
  pos = 0;

  constructor(private readonly buf: Uint8Array) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  u8(): number {
    return this.buf[this.pos++]!;
  }
  u32(): number {
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  f64(): number {
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  bytes(): Uint8Array {
    const n = this.u32();
    const b = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  string(): string {
    const n = this.u32();
    let s = '';
    for (let i = 0; i < n; i += 8192) {
      const units = new Uint16Array(Math.min(8192, n - i));
      for (let k = 0; k < units.length; k++) units[k] = this.dv.getUint16(this.pos + 2 * (i + k), true);
      s += String.fromCharCode(...units);
    }
    this.pos += 2 * n;
    return s;
  }

  value(func?: (id: number) => Function): unknown {
    const tag = this.u8();
    switch (tag) {
      case T.undef:
        return undefined;
      case T.null:
        return null;
      case T.true:
        return true;
      case T.false:
        return false;
      case T.i32: {
        const v = this.dv.getInt32(this.pos, true);
        this.pos += 4;
        return v;
      }
      case T.f64:
        return this.f64();
      case T.bigint: {
        const neg = this.u8() === 1;
        const mag = BigInt('0x' + this.string());
        return neg ? -mag : mag;
      }
      case T.string:
        return this.string();
      case T.bytes: {
        const kind = this.u8();
        const b = this.bytes();
        if (kind === ARRAYBUFFER) return b.buffer as ArrayBuffer;
        if (kind === NODE_BUFFER) return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
        const C = VIEWS[kind]!;
        if (C === DataView) return new DataView(b.buffer);
        const per = (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
        return new (C as unknown as new (b: ArrayBufferLike, o: number, n: number) => unknown)(b.buffer, 0, b.byteLength / per);
      }
      case T.array: {
        const n = this.u32();
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = this.value(func);
        return out;
      }
      case T.object: {
        const n = this.u32();
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = this.string();
          out[k] = this.value(func);
        }
        return out;
      }
      case T.func: {
        const id = this.u32();
        if (!func) throw new TypeError('unexpected function reference');
        return func(id);
      }
      default:
        throw new TypeError(`corrupt message (tag ${tag})`);
    }
  }
}

/** Copies the state of `fresh` (what the other side left in an argument) into the caller's `original`. */
export function applyCopyBack(original: unknown, fresh: unknown): void {
  if (ArrayBuffer.isView(original) && (ArrayBuffer.isView(fresh) || fresh instanceof ArrayBuffer)) {
    const dst = new Uint8Array(original.buffer, original.byteOffset, original.byteLength);
    const src = fresh instanceof ArrayBuffer ? new Uint8Array(fresh) : new Uint8Array(fresh.buffer, fresh.byteOffset, fresh.byteLength);
    dst.set(src.subarray(0, dst.length));
  } else if (original instanceof ArrayBuffer && (fresh instanceof ArrayBuffer || ArrayBuffer.isView(fresh))) {
    applyCopyBack(new Uint8Array(original), fresh);
  } else if (Array.isArray(original) && Array.isArray(fresh)) {
    for (let i = 0; i < original.length && i < fresh.length; i++) original[i] = fresh[i];
  } else if (original && typeof original === 'object' && fresh && typeof fresh === 'object') {
    Object.assign(original, fresh);
  }
}
