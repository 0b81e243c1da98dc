import type { PortalLanguage } from '../../../../shared/domain/portal';
import { en, type Catalogue, type MessageKey } from './en';
import { es } from './es';

export type { Catalogue, MessageKey };
export type Vars = Record<string, string | number>;
/** A catalogue lookup with its placeholders filled. */
export type Translate = (key: MessageKey, vars?: Vars) => string;

export const CATALOGUES: Readonly<Record<PortalLanguage, Catalogue>> = { en, es };
export const LANGUAGES: readonly PortalLanguage[] = ['en', 'es'];

/** BCP 47 tags for Intl: US conventions (the clinics are in the US), in the patient's language. */
export const LOCALES: Readonly<Record<PortalLanguage, string>> = { en: 'en-US', es: 'es-US' };

const PLACEHOLDER = /\{(\w+)\}/g;

/** The names of a text's placeholders, sorted, each once ("{n} of {max}" → ["max", "n"]). */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/** `key`'s text in `catalogue` with `{name}` replaced by vars.name (a missing var stays visible as `{name}`). */
export function translate(catalogue: Catalogue, key: MessageKey, vars?: Vars): string {
  const text = catalogue[key];
  return vars ? text.replace(PLACEHOLDER, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
}

/** The translator for a language. */
export function translator(language: PortalLanguage): Translate {
  const catalogue = CATALOGUES[language];
  return (key, vars) => translate(catalogue, key, vars);
}

/** True when `key` is in the catalogue (for keys built from server values: error codes, vital kinds, statuses). */
export function isKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** The language a first visit starts in: the one chosen here before, else the browser's if it is Spanish. */
export function initialLanguage(stored: string | null, browser: readonly string[]): PortalLanguage {
  if (stored === 'en' || stored === 'es') return stored;
  return browser.some((l) => l.toLowerCase().startsWith('es')) ? 'es' : 'en';
}
