import { describe, expect, it } from 'vitest';
import { isExternalOpenAllowed, isNavigationAllowed, isTrustedSender } from '../../../shared/security/electron-rules';

const RENDERER = 'file:///opt/Cairn/resources/app.asar/out/renderer/index.html';

describe('Electron window rules against hostile inputs', () => {
  it.each([
    [{ frameUrl: RENDERER, isMainFrame: true, isOurWindow: true }, true],
    [{ frameUrl: `${RENDERER}#/chart`, isMainFrame: true, isOurWindow: true }, true],
    [{ frameUrl: `${RENDERER}?x=1`, isMainFrame: true, isOurWindow: true }, true],
    [{ frameUrl: RENDERER, isMainFrame: false, isOurWindow: true }, false], // a subframe
    [{ frameUrl: RENDERER, isMainFrame: true, isOurWindow: false }, false], // another window
    [{ frameUrl: 'file:///tmp/evil.html', isMainFrame: true, isOurWindow: true }, false], // another file
    [{ frameUrl: 'file:///opt/Cairn/resources/app.asar/out/renderer/../../evil.html', isMainFrame: true, isOurWindow: true }, false],
    [{ frameUrl: 'https://evil.example/index.html', isMainFrame: true, isOurWindow: true }, false], // other origin
    [{ frameUrl: 'javascript:alert(1)', isMainFrame: true, isOurWindow: true }, false],
    [{ frameUrl: 'about:blank', isMainFrame: true, isOurWindow: true }, false],
    [{ frameUrl: 'not a url', isMainFrame: true, isOurWindow: true }, false],
  ])('sender %j trusted: %s', (sender, expected) => {
    expect(isTrustedSender(sender, RENDERER)).toBe(expected);
  });

  it.each([
    [RENDERER, true],
    [`${RENDERER}#top`, true],
    ['https://evil.example/', false],
    ['http://127.0.0.1:5199/', false],
    ['file:///etc/passwd', false],
    ['javascript:fetch("//x")', false],
    ['data:text/html,<script>1</script>', false],
    ['chrome://settings', false],
    ['', false],
  ])('navigation to %s allowed: %s', (url, expected) => {
    expect(isNavigationAllowed(url, RENDERER)).toBe(expected);
  });

  it.each([
    ['https://www.uspreventiveservicestaskforce.org/', true],
    ['http://example.org/', false],
    ['javascript:alert(1)', false],
    ['file:///C:/Windows/System32/calc.exe', false],
    ['smb://server/share', false],
    ['ms-msdt:/id PCWDiagnostic', false],
    ['https://user:pass@example.org/', false],
    ['data:text/html;base64,PHNjcmlwdD4=', false],
  ])('open %s externally: %s', (url, expected) => {
    expect(isExternalOpenAllowed(url)).toBe(expected);
  });
});
