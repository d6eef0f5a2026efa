// Bit-level writer and reader for chunk encodings. Integers up to 53 bits (JS safe
// integers); wider patterns (float64 bits) are written as two 32-bit halves.

const TWO32 = 2 ** 32;

/** Thrown when a chunk ends before its declared content: a corrupt or truncated blob. */
export class ChunkCorrupt extends Error {
  override name = 'ChunkCorrupt';
}

export class BitWriter {
  private buf: Uint8Array;
  private byte = 0;
  private bit = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  get byteLength(): number {
    return this.byte + (this.bit > 0 ? 1 : 0);
  }

  /** Writes the low n bits of v, most significant first (0 <= n <= 32, 0 <= v < 2^n). */
  write(v: number, n: number): void {
    if (this.byte + 5 >= this.buf.length) this.grow();
    while (n > 0) {
      const free = 8 - this.bit;
      const take = n < free ? n : free;
      n -= take;
      this.buf[this.byte] |= ((v >>> n) & ((1 << take) - 1)) << (free - take);
      this.bit += take;
      if (this.bit === 8) {
        this.byte++;
        this.bit = 0;
      }
    }
  }

  /** Writes the low n bits of a non-negative safe integer (n <= 53). */
  writeBig(v: number, n: number): void {
    if (n <= 32) return this.write(v, n);
    const hi = Math.floor(v / TWO32);
    this.write(hi, n - 32);
    this.write(v - hi * TWO32, 32);
  }

  /** A copy of the bytes written so far; the last byte is padded with zero bits. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.byteLength);
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }
}

export class BitReader {
  private pos: number;

  constructor(
    private readonly buf: Uint8Array,
    startByte = 0,
  ) {
    this.pos = startByte * 8;
  }

  readBit(): number {
    const byte = this.pos >>> 3;
    if (byte >= this.buf.length) throw new ChunkCorrupt('chunk ends early');
    const bit = (this.buf[byte] >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return bit;
  }

  /** Reads n bits (n <= 32) as an unsigned integer. */
  read(n: number): number {
    let v = 0;
    while (n > 0) {
      const byte = this.pos >>> 3;
      if (byte >= this.buf.length) throw new ChunkCorrupt('chunk ends early');
      const avail = 8 - (this.pos & 7);
      const take = n < avail ? n : avail;
      const part = (this.buf[byte] >>> (avail - take)) & ((1 << take) - 1);
      v = v * (1 << take) + part;
      this.pos += take;
      n -= take;
    }
    return v;
  }

  /** Reads n bits (n <= 53) as a non-negative safe integer. */
  readBig(n: number): number {
    if (n <= 32) return this.read(n);
    const hi = this.read(n - 32);
    return hi * TWO32 + this.read(32);
  }
}
