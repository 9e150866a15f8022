import { formatDate, formatName, type StudyGroup } from './dicom-preview';
import type { QueuedFile } from './upload-queue';
import { formatNumber, t, tn } from './i18n';

/** What the uploader says about picked and queued studies: titles, one plain sentence per study and per file, sizes. */

export interface QueuedGroup {
  kind: 'dicom' | 'photo' | 'document' | 'other';
  files: QueuedFile[];
}

/** Queued files by study (the DICOM header's Study Instance UID), else by batch and kind, in the order queued. */
export function queuedGroups(files: QueuedFile[]): QueuedGroup[] {
  const groups = new Map<string, QueuedGroup>();
  for (const f of files) {
    const kind = f.study ? 'dicom' : f.type.startsWith('image/') ? 'photo'
      : f.type === 'application/pdf' || /\.pdf$/i.test(f.name) ? 'document' : 'other';
    const key = f.study?.studyUid ?? `${f.batchId}:${kind}`;
    const group = groups.get(key) ?? { kind, files: [] };
    group.files.push(f);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export function groupTitle(study: QueuedFile['study'], kind: string): string {
  if (study) {
    const who = [formatName(study.patientName), study.patientId && t('group.id', study.patientId)].filter(Boolean).join(' · ');
    const what = [formatDate(study.studyDate), study.description].filter(Boolean).join(' · ');
    return [who || t('group.unnamed'), what].filter(Boolean).join(' — ');
  }
  return kind === 'photo' ? t('group.photos') : kind === 'document' ? t('group.documents')
    : kind === 'dicom' ? t('group.dicom') : t('group.other');
}

export function groupDetail(g: StudyGroup): string {
  const files = tn('group.files', g.files.length, formatBytes(g.bytes));
  if (g.kind === 'dicom') {
    return [g.modalities.join(', '), files].filter(Boolean).join(' · ');
  }
  return g.kind === 'photo' || g.kind === 'document' ? t('group.converted', files) : t('group.unrecognised', files);
}

/** A study's file list shows at most this many rows: a 2,000-slice CT redrawn five times a second would stall the page. */
export const MAX_LISTED = 100;

/** The files a study lists: all of a small study; of a large one the failed first, then in order, up to MAX_LISTED. */
export function listedFiles(files: QueuedFile[]): QueuedFile[] {
  if (files.length <= MAX_LISTED) {
    return files;
  }
  return [...files.filter((f) => f.state === 'failed'), ...files.filter((f) => f.state !== 'failed')].slice(0, MAX_LISTED);
}

/** One plain sentence for a study, and its tone. */
export function studyState(files: QueuedFile[], online: boolean): { tone: string; text: string } {
  const count = (pred: (f: QueuedFile) => boolean) => files.filter(pred).length;
  const failed = files.filter((f) => f.state === 'failed');
  const skipped = count((f) => f.state === 'done' && (f.skipped ?? 0) > 0);
  const unfinished = count((f) => f.state !== 'done' && f.state !== 'failed');
  if (unfinished === 0) {
    const parts: string[] = [];
    if (files.length - failed.length - skipped > 0) parts.push(t('study.delivered'));
    const saved = compressedInTransit(files);
    if (saved) parts.push(saved);
    if (skipped) parts.push(tn('study.skipped', skipped));
    if (failed.length) parts.push(tn('study.failed', failed.length, failed[0].message ?? t('file.unknownReason')));
    return { tone: failed.length ? 'failed' : 'done', text: parts.join('. ') };
  }
  if (!online) {
    return { tone: 'waiting', text: t('study.waitingNetwork') };
  }
  const paused = files.find((f) => f.state === 'paused');
  if (paused?.message) {
    return { tone: 'waiting', text: paused.message };
  }
  if (files.every((f) => f.state === 'processing' || f.state === 'done' || f.state === 'failed')) {
    return { tone: 'active', text: t('study.checking') };
  }
  const size = files.reduce((s, f) => s + f.size, 0);
  const sent = files.reduce((s, f) => s + f.sentBytes, 0);
  const saved = compressedInTransit(files);
  const sending = t('study.sending', formatBytes(sent), formatBytes(size), size ? Math.floor((sent * 100) / size) : 0);
  return { tone: 'active', text: saved ? `${sending} · ${saved}` : sending };
}

/** "Sent 38.0 MB for 100.0 MB of images (compressed in transit)", when compression saved something worth saying. */
export function compressedInTransit(files: QueuedFile[]): string | undefined {
  const plain = files.reduce((s, f) => s + f.sentBytes, 0);
  const wire = files.reduce((s, f) => s + (f.wireBytes ?? f.sentBytes), 0);
  return plain > 0 && wire < plain * 0.95 ? t('study.compressed', formatBytes(wire), formatBytes(plain)) : undefined;
}

export function describe(f: QueuedFile, online: boolean): string {
  switch (f.state) {
    case 'adding': return t('file.adding');
    case 'queued': return online ? t('file.queued') : t('study.waitingNetwork');
    case 'sending': return t('file.sending', f.size ? Math.floor((f.sentBytes * 100) / f.size) : 0);
    case 'processing': return t('study.checking');
    case 'paused': return online ? f.message ?? t('file.queued') : t('study.waitingNetwork');
    case 'done': return f.message ?? t('study.delivered');
    case 'failed': return t('file.failed', f.message ?? t('file.unknownReason'));
  }
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return t('size.gb', formatNumber(n / (1 << 30), 1));
  if (n >= 1 << 20) return t('size.mb', formatNumber(n / (1 << 20), 1));
  if (n >= 1 << 10) return t('size.kb', formatNumber(Math.round(n / (1 << 10))));
  return t('size.bytes', formatNumber(n));
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return t('duration.s', formatNumber(Math.max(1, Math.round(seconds))));
  if (seconds < 3600) return t('duration.min', formatNumber(Math.round(seconds / 60)));
  return t('duration.h', formatNumber(seconds / 3600, 1));
}

/**
 * Seconds until the files are sent at a wire rate (bytes/s): what is left, at the share of its size that has been
 * going on the wire so far (less than all when compressed in transit), over the rate; 0 before a rate is known.
 */
export function secondsLeft(files: QueuedFile[], wireRate: number): number {
  const started = files.filter((f) => f.sentBytes > 0);
  const sent = started.reduce((s, f) => s + f.sentBytes, 0);
  const share = sent > 0 ? started.reduce((s, f) => s + (f.wireBytes ?? f.sentBytes), 0) / sent : 1;
  const left = files.reduce((s, f) => s + (f.state === 'failed' ? 0 : f.size - f.sentBytes), 0);
  return wireRate > 0 ? (left * share) / wireRate : 0;
}
