/**
 * Child process for the crash test: starts a delivery with the local transport
 * and, when it starts writing chunk `hangAt`, says so on stdout and hangs until
 * the parent kills it with SIGKILL.
 */
import { createEmbeddedTransfer } from '../../lib/transfer/embedded.ts';
import { createLocalTransport } from '../../lib/transfer/local/index.ts';
import { writeChunkToDisk } from '../../lib/transfer/local/copy.ts';

const { dataDir, roots, chunkSize, hangAt, source } = JSON.parse(process.argv[2] ?? '{}') as {
  dataDir: string;
  roots: { hq: Record<string, string>; vendors: Record<string, string> };
  chunkSize: number;
  hangAt: number;
  source: string;
};
const transport = createLocalTransport({
  roots,
  chunkSize,
  writeChunk: async (handle, data, position) => {
    if (position / chunkSize === hangAt) {
      process.stdout.write('in-flight\n');
      await new Promise(() => undefined);
    }
    await writeChunkToDisk(handle, data, position);
  },
});
const adapter = createEmbeddedTransfer({ dataDir, roots, transports: [transport] });
await adapter.ensureJob({ name: 'crash', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks: [{ source }] });
