// One guest process: CPU, Win32 state and module loader wired together around a loaded DLL.
import { Cpu, type CpuOptions } from '../emulator/cpu.js';
import { Loader, type PeModule } from '../loader/loader.js';
import { Process, type ProcessOptions } from '../thunks/process.js';
import { runAtExit } from '../thunks/crt/startup.js';
import { registry } from '../thunks/registry.js';
import { closeVolume, vfs } from '../thunks/vfs/volume.js';
import { registryHive } from '../thunks/advapi32/registry.js';

export interface RuntimeOptions extends CpuOptions, ProcessOptions {
  /** Extra folders searched for the DLL's dependencies. */
  searchPath?: string[];
}

export class Runtime {
  readonly cpu: Cpu;
  readonly process: Process;
  readonly loader: Loader;
  readonly main: PeModule;
  private closed = false;

  constructor(file: string, opts: RuntimeOptions = {}) {
    this.cpu = Cpu.create(opts);
    this.process = new Process(this.cpu, registry, opts);
    // A registry seed is read now, so that a bad one fails the load rather than the first Reg* call.
    if (opts.registry?.seed !== undefined) registryHive(this.process);
    // A granted folder is checked now, so that a bad one fails the load rather than the first file call.
    if (opts.fs) this.process.state(vfs);
    this.loader = new Loader(this.process, { searchPath: opts.searchPath ?? [] });
    this.process.modules = this.loader;
    this.main = this.loader.loadFile(file);
  }

  /**
   * DLL_PROCESS_DETACH for every image (dependants first), then the CRT's exit handlers; without
   * `runGuest` (the DLL ended its process already) no guest code runs, only host resources are freed.
   */
  close(runGuest = true): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.cpu.isDead || !runGuest) return;
      this.loader.unloadAll();
      runAtExit(this.process);
    } finally {
      closeVolume(this.process); // the process ends: its files close
    }
  }
}
