import { request } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { startWebServer, type WebServer } from '../../electron/web/web-server';
import { resourcesDir, tempDir } from '../helpers/temp-db';

function post(port: number, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
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
    expect(r).toEqual({ status: 200, json: { ok: true, value: { state: 'uninitialized', user: null, clinicName: null, autoLocked: false, autoLockMinutes: 10 } } });
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
    expect(await post(server.port, '/api/session.status', '{not json', h)).toMatchObject({ status: 400, json: { ok: false, error: { code: 'invalid_input' } } });
    expect(await post(server.port, '/api/patients.drop', '{}', h)).toMatchObject({ json: { ok: false, error: { code: 'unknown_channel', message: 'unknown channel "patients.drop"' } } });
    const r = await post(server.port, '/api/patients.search', JSON.stringify({ query: 'x' }), h);
    expect(r).toMatchObject({ json: { ok: false, error: { code: 'not_initialized' } } });
  });
});
