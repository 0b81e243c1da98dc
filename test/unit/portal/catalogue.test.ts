import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/src/portal/i18n/en';
import { es } from '../../../renderer/src/portal/i18n/es';
import { CATALOGUES, isKey, placeholders, translate, translator } from '../../../renderer/src/portal/i18n/i18n';

// The portal's one message catalogue: English and Spanish complete, the same placeholders in both.
describe('portal message catalogue', () => {
  const enKeys = Object.keys(en).sort();

  it('Spanish has every English key and no other', () => {
    expect(Object.keys(es).sort()).toEqual(enKeys);
  });

  it('has no empty text in either language', () => {
    for (const [lang, cat] of Object.entries(CATALOGUES)) {
      const empty = Object.entries(cat)
        .filter(([, v]) => typeof v !== 'string' || v.trim() === '')
        .map(([k]) => k);
      expect(empty, `${lang}: empty texts`).toEqual([]);
    }
  });

  it('uses the same placeholders in both languages', () => {
    const differ = enKeys.filter((k) => placeholders(en[k as keyof typeof en]).join() !== placeholders(es[k as keyof typeof es]).join());
    expect(differ).toEqual([]);
  });

  it('has no stray braces (a placeholder is {word})', () => {
    for (const cat of [en, es]) {
      const bad = Object.entries(cat).filter(([, v]) => /\{(?!\w+\})|(?<!\{\w+)\}/.test(v));
      expect(bad.map(([k]) => k)).toEqual([]);
    }
  });

  it('really is Spanish where it should be: most texts differ from the English', () => {
    const same = enKeys.filter((k) => en[k as keyof typeof en] === es[k as keyof typeof es]);
    // Language names, byte units and the "{n}. {text}" item pattern are the same in both.
    expect(same.length).toBeLessThan(10);
  });

  it('fills placeholders and leaves an unfilled one visible', () => {
    expect(translate(en, 'msg.chars', { n: 12, max: 5000 })).toBe('12 of 5000 characters');
    expect(translator('es')('msg.chars', { n: 3, max: 10 })).toBe('3 de 10 caracteres');
    expect(translate(en, 'msg.chars', { n: 1 })).toBe('1 of {max} characters');
  });

  it('knows its keys (keys built from server values are looked up, never assumed)', () => {
    expect(isKey('flag.critical_high')).toBe(true);
    expect(isKey('error.no_such_code')).toBe(false);
    expect(isKey('toString')).toBe(false);
  });

  it('has a plain-words flag for every result flag', () => {
    for (const f of ['high', 'low', 'normal', 'abnormal', 'critical_high', 'critical_low', 'unknown']) {
      expect(isKey(`flag.${f}`), f).toBe(true);
    }
    expect(en['flag.critical_high']).toBe('Critically high — your care team has been told');
  });
});
