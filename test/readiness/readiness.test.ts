import { describe, expect, it } from 'vitest';
import { notReady, READY, Readiness, ReadinessSwitch } from '../../src/readiness/readiness.js';

describe('Readiness (GET /readyz)', () => {
  it('is ready only when every registered probe is, and reports each by name with its reason', async () => {
    const readiness = new Readiness();
    const startup = new ReadinessSwitch('waiting for Slack');
    readiness.register('startup', startup.probe);
    readiness.register('audit-store', async () => READY);
    expect(await readiness.check()).toEqual({
      ready: false,
      probes: { startup: { ready: false, reason: 'waiting for Slack' }, 'audit-store': { ready: true } },
    });
    startup.markReady();
    expect((await readiness.check()).ready).toBe(true);
    startup.markNotReady('draining');
    expect((await readiness.check()).probes.startup).toEqual(notReady('draining'));
  });

  it('counts a probe that throws or hangs past the timeout as not ready, without failing the others', async () => {
    const readiness = new Readiness();
    readiness.register('throws', () => {
      throw new Error('PostgreSQL refused the connection');
    });
    readiness.register('hangs', () => new Promise(() => {}));
    readiness.register('fine', () => READY);
    const report = await readiness.check(30);
    expect(report.ready).toBe(false);
    expect(report.probes).toEqual({
      throws: notReady('the probe failed: PostgreSQL refused the connection'),
      hangs: notReady('did not answer within 30 ms'),
      fine: READY,
    });
  });

  it('refuses a second probe under a name in use, and removes a probe with the function register returned', async () => {
    const readiness = new Readiness();
    const remove = readiness.register('audit-store', () => notReady('down'));
    expect(() => readiness.register('audit-store', () => READY)).toThrow('a readiness probe named "audit-store" is already registered');
    remove();
    expect(await readiness.check()).toEqual({ ready: true, probes: {} });
  });
});
