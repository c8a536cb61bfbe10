/**
 * The vendor end of the benchmark: enrols with the code, connects, prints
 * `connected`, and stays up until SIGTERM (its CPU and peak memory are read from
 * /proc by the benchmark). argv: url, code, root, state folder.
 */
import { connectAgent, enrolAgent } from '../../lib/transfer/wire/index.ts';

const [hqUrl = '', code = '', root = '', stateDir = ''] = process.argv.slice(2);
const credentials = await enrolAgent({ hqUrl, code, dir: stateDir });
const agent = await connectAgent({ hqUrl, credentials, root });
await agent.whenConnected(30_000);
process.stdout.write('connected\n');
process.on('SIGTERM', () => {
  void agent.close().finally(() => process.exit(0));
});
