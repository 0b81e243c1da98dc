import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { startWebServer, type WebServer } from '../../electron/web/web-server';
import { resourcesDir, tempDir } from '../helpers/temp-db';

function post(port: number, path: string, body: string, headers: Record<string, string>, method = 'POST'): Promise<{ status: number; json: unknown }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => {
        let json: unknown = data;
        try {
          json = JSON.parse(data);
        } catch {
          /* plain text answer */
        }
        done({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('dev:web HTTP transport guards', () => {
  const t = tempDir();
  let server: WebServer;
  let session: Session;
  const token = 'test-token-0123456789';
  beforeAll(async () => {
    session = new Session({ dbFile: resolve(t.dir, 'web.cairn'), resourcesDir });
    server = await startWebServer({ handlers: createHandlers({ session }), rendererDir: resolve('out/renderer'), token });
  });
  afterAll(async () => {
    await server.close();
    session.close();
    t.cleanup();
  });
  const host = (): string => `127.0.0.1:${server.port}`;

  it('answers a good call through the dispatcher', async () => {
    const r = await post(server.port, '/api/session.status', '{}', { host: host(), 'x-cairn-token': token, origin: `http://${host()}` });
    expect(r).toEqual({
      status: 200,
      json: { ok: true, value: { state: 'uninitialized', user: null, clinicName: null, autoLocked: false, autoLockMinutes: 10, clinicZone: null } },
    });
  });

  it('refuses a missing or wrong token, a foreign Origin and a foreign Host', async () => {
    expect((await post(server.port, '/api/session.status', '{}', { host: host() })).status).toBe(401);
    expect((await post(server.port, '/api/session.status', '{}', { host: host(), 'x-cairn-token': 'nope' })).status).toBe(401);
    const evil = await post(server.port, '/api/session.status', '{}', { host: host(), 'x-cairn-token': token, origin: 'http://evil.example' });
    expect(evil).toMatchObject({ status: 403, json: { ok: false, error: { code: 'forbidden' } } });
    const rebinding = await post(server.port, '/api/session.status', '{}', { host: `evil.example:${server.port}`, 'x-cairn-token': token });
    expect(rebinding.status).toBe(421);
  });

  it('answers bad input with a clear error value', async () => {
    const h = { host: host(), 'x-cairn-token': token };
    expect(await post(server.port, '/api/session.status', '{not json', h)).toMatchObject({
      status: 400,
      json: { ok: false, error: { code: 'invalid_input' } },
    });
    expect(await post(server.port, '/api/patients.drop', '{}', h)).toMatchObject({
      json: { ok: false, error: { code: 'unknown_channel', message: 'unknown channel "patients.drop"' } },
    });
    const r = await post(server.port, '/api/patients.search', JSON.stringify({ query: 'x' }), h);
    expect(r).toMatchObject({ json: { ok: false, error: { code: 'not_initialized' } } });
  });
});

describe('dev:web survives any request a web page can make', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('answers a malformed URL (<img src="http://127.0.0.1:PORT/%E0">) with 400 and keeps serving', async () => {
    // The real dev:web process, serving a page of its own.
    writeFileSync(resolve(t.dir, 'index.html'), '<!doctype html><title>Cairn</title>');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve('electron/web/serve.ts'), '--db', resolve(t.dir, 'web.cairn'), '--port', '0', '--renderer', t.dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const first = await new Promise<string>((done, fail) => {
        createInterface({ input: child.stdout }).once('line', done);
        void exited.then((code) => fail(new Error(`dev:web exited (${String(code)}): ${stderr}`)));
      });
      const url = new URL(/on (\S+)/.exec(first)![1]!);
      const port = Number(url.port);
      const token = url.searchParams.get('token')!;
      const h = { host: `127.0.0.1:${port}` };
      // What an <img> or fetch() on any other origin can send.
      expect((await post(port, '/%E0', '', h, 'GET')).status).toBe(400);
      expect((await post(port, '/assets/%C0%AF..%2F%E0.js', '', h, 'GET')).status).toBe(400);
      expect((await post(port, '/api/%E0', '{}', { ...h, 'x-cairn-token': token })).status).toBe(400);
      expect((await post(port, '/%E0', '', { host: 'evil.example' }, 'GET')).status).toBe(421);
      // Still up, and still answering.
      expect(child.exitCode).toBeNull();
      const page = await post(port, '/', '', h, 'GET');
      expect(page.status).toBe(200);
      expect(String(page.json)).toContain('<title>Cairn</title>');
      const status = await post(port, '/api/session.status', '{}', { ...h, 'x-cairn-token': token });
      expect(status).toMatchObject({ status: 200, json: { ok: true } });
      expect(stderr).not.toMatch(/URIError/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
