import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler, resolveAppPath } from '../../../electron/shell/app-protocol';
import { tempDir } from '../../helpers/temp-db';

describe('the cairn:// protocol that serves the renderer', () => {
  const t = tempDir('cairn-app-protocol-');
  afterAll(() => t.cleanup());
  const root = join(t.dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Cairn</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {};');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(t.dir, 'secret.txt'), 'the admin token');
  writeFileSync(join(t.dir, 'renderer-secret.txt'), 'a sibling folder with the same prefix');
  const handle = appProtocolHandler(root);
  const get = (url: string, method = 'GET'): Promise<Response> => handle(new Request(url, { method }));

  it('is a standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'cairn', privileges: { standard: true, secure: true, supportFetchAPI: true } });
  });

  it("serves the renderer's files with their type, nosniff and frame-ancestors 'none' as a header", async () => {
    for (const [url, type, body] of [
      ['cairn://app/', 'text/html; charset=utf-8', '<!doctype html><title>Cairn</title>'],
      ['cairn://app/index.html', 'text/html; charset=utf-8', '<!doctype html><title>Cairn</title>'],
      ['cairn://app/assets/index-abc.js', 'text/javascript; charset=utf-8', 'export {};'],
      ['cairn://app/assets/index-abc.css?v=1#x', 'text/css; charset=utf-8', 'body{}'],
    ] as const) {
      const r = await get(url);
      expect(r.status, url).toBe(200);
      expect(r.headers.get('content-type')).toBe(type);
      expect(r.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await r.text()).toBe(body);
    }
    const head = await get('cairn://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('never serves a file outside the renderer folder, another host, or anything but GET and HEAD', async () => {
    const hostile = [
      'cairn://app/../secret.txt',
      'cairn://app/%2e%2e/secret.txt',
      'cairn://app/..%2fsecret.txt',
      'cairn://app/assets/..%2f..%2fsecret.txt',
      'cairn://app/..%2f..%2frenderer-secret.txt',
      'cairn://app/%5c..%5csecret.txt',
      'cairn://app/..%5csecret.txt',
      'cairn://app/%2fetc%2fpasswd',
      'cairn://app/index.html%00.png',
      'cairn://app/%E0%A4%A',
      'cairn://evil/index.html',
      'cairn://app/assets',
      'cairn://app/missing.js',
    ];
    for (const url of hostile) {
      const r = await get(url);
      expect(r.status, url).not.toBe(200);
      expect(await r.text(), url).toBe('');
      expect(r.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    }
    expect((await get('cairn://app/..%2fsecret.txt')).status).toBe(403);
    expect((await get('cairn://app/index.html', 'POST')).status).toBe(405);
    // (Chromium would pass it on; Node's Request refuses to build it.)
    expect(resolveAppPath(root, 'cairn://app@evil/secret.txt')).toBe(404);
    expect(resolveAppPath(root, 'file:///etc/passwd')).toBe(404);
  });
});
