import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseBytes, parseDockerHost, parseOrigin } from './config';

describe('parseBytes', () => {
  it('reads docker-style sizes', () => {
    expect(parseBytes('1g')).toBe(1024 ** 3);
    expect(parseBytes('512m')).toBe(512 * 1024 ** 2);
    expect(parseBytes('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseBytes('4096')).toBe(4096);
  });
  it('rejects nonsense with a message that says what to write', () => {
    expect(() => parseBytes('lots')).toThrow(/512m or 1g/);
  });
});

describe('parseDockerHost', () => {
  it('defaults to the local socket', () => {
    expect(parseDockerHost(undefined)).toEqual({ socketPath: '/var/run/docker.sock' });
  });
  it('reads unix and tcp addresses', () => {
    expect(parseDockerHost('unix:///run/user/1000/docker.sock')).toEqual({ socketPath: '/run/user/1000/docker.sock' });
    expect(parseDockerHost('tcp://10.0.0.5:2375')).toEqual({ host: '10.0.0.5', port: 2375, protocol: 'http' });
  });
  it('refuses other schemes', () => {
    expect(() => parseDockerHost('ssh://me@host')).toThrow(/not supported/);
  });
});

describe('loadConfig', () => {
  it('has safe defaults', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('/srv/app/data');
    expect(c.sandbox.privileged).toBe(false);
    expect(c.sandbox.limits).toEqual({ memoryBytes: 1024 ** 3, pids: 512, cpus: 1 });
  });
  it('reads limits and the privileged opt-in', () => {
    const c = loadConfig({ SANDBOX_MEMORY: '2g', SANDBOX_PIDS: '1024', SANDBOX_CPUS: '1.5', SANDBOX_PRIVILEGED: 'true' });
    expect(c.sandbox.limits).toEqual({ memoryBytes: 2 * 1024 ** 3, pids: 1024, cpus: 1.5 });
    expect(c.sandbox.privileged).toBe(true);
  });
  it('lists every invalid variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', SANDBOX_MEMORY: 'huge', SESSION_SECRET: 'short' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/PORT/);
      expect(msg).toMatch(/SANDBOX_MEMORY/);
      expect(msg).toMatch(/SESSION_SECRET must be at least 32/);
    }
  });
});

describe('origins and per-client limits', () => {
  it('reads ALLOWED_ORIGINS in normal form, and refuses what is not an origin with what to write', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: 'http://10.0.0.5:3000, https://Labs.Example.org:443/' }).allowedOrigins).toEqual([
      'http://10.0.0.5:3000',
      'https://labs.example.org',
    ]);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'labs.example.org' })).toThrow(/scheme:\/\/host\[:port\]/);
    for (const bad of ['ftp://x', 'http://u:p@x', 'http://x/path', 'http://x/?q', 'nonsense']) expect(parseOrigin(bad), bad).toBeUndefined();
  });
  it('has per-client limits and idle reaping by default, and a warning no longer than half the idle time', () => {
    const c = loadConfig({});
    expect(c.limits).toEqual({ sandboxesPerLearner: 3, sandboxesPerAddress: 10, newLearnersPerMinute: 30 });
    expect(c.sandbox).toMatchObject({ idleMinutes: 60, idleWarningMinutes: 5, runtime: undefined });
    expect(loadConfig({ SANDBOX_IDLE_MINUTES: '4' }).sandbox.idleWarningMinutes).toBe(2);
    expect(() => loadConfig({ SANDBOX_RUNTIME: 'kata; rm -rf /' })).toThrow(/SANDBOX_RUNTIME/);
    expect(loadConfig({ SANDBOX_RUNTIME: 'kata-runtime' }).sandbox.runtime).toBe('kata-runtime');
  });
});

describe('running a class', () => {
  it('reads the warm pool per lab, the admin token, and logs as JSON in production', () => {
    const c = loadConfig({ SANDBOX_WARM_POOL: 'proxy-acceleration:10,transparent-proxy:5', ADMIN_TOKEN: 'x'.repeat(20), NODE_ENV: 'production' });
    expect(c.warmPool).toEqual({ 'proxy-acceleration': 10, 'transparent-proxy': 5 });
    expect(c.adminToken).toBe('x'.repeat(20));
    expect(c.logFormat).toBe('json');
    expect(loadConfig({}).logFormat).toBe('text');
    expect(() => loadConfig({ SANDBOX_WARM_POOL: 'proxy-acceleration=10' })).toThrow(/lab:count pairs/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/at least 16/);
  });
});

describe('terminal environment', () => {
  it('is an allow-list: nothing else of the server environment reaches the docker CLI', () => {
    const c = loadConfig({ PATH: '/usr/bin:/bin', HOME: '/home/app', SESSION_SECRET_X: 'leak', AWS_SECRET_ACCESS_KEY: 'leak' });
    expect(c.terminal.env).toEqual({ TERM: 'xterm-256color', LANG: 'C.UTF-8', HOME: '/home/app', PATH: '/usr/bin:/bin' });
  });
  it('passes DOCKER_HOST on, so the CLI reaches the same engine', () => {
    expect(loadConfig({ DOCKER_HOST: 'tcp://h:2375' }).terminal.env.DOCKER_HOST).toBe('tcp://h:2375');
  });
});
