/**
 * A text written as UTF-8 piece by piece into one growing buffer (a snapshot's: snapshot-codec.ts). Joining the lines
 * into one string and encoding that cost more than making them: V8 copies every piece into the
 * joined string and then encodes it again (at 5,000 events, 0.45 s for 300 snapshots against
 * 0.27 s written piece by piece, and 0.21 s for the JSON alone; docs/projections.md).
 */
export class Utf8Text {
  private buffer: Buffer;
  private length = 0;

  /**
   * `keptBytes`: a buffer grown past it is let go at the next reset. The buffer is reused from text to text, and
   * one document with a value of many megabytes would otherwise hold that much for the life of the thread.
   */
  constructor(
    private readonly initialBytes = 64 * 1024,
    private readonly keptBytes = 4 * 2 ** 20,
  ) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /**
   * Each piece is encoded on its own, so a surrogate pair split across two pieces becomes two U+FFFD, not the pair
   * joined would encode: the pieces must not split one (JSON.stringify's never do: it escapes a lone surrogate).
   */
  write(piece: string): void {
    // A UTF-16 code unit is at most three bytes of UTF-8.
    if (this.buffer.length - this.length < piece.length * 3) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + piece.length * 3));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(piece, this.length);
  }

  /** The bytes written: a view of the buffer, valid until the next reset. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  reset(): this {
    this.length = 0;
    if (this.buffer.length > this.keptBytes) this.buffer = Buffer.allocUnsafe(this.initialBytes);
    return this;
  }
}
