// The process handle table: kernel objects (files, events, heaps, ...) behind HANDLE values.

export const INVALID_HANDLE_VALUE = 0xffff_ffff;
export const CURRENT_PROCESS = 0xffff_ffff; // GetCurrentProcess() pseudo-handle
export const CURRENT_THREAD = 0xffff_fffe; // GetCurrentThread() pseudo-handle

export interface KernelObject {
  readonly type: string;
  /** Called when the last handle to it is closed. */
  close?(): void;
}

export class HandleTable {
  private readonly objects = new Map<number, { obj: KernelObject; refs: number }>();
  private next = 0x40;

  add(obj: KernelObject): number {
    const h = this.next;
    this.next += 4; // handle values are multiples of 4, as on Windows
    this.objects.set(h, { obj, refs: 1 });
    return h;
  }

  get<T extends KernelObject>(h: number, type?: string): T | undefined {
    const e = this.objects.get(h >>> 0);
    if (!e || (type !== undefined && e.obj.type !== type)) return undefined;
    return e.obj as T;
  }

  /** Another handle to the same object (DuplicateHandle). */
  duplicate(h: number): number | undefined {
    const e = this.objects.get(h >>> 0);
    if (!e) return undefined;
    e.refs++;
    const n = this.next;
    this.next += 4;
    this.objects.set(n, e);
    return n;
  }

  close(h: number): boolean {
    const e = this.objects.get(h >>> 0);
    if (!e) return false;
    this.objects.delete(h >>> 0);
    if (--e.refs === 0) e.obj.close?.();
    return true;
  }

  get size(): number {
    return this.objects.size;
  }
}
