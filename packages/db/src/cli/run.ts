import { setFlagsFromString } from 'node:v8';
import { ignoreClosedPipes } from './closed-pipe.js';
import { main } from './main.js';

// PGlite is 9 MB of WebAssembly. V8 compiles it twice, quickly (Liftoff) and then
// optimised (TurboFan) on background threads; a CLI run ends long before the
// optimised code pays off. Liftoff alone halves the CPU of a run on PGlite
// (`status`: 0.85 s to 0.45 s) and speeds up long ones too (204 migrations:
// 1.7 s to 0.7 s). Set before any WebAssembly is compiled; apps that import
// @jam/db keep V8's defaults.
setFlagsFromString('--liftoff-only');

// node-postgres probes for Cloudflare Workers by constructing a `Response`, which
// makes Node 20 load its whole fetch implementation: about 20 ms, a sixth of a
// no-op `migrate`. Node 21+ answers the probe from `navigator`; give Node 20 the
// same answer. Only the CLI process does this, never an app importing @jam/db.
const runtime = globalThis as { navigator?: unknown };
if (runtime.navigator === undefined) {
  runtime.navigator = { userAgent: `Node.js/${process.versions.node.split('.')[0]}` };
}

ignoreClosedPipes();
process.exitCode = await main(process.argv.slice(2));
