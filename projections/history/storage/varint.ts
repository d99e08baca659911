/**
 * Whole numbers as variable-length bytes (LEB128 of the zigzag form), for the history's blocks:
 * most of what a line holds is a small id or date code, one or two bytes here against several
 * characters of JSON, and a reader can step over a line without decoding it. Arithmetic, not
 * bit operators, so any whole number up to 2^52 either way fits (positions, and the business
 * clock's "always", -1e15).
 */

/** Appends numbers to a growing buffer. */
export class ByteWriter {
  private bytes = new Uint8Array(256);
  length = 0;

  private room(n: number) {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  int(value: number): void {
    let z = value >= 0 ? value * 2 : -value * 2 - 1;
    this.room(8);
    while (z >= 0x80) {
      this.bytes[this.length++] = (z % 0x80) | 0x80;
      z = Math.floor(z / 0x80);
    }
    this.bytes[this.length++] = z;
  }

  /** A short text (a part's key) as its length and UTF-16 code units, each a number. */
  text(value: string): void {
    this.int(value.length);
    for (let i = 0; i < value.length; i++) this.int(value.charCodeAt(i));
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** The bytes written, copied out: the buffer is usually larger, and may be written again after `reset`. */
  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** Starts again from nothing, keeping the buffer: one writer serves many short writes without a new buffer each. */
  reset(): this {
    this.length = 0;
    return this;
  }
}

/** Reads numbers back from bytes, from `at` on. */
export class ByteReader {
  constructor(
    public bytes: Uint8Array,
    public at = 0,
  ) {}

  /** Reads other bytes from `at`: one reader serves many short reads without a new object each. */
  reset(bytes: Uint8Array, at: number): this {
    this.bytes = bytes;
    this.at = at;
    return this;
  }

  int(): number {
    const b = this.bytes;
    let byte = b[this.at++]!;
    if (byte < 0x80) return byte % 2 === 0 ? byte / 2 : -(byte + 1) / 2;
    let z = byte & 0x7f;
    let scale = 0x80;
    do {
      byte = b[this.at++]!;
      z += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte >= 0x80);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  text(): string {
    const length = this.int();
    let out = '';
    for (let i = 0; i < length; i++) out += String.fromCharCode(this.int());
    return out;
  }
}
