#!/usr/bin/env node
// The `handoff` command: loads the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
process.exitCode = await main(process.argv);
// A finished command ends the process even when a client library left timers behind (the ftrack
// client keeps a 30 s timer for every event-hub reply); the unref'd timer never holds it up itself.
setTimeout(() => process.exit(), 1000).unref();
