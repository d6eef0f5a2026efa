// Chunk codec in the spirit of Gorilla (Facebook, VLDB 2015) and Prometheus' XOR chunks.
//
// Layout: byte 0 = format version (high nibble) | column count (low nibble); bytes 1-2 =
// point count (u16, big endian); then a bit stream: time unit in ms (32 bits), the first
// timestamp in units (48 bits), and per point a time code then one value code per column.
//
// Time: delta-of-delta in units with prefix codes, so a regular interval costs 1 bit.
// Values: most collected values are short decimals (23.45, 1200, 0.5), whose float64 bits
// XOR badly, so the first choice is the difference of consecutive values scaled to an
// integer by a per-column power of ten (zigzag, in a width that adapts to the series'
// noise); anything else falls back to Gorilla's XOR with leading/trailing-zero windows.
// Gaps (null) cost one 5-bit code. Every code is lossless: the encoder checks that the
// decoder's arithmetic gives back the exact same float before choosing the decimal path.
import { BitReader, BitWriter, ChunkCorrupt } from './bits';

export const CHUNK_VERSION = 1;
export const MAX_POINTS = 0xffff;
const MAX_EXP = 15;
const POW10 = Array.from({ length: MAX_EXP + 1 }, (_, i) => 10 ** i);
const MAX_INT = 2 ** 53 - 1;
const MAX_DELTA = 2 ** 52 - 1;
/** Shrinking the width costs 9 bits once; keeping a too-wide one costs the slack each time. */
const WIDTH_SLACK = 8;
const HEADER_BYTES = 3;
const TIME_BITS = 48;

export interface DecodedChunk {
  unit: number;
  columns: number;
  /** Timestamps in ms. */
  t: number[];
  /** One array per column, parallel to t. */
  cols: (number | null)[][];
}

export function zigzag(d: number): number {
  return d >= 0 ? d * 2 : -d * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

export function bitLength(x: number): number {
  if (x < 2 ** 32) return 32 - Math.clz32(x);
  return 64 - Math.clz32(Math.floor(x / 2 ** 32));
}

const view = new DataView(new ArrayBuffer(8));

function floatBits(v: number): [number, number] {
  view.setFloat64(0, v);
  return [view.getUint32(0), view.getUint32(4)];
}

function bitsFloat(hi: number, lo: number): number {
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** The 64-bit pattern hi:lo shifted right by `shift` (< 64), as two 32-bit halves. */
function shiftRight(hi: number, lo: number, shift: number): [number, number] {
  if (shift === 0) return [hi, lo];
  if (shift < 32) return [hi >>> shift, ((lo >>> shift) | (hi << (32 - shift))) >>> 0];
  return [0, hi >>> (shift - 32)];
}

function shiftLeft(hi: number, lo: number, shift: number): [number, number] {
  if (shift === 0) return [hi, lo];
  if (shift < 32) return [((hi << shift) | (lo >>> (32 - shift))) >>> 0, (lo << shift) >>> 0];
  return [(lo << (shift - 32)) >>> 0, 0];
}

/** Per-column state shared by encoder and decoder: both must evolve it identically. */
class ColumnState {
  prev = 0;
  exp = 0;
  width = 0;
  lead = -1;
  trail = -1;
}

function scaledPrev(s: ColumnState, exp: number): number {
  return Math.round(s.prev * POW10[exp]);
}

/** The smallest exponent >= the current one at which v is an exact short decimal. */
function decimalExponent(v: number, from: number): number {
  if (Object.is(v, -0)) return -1;
  for (let e = from; e <= MAX_EXP; e++) {
    const p = POW10[e];
    const i = Math.round(v * p);
    if (Math.abs(i) > MAX_INT) return -1;
    if (i / p === v) return e;
  }
  return -1;
}

function writeDecimal(w: BitWriter, s: ColumnState, v: number): boolean {
  const exp = decimalExponent(v, s.exp);
  if (exp < 0) return false;
  const base = scaledPrev(s, exp);
  const delta = Math.round(v * POW10[exp]) - base;
  if (!Number.isSafeInteger(base) || Math.abs(delta) > MAX_DELTA) return false;
  if (exp !== s.exp) {
    w.write(0b1110, 4);
    w.write(exp, 4);
    s.exp = exp;
  }
  writeDelta(w, s, zigzag(delta));
  return true;
}

function writeDelta(w: BitWriter, s: ColumnState, zz: number): void {
  const bits = bitLength(zz);
  if (bits <= s.width && s.width - bits <= WIDTH_SLACK) {
    w.write(0b10, 2);
    w.writeBig(zz, s.width);
    return;
  }
  w.write(0b110, 3);
  w.write(bits, 6);
  w.writeBig(zz, bits);
  s.width = bits;
}

function writeXor(w: BitWriter, s: ColumnState, v: number): void {
  const [ph, pl] = floatBits(s.prev);
  const [vh, vl] = floatBits(v);
  const xh = (ph ^ vh) >>> 0;
  const xl = (pl ^ vl) >>> 0;
  const lead = clz64(xh, xl);
  const trail = ctz64(xh, xl);
  w.write(0b11110, 5);
  if (s.lead >= 0 && lead >= s.lead && trail >= s.trail) {
    w.write(0, 1);
    writeWindow(w, xh, xl, s.trail, 64 - s.lead - s.trail);
    return;
  }
  w.write(1, 1);
  w.write(lead, 6);
  w.write(63 - lead - trail, 6);
  writeWindow(w, xh, xl, trail, 64 - lead - trail);
  s.lead = lead;
  s.trail = trail;
}

function writeWindow(w: BitWriter, hi: number, lo: number, trail: number, len: number): void {
  const [h, l] = shiftRight(hi, lo, trail);
  if (len > 32) {
    w.write(h, len - 32);
    w.write(l, 32);
  } else {
    w.write(l, len);
  }
}

function writeValue(w: BitWriter, s: ColumnState, v: number | null): void {
  if (v === null || !Number.isFinite(v)) {
    w.write(0b11111, 5);
    return;
  }
  if (Object.is(v, s.prev)) w.write(0, 1);
  else if (!writeDecimal(w, s, v)) writeXor(w, s, v);
  s.prev = v;
}

function readXor(r: BitReader, s: ColumnState): number {
  if (r.readBit() === 1) {
    s.lead = r.read(6);
    s.trail = 63 - s.lead - r.read(6);
  }
  if (s.lead < 0 || s.trail < 0) throw new ChunkCorrupt('XOR window used before it was set');
  const len = 64 - s.lead - s.trail;
  const h = len > 32 ? r.read(len - 32) : 0;
  const l = r.read(len > 32 ? 32 : len);
  const [xh, xl] = shiftLeft(h, l, s.trail);
  const [ph, pl] = floatBits(s.prev);
  return bitsFloat((ph ^ xh) >>> 0, (pl ^ xl) >>> 0);
}

function readDelta(r: BitReader, s: ColumnState, zz: number): number {
  const i = scaledPrev(s, s.exp) + unzigzag(zz);
  return i / POW10[s.exp];
}

function readValue(r: BitReader, s: ColumnState): number | null {
  for (;;) {
    if (r.readBit() === 0) return s.prev;
    if (r.readBit() === 0) return (s.prev = readDelta(r, s, r.readBig(s.width)));
    if (r.readBit() === 0) {
      s.width = r.read(6);
      return (s.prev = readDelta(r, s, r.readBig(s.width)));
    }
    if (r.readBit() === 0) {
      s.exp = r.read(4);
      continue;
    }
    if (r.readBit() === 0) return (s.prev = readXor(r, s));
    return null;
  }
}

function writeTimeDelta(w: BitWriter, dod: number): void {
  if (dod === 0) return w.write(0, 1);
  const zz = zigzag(dod);
  if (zz < 1 << 7) {
    w.write(0b10, 2);
    w.write(zz, 7);
  } else if (zz < 1 << 12) {
    w.write(0b110, 3);
    w.write(zz, 12);
  } else if (zz < 1 << 20) {
    w.write(0b1110, 4);
    w.write(zz, 20);
  } else {
    const bits = bitLength(zz);
    w.write(0b1111, 4);
    w.write(bits, 6);
    w.writeBig(zz, bits);
  }
}

function readTimeDelta(r: BitReader): number {
  if (r.readBit() === 0) return 0;
  if (r.readBit() === 0) return unzigzag(r.read(7));
  if (r.readBit() === 0) return unzigzag(r.read(12));
  if (r.readBit() === 0) return unzigzag(r.read(20));
  return unzigzag(r.readBig(r.read(6)));
}

/**
 * Appends points to one chunk in memory. The bytes can be taken at any time (a head chunk
 * is re-written on every flush) and appending continues afterwards.
 */
export class ChunkEncoder {
  private readonly w = new BitWriter();
  private readonly state: ColumnState[];
  private prevT = 0;
  private prevDelta = 0;
  count = 0;
  firstT = NaN;
  lastT = NaN;
  /** The values of the last point, so `latest` needs no decoding. */
  lastValues: (number | null)[] = [];

  constructor(
    readonly unit: number,
    readonly columns: number,
  ) {
    if (!Number.isInteger(unit) || unit < 1 || unit >= 2 ** 32) throw new RangeError('bad unit');
    if (!Number.isInteger(columns) || columns < 1 || columns > 15)
      throw new RangeError('bad columns');
    this.state = Array.from({ length: columns }, () => new ColumnState());
    this.w.write((CHUNK_VERSION << 4) | columns, 8);
    this.w.write(0, 16);
    this.w.write(unit, 32);
  }

  get byteLength(): number {
    return this.w.byteLength;
  }

  get full(): boolean {
    return this.count >= MAX_POINTS;
  }

  /** t in ms, a multiple of the unit, after the last point; one value per column. */
  append(t: number, values: ArrayLike<number | null>): void {
    const units = t / this.unit;
    if (!Number.isSafeInteger(units) || units < 0 || units >= 2 ** TIME_BITS) {
      throw new RangeError(`time ${t} is not a whole number of ${this.unit} ms units`);
    }
    if (this.count > 0 && t <= this.lastT)
      throw new RangeError('points must be appended in time order');
    if (this.full) throw new RangeError('chunk is full');
    this.writeTime(units);
    for (let c = 0; c < this.columns; c++) writeValue(this.w, this.state[c], values[c] ?? null);
    this.remember(t, values);
  }

  /** The chunk as stored: header with the current count, then the bit stream. */
  bytes(): Uint8Array {
    const out = this.w.bytes();
    out[1] = this.count >>> 8;
    out[2] = this.count & 0xff;
    return out;
  }

  private writeTime(units: number): void {
    if (this.count === 0) {
      this.w.writeBig(units, TIME_BITS);
    } else {
      const delta = units - this.prevT;
      writeTimeDelta(this.w, delta - this.prevDelta);
      this.prevDelta = delta;
    }
    this.prevT = units;
  }

  private remember(t: number, values: ArrayLike<number | null>): void {
    if (this.count === 0) this.firstT = t;
    this.count++;
    this.lastT = t;
    const last: (number | null)[] = new Array(this.columns);
    for (let c = 0; c < this.columns; c++) {
      const v = values[c];
      last[c] = v === undefined || v === null || !Number.isFinite(v) ? null : v;
    }
    this.lastValues = last;
  }

  /** Continues a stored chunk: re-encoding its points gives the same bytes and state. */
  static resume(bytes: Uint8Array): ChunkEncoder {
    const d = decodeChunk(bytes);
    const enc = new ChunkEncoder(d.unit, d.columns);
    const row: (number | null)[] = new Array(d.columns);
    for (let i = 0; i < d.t.length; i++) {
      for (let c = 0; c < d.columns; c++) row[c] = d.cols[c][i];
      enc.append(d.t[i], row);
    }
    return enc;
  }
}

export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  if (bytes.length < HEADER_BYTES + 4) throw new ChunkCorrupt('chunk too short');
  const version = bytes[0] >>> 4;
  if (version !== CHUNK_VERSION) throw new ChunkCorrupt(`unknown chunk version ${version}`);
  const columns = bytes[0] & 0x0f;
  const count = (bytes[1] << 8) | bytes[2];
  const r = new BitReader(bytes, HEADER_BYTES);
  const unit = r.read(32);
  const out: DecodedChunk = {
    unit,
    columns,
    t: new Array<number>(count),
    cols: Array.from({ length: columns }, () => new Array<number | null>(count)),
  };
  decodePoints(r, out, count);
  return out;
}

function decodePoints(r: BitReader, out: DecodedChunk, count: number): void {
  const state = Array.from({ length: out.columns }, () => new ColumnState());
  let t = 0;
  let delta = 0;
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      t = r.readBig(TIME_BITS);
    } else {
      delta += readTimeDelta(r);
      t += delta;
    }
    out.t[i] = t * out.unit;
    for (let c = 0; c < out.columns; c++) out.cols[c][i] = readValue(r, state[c]);
  }
}
