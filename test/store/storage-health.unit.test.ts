import { describe, expect, it } from 'vitest';
import { createStorageHealth, StorageFull } from '../../src/store/storage-full.ts';

describe('storage health', () => {
  it('is not writable after a write failed for lack of space, looks at the free space at most once a second, and is writable again once there is room', () => {
    let now = 0;
    let free = 0;
    let looks = 0;
    const health = createStorageHealth({
      freeBytes: () => (looks++, free),
      now: () => now,
    });
    expect(health.current()).toEqual({ writable: true });
    health.full(new StorageFull('/data', 0));
    expect(health.current()).toMatchObject({ writable: false, reason: 'the disk holding /data is full (0 bytes free)' });
    free = 10 * 1024 * 1024;
    now += 500;
    expect(health.current().writable).toBe(false);
    expect(looks).toBe(0);
    now += 500;
    expect(health.current()).toEqual({ writable: true });
    expect(looks).toBe(1);
  });

  it('is writable again as soon as a write succeeds', () => {
    const health = createStorageHealth({ freeBytes: () => 0 });
    health.full(new StorageFull('/data', 0));
    health.wrote();
    expect(health.current()).toEqual({ writable: true });
  });
});
