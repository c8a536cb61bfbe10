/** A vendor agent in its own process, for kill -9 tests: argv = HQ url, credentials file, root. */
import { readFile } from 'node:fs/promises';
import { connectAgent } from '../../../../lib/transfer/wire/index.ts';
import type { AgentCredentials } from '../../../../lib/transfer/wire/index.ts';

const [hqUrl, credentialsFile, root] = process.argv.slice(2);
const credentials = JSON.parse(await readFile(credentialsFile!, 'utf8')) as AgentCredentials;
const agent = await connectAgent({ hqUrl: hqUrl!, credentials, root: root! });
await agent.whenConnected(20_000);
process.stdout.write('connected\n');
