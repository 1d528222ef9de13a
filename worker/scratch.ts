// Scratch guest memory for marshalled arguments: a bump allocator over a region reserved once, released
// to a mark when a call returns (nested calls release only what they took). Requests the region cannot
// hold go to the process heap and are freed at the same release.

import { PROT, type GuestMemory } from '../emulator/memory.js';
import { OutOfGuestMemoryError } from '../emulator/errors.js';
import type { Heap } from '../thunks/heap.js';

const REGION = 0x10_0000; // 1 MiB

export class ScratchArena {
  private readonly base: number;
  private top: number;
  private readonly big: number[] = [];

  constructor(
    mem: GuestMemory,
    private readonly heap: Heap,
  ) {
    this.base = mem.map(REGION, PROT.rw);
    this.top = this.base;
  }

  alloc(size: number, align = 8): number {
    const at = Math.ceil(this.top / align) * align;
    if (at + size <= this.base + REGION) {
      this.top = at + size;
      return at;
    }
    const block = this.heap.alloc(size);
    if (!block) throw new OutOfGuestMemoryError(`cannot allocate ${size} bytes of guest memory for call arguments`);
    this.big.push(block);
    return block;
  }

  /** Current position, to release back to. Encodes both the bump pointer and the heap blocks taken. */
  mark(): number {
    return (this.top - this.base) * 65536 + this.big.length;
  }

  release(mark: number): void {
    const bigCount = mark % 65536;
    this.top = this.base + Math.floor(mark / 65536);
    while (this.big.length > bigCount) this.heap.free(this.big.pop()!);
  }
}
