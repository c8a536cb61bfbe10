/** The vendor end of the benchmark: enrols with the code, connects, prints `connected`. argv: url, code, root, state folder. */
import { cpuUsage, memoryUsage } from 'node:process';
import { connectAgent, enrolAgent } from '../../lib/transfer/wire/index.ts';

const [hqUrl = '', code = '', root = '', stateDir = ''] = process.argv.slice(2);
const credentials = await enrolAgent({ hqUrl, code, dir: stateDir });
const agent = await connectAgent({ hqUrl, credentials, root });
await agent.whenConnected(30_000);
process.stdout.write('connected\n');
let peakRss = memoryUsage().rss;
setInterval(() => (peakRss = Math.max(peakRss, memoryUsage().rss)), 100);
process.on('SIGUSR2', () => {
  const cpu = cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRss })}\n`);
});
process.on('SIGTERM', () => {
  void agent.close().finally(() => process.exit(0));
});
