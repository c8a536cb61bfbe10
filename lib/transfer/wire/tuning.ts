/**
 * Socket and link tuning. Node cannot set SO_SNDBUF/SO_RCVBUF on TCP sockets, so
 * buffers grow through the kernel's autotuning (raise `net.ipv4.tcp_wmem` /
 * `tcp_rmem` max on long links, see docs/transfer-wire.md); we turn off Nagle,
 * keep connections alive and let parallel streams cover the rest.
 */
import type { Socket } from 'node:net';

/**
 * TLS 1.3 only; AES-128-GCM first (AES-NI, the cheapest AEAD per byte on x86),
 * AES-256-GCM and ChaCha20-Poly1305 accepted for hosts without AES instructions.
 */
export const TLS_OPTIONS = {
  minVersion: 'TLSv1.3',
  ciphersuites: 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
} as const;

export function tuneSocket(socket: Socket): void {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 15_000);
}

export interface WireTuning {
  /** Bytes per chunk of a large file (2 MiB: small enough that a chunk queued on every stream stays cheap in memory). */
  chunkSize: number;
  /** Files up to this size travel whole in batches (256 KiB). */
  smallFileMax: number;
  /** Bytes per small-file batch frame (2 MiB). */
  batchBytes: number;
  /** Files per small-file batch frame (500: shorter batches keep both ends busy and need less memory). */
  batchFiles: number;
  /** Chunks in flight (sent, not yet verified) across all files at most; the memory window and the streams bound it too. */
  window: number;
  /** Large files moved at once. */
  filesInFlight: number;
}

export const DEFAULT_TUNING: WireTuning = {
  chunkSize: 2 * 1024 * 1024,
  smallFileMax: 256 * 1024,
  batchBytes: 2 * 1024 * 1024,
  batchFiles: 500,
  window: 4096,
  filesInFlight: 8,
};
