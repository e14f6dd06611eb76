import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

/**
 * compose.yaml cannot be run here (no Docker); what can go wrong in it without Docker is checked instead: every app
 * replica's environment is a configuration the app accepts, the replicas share one budget and one audit store, the
 * services they point at exist, and the stop grace period leaves room for the drain.
 */
type Service = {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  stop_grace_period?: string;
  depends_on?: Record<string, unknown>;
};

/** `${NAME:?message}` becomes a plausible value, `${NAME:-default}` its default: what `docker compose` would see. */
const sample: Record<string, string> = {
  SLACK_BOT_TOKEN: 'xoxb-compose-test',
  SLACK_SIGNING_SECRET: 'compose-signing-secret',
  SLACK_APP_TOKEN: 'xapp-compose-test',
};
const interpolate = (value: string) =>
  value.replace(
    /\$\{(\w+)(?::\?[^}]*|:-([^}]*))\}/g,
    (_match, name: string, fallback: string | undefined) => fallback ?? sample[name] ?? '',
  );

const compose = parse(await readFile(new URL('../../compose.yaml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const apps = Object.entries(compose.services).filter(([, service]) => service.environment?.SLACK_BOT_TOKEN !== undefined);
const envOf = (service: Service) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
const hostOf = (url: string) => new URL(url).hostname;

describe('compose.yaml: two replicas, Redis, PostgreSQL and the NetEase emulator', () => {
  it('runs at least two app replicas built from this Dockerfile, each with a configuration the app accepts', () => {
    expect(apps.length).toBeGreaterThanOrEqual(2);
    for (const [, service] of apps) {
      expect(service.build).toBe('.');
      const config = loadConfig(envOf(service));
      expect(config.slack).toMatchObject({ mode: 'workspace', appToken: 'xapp-compose-test' });
      expect(config.nim.replicas).toBe(apps.length);
    }
  });

  it('shares one Redis budget and one PostgreSQL audit store, on services the file defines and waits for', () => {
    const [first, ...others] = apps.map(([, service]) => loadConfig(envOf(service)));
    for (const other of others) {
      expect(other.nim.redisUrl).toBe(first!.nim.redisUrl);
      expect(other.audit.databaseUrl).toBe(first!.audit.databaseUrl);
      expect(other.nim.baseUrl).toBe(first!.nim.baseUrl);
    }
    for (const url of [first!.nim.redisUrl!, first!.audit.databaseUrl!, first!.nim.baseUrl]) {
      expect(Object.keys(compose.services)).toContain(hostOf(url));
      expect(Object.keys(apps[0]![1].depends_on ?? {})).toContain(hostOf(url));
    }
    expect(compose.services[hostOf(first!.nim.baseUrl)]?.command?.slice(0, 2)).toEqual(['node', 'dist/emulator/main.js']);
  });

  it('gives each replica a stop grace period longer than its drain', () => {
    for (const [, service] of apps) {
      const graceMs = Number(/^(\d+)s$/.exec(service.stop_grace_period ?? '')?.[1]) * 1000;
      expect(graceMs).toBeGreaterThan(loadConfig(envOf(service)).drainTimeoutMs);
    }
  });
});
