import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Text } from '../../projections/runner/utf8-text.ts';

describe('UTF-8 text written piece by piece', () => {
  it('holds the bytes of the pieces joined, each of whole characters, whatever room each piece finds left', () => {
    // A small first buffer, so the pieces fall with every amount of room left, down to less than they need.
    const piece = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('€€€', '— “crisis” 🚑', ''));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(piece, { maxLength: 60 }), (initialBytes, pieces) => {
        const text = new Utf8Text(initialBytes);
        for (const p of pieces) text.write(p);
        expect(text.bytes().equals(Buffer.from(pieces.join('')))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('starts again from nothing after a reset, whether it keeps what it grew to or lets it go', () => {
    for (const keptBytes of [1024, 16]) {
      const text = new Utf8Text(4, keptBytes);
      text.write('a longer first text — with a dash');
      text.reset().write('€');
      expect(text.bytes().toString('utf8')).toBe('€');
      text.write(' and more');
      expect(text.bytes().toString('utf8')).toBe('€ and more');
    }
  });
});
