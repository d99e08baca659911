import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration from the environment', () => {
  it('defaults: port 3000 on loopback, data in ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', bodyLimit: 256 * 1024 });
    expect(config.dataDir.endsWith('data')).toBe(true);
  });

  it('reads whole numbers, with spaces around them', () => {
    expect(loadConfig({ PORT: ' 8080 ', LEDGER_RATE_LIMIT_MAX: '50' })).toMatchObject({ port: 8080, access: { rateLimit: { max: 50 } } });
  });

  it.each([
    ['PORT', ''],
    ['PORT', ' '],
    ['PORT', '80a'],
    ['PORT', '-1'],
    ['PORT', '70000'],
    ['PORT', '3000.5'],
    ['LEDGER_BODY_LIMIT', ''],
    ['LEDGER_RATE_LIMIT_MAX', '0'],
  ])('refuses %s=%j at start-up with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    const message = (() => {
      try {
        loadConfig({ [name]: value });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain(`${name}: `);
    expect(message).toContain(`(got ${JSON.stringify(value)})`);
  });
});
