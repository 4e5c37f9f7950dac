import { ignoreClosedPipes } from './closed-pipe.js';
import { main } from './main.js';

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
