// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { formatDate } from '../../main/frontend/dicom-preview';
import { language, setLanguage, startingLanguage, t, tn, STORED_LANGUAGE } from '../../main/frontend/i18n';
import { formatBytes, formatDuration } from '../../main/frontend/study-summary';

describe('the upload component speaks the user\'s language', () => {
  afterEach(() => {
    setLanguage('en');
    localStorage.removeItem(STORED_LANGUAGE);
  });

  it('says texts in French with their values put in, and falls back to English for a language it does not speak', () => {
    setLanguage('fr-FR');
    expect(language()).toBe('fr');
    expect(t('lookup.join', 'Dupont')).toBe('Rejoindre : Dupont');
    expect(setLanguage('de')).toBe('en');
    expect(t('lookup.join', 'Dupont')).toBe('Join: Dupont');
  });

  it('chooses one or many by the language\'s own rule (French says "0 fichier", English "0 files")', () => {
    setLanguage('fr');
    expect(tn('send', 0, '1 Ko')).toBe('Envoyer 0 fichier (1 Ko)');
    expect(tn('send', 2, '1 Ko')).toBe('Envoyer 2 fichiers (1 Ko)');
    setLanguage('en');
    expect(tn('send', 0, '1 KB')).toBe('Send 0 files (1 KB)');
    expect(tn('send', 1, '1 KB')).toBe('Send 1 file (1 KB)');
  });

  it('writes sizes, durations and dates the language\'s way', () => {
    expect(formatBytes(1.5 * (1 << 20))).toBe('1.5 MB');
    expect(formatDate('20240131')).toBe('2024-01-31');
    setLanguage('fr');
    expect(formatBytes(1.5 * (1 << 20))).toBe('1,5 Mo');
    expect(formatDuration(5400)).toBe('1,5 h');
    expect(formatDate('20240131')).toBe('31 janv. 2024');
    setLanguage('pt');
    expect(formatBytes(512)).toBe('512 bytes');
  });

  it('starts in the language this device last used, else the browser\'s', () => {
    localStorage.setItem(STORED_LANGUAGE, 'es');
    expect(startingLanguage()).toBe('es');
    localStorage.removeItem(STORED_LANGUAGE);
    Object.defineProperty(navigator, 'language', { value: 'pt-BR', configurable: true });
    expect(startingLanguage()).toBe('pt');
  });
});
