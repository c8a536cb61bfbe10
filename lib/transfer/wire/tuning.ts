/**
 * Socket and link tuning. Node cannot set SO_SNDBUF/SO_RCVBUF on TCP sockets, so
 * buffers grow through the kernel's autotuning (raise `net.ipv4.tcp_wmem` /
 * `tcp_rmem` max on long links, see docs/transfer-wire.md); we turn off Nagle,
 * keep connections alive and let parallel streams cover the rest.
 */
import type { Socket } from 'node:net';

export function tuneSocket(socket: Socket): void {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 15_000);
}

export interface WireTuning {
  /** Bytes per chunk of a large file (4 MiB). */
  chunkSize: number;
  /** Files up to this size travel whole in batches (256 KiB). */
  smallFileMax: number;
  /** Bytes per small-file batch frame (8 MiB). */
  batchBytes: number;
  /** Files per small-file batch frame. */
  batchFiles: number;
  /** Chunks in flight (sent, not yet verified) across all files. */
  window: number;
  /** Large files moved at once. */
  filesInFlight: number;
}

export const DEFAULT_TUNING: WireTuning = {
  chunkSize: 4 * 1024 * 1024,
  smallFileMax: 256 * 1024,
  batchBytes: 8 * 1024 * 1024,
  batchFiles: 2000,
  window: 16,
  filesInFlight: 8,
};
