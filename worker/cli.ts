// The `wowasm` command (package.json "bin"): see commands.ts.
import { main } from './commands.js';

process.exitCode = await main(process.argv.slice(2));
