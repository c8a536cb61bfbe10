/**
 * Reuses the large buffers chunks travel in. Without it every 4 MiB chunk is a
 * fresh allocation that the garbage collector frees late, which costs CPU and
 * lets memory climb far above what is really in flight.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  private readonly maxBytes: number;
  private pooledBytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** A buffer of exactly `size` bytes (uninitialised), reused when one fits. */
  take(size: number): Buffer {
    if (size < 64 * 1024) return Buffer.allocUnsafe(size);
    for (let i = 0; i < this.free.length; i++) {
      const candidate = this.free[i]!;
      if (candidate.byteLength >= size && candidate.byteLength <= size * 2) {
        this.free.splice(i, 1);
        this.pooledBytes -= candidate.byteLength;
        return Buffer.from(candidate, 0, size);
      }
    }
    return Buffer.allocUnsafeSlow(size);
  }

  /** Hands a buffer back; it must not be used afterwards. Small or shared buffers are left to the GC. */
  give(buffer: Buffer): void {
    const whole = buffer.buffer;
    if (!(whole instanceof ArrayBuffer) || buffer.byteOffset !== 0 || whole.byteLength < 64 * 1024) return;
    if (this.pooledBytes + whole.byteLength > this.maxBytes || this.free.includes(whole)) return;
    this.free.push(whole);
    this.pooledBytes += whole.byteLength;
  }
}

/** One pool per process for chunk and batch buffers. */
export const chunkBuffers = new BufferPool(16 * 1024 * 1024);
