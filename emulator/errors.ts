// The root of wowasm's error hierarchy. Every error a user can see extends WowasmError and carries a
// stable `code`, so callers can branch on `instanceof` or on `code` alike, in-thread or across a worker.

export class WowasmError extends Error {
  readonly code: string;
  /** Structured facts behind the message (addresses, names, registers); plain data, safe to clone. */
  readonly detail: Record<string, unknown>;

  constructor(code: string, message: string, detail: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.detail = detail;
  }
}

/** The emulator itself broke (a v86 internal error): this instance cannot run again; load the DLL anew. */
export class EmulatorCrashedError extends WowasmError {
  constructor(message: string, detail: Record<string, unknown> = {}) {
    super('WOWASM_EMULATOR_CRASHED', message, detail);
  }
}

/** A v86 internal that emulator/ relies on no longer behaves as expected (an unsupported v86 version). */
export class EmulatorSelfTestError extends WowasmError {
  constructor(message: string) {
    super('WOWASM_EMULATOR_SELF_TEST', message);
  }
}

/** The host touched guest memory that is not mapped (a bad pointer handed to an API, or a host bug). */
export class GuestMemoryError extends WowasmError {
  readonly address: number;
  readonly access: 'read' | 'write';
  constructor(address: number, access: 'read' | 'write') {
    super('WOWASM_GUEST_MEMORY', `guest memory at 0x${(address >>> 0).toString(16).padStart(8, '0')} is not mapped (${access})`, {
      address: address >>> 0,
      access,
    });
    this.address = address >>> 0;
    this.access = access;
  }
}

/** No guest memory left: the physical frames or the address range asked for are exhausted. */
export class OutOfGuestMemoryError extends WowasmError {
  constructor(message: string) {
    super('WOWASM_OUT_OF_GUEST_MEMORY', message);
  }
}

/** The registers at the moment something went wrong, for error reports. */
export interface RegisterDump {
  eax: number;
  ecx: number;
  edx: number;
  ebx: number;
  esp: number;
  ebp: number;
  esi: number;
  edi: number;
  eip: number;
  eflags: number;
}

/** Guest code raised a CPU exception no one handled: an access violation, a division by zero, ... */
export class GuestFaultError extends WowasmError {
  /** Windows exception code (0xC0000005 for an access violation, ...). */
  readonly exceptionCode: number;
  /** x86 exception vector (14 for #PF, 0 for #DE, ...). */
  readonly vector: number;
  readonly eip: number;
  /** For access violations: the address touched and how. */
  readonly address: number | undefined;
  readonly access: 'read' | 'write' | 'execute' | undefined;
  readonly registers: RegisterDump;

  constructor(
    message: string,
    f: { exceptionCode: number; vector: number; eip: number; address?: number; access?: 'read' | 'write' | 'execute'; registers: RegisterDump; location: string },
  ) {
    super('WOWASM_GUEST_FAULT', message, { ...f });
    this.exceptionCode = f.exceptionCode;
    this.vector = f.vector;
    this.eip = f.eip;
    this.address = f.address;
    this.access = f.access;
    this.registers = f.registers;
  }
}

/** A call ran longer than its time budget (`timeoutMs`) and was stopped. */
export class BudgetExceededError extends WowasmError {
  constructor(timeoutMs: number, eip: number, location: string) {
    super('WOWASM_BUDGET_EXCEEDED', `the call ran for more than ${timeoutMs} ms of guest time and was stopped at ${location} (timeoutMs)`, {
      timeoutMs,
      eip,
      location,
    });
  }
}
