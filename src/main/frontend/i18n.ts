import en from './i18n/en';
import es from './i18n/es';
import fr from './i18n/fr';
import pt from './i18n/pt';

/**
 * The upload component's words in the languages RelayPACS speaks (the same four as the server's bundles; a
 * build-time check keeps their keys equal). The language is the one the app chose for the user, remembered on the
 * device so that the app started offline speaks it too; before that, the browser's.
 */
export type MessageKey = keyof typeof en;
const bundles: Record<string, Partial<Record<MessageKey, string>>> = { en, fr, es, pt };
export const STORED_LANGUAGE = 'relaypacs-language';

let current = 'en';

export function setLanguage(tag: string | null | undefined): string {
  const language = (tag ?? '').slice(0, 2).toLowerCase();
  current = language in bundles ? language : 'en';
  return current;
}

export function language(): string {
  return current;
}

/** The language this device last used, else the browser's. */
export function startingLanguage(): string {
  let stored: string | null = null;
  try {
    stored = globalThis.localStorage?.getItem(STORED_LANGUAGE) ?? null;
  } catch {
    // storage may be refused (private mode): the browser's language then
  }
  return setLanguage(stored ?? globalThis.navigator?.language);
}

/** A text in the current language, {0}, {1}… filled in. */
export function t(key: MessageKey, ...args: (string | number)[]): string {
  const text = bundles[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\d)}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}

/** A text that depends on a count: the key's ".one" or ".other" form, as the language's plural rules say. */
export function tn(key: string, count: number, ...args: (string | number)[]): string {
  const form = new Intl.PluralRules(current).select(count) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}` as MessageKey, formatNumber(count), ...args);
}

export function formatNumber(n: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(current, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits,
    useGrouping: false }).format(n);
}

startingLanguage();
