import { formatDate, formatName, type StudyGroup } from './dicom-preview';
import type { QueuedFile } from './upload-queue';

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
    const who = [formatName(study.patientName), study.patientId && `ID ${study.patientId}`].filter(Boolean).join(' · ');
    const what = [formatDate(study.studyDate), study.description].filter(Boolean).join(' · ');
    return [who || 'Unnamed patient', what].filter(Boolean).join(' — ');
  }
  return kind === 'photo' ? 'Photos' : kind === 'document' ? 'Documents (PDF)'
    : kind === 'dicom' ? 'Medical images (details are read on the server)' : 'Other files';
}

export function groupDetail(g: StudyGroup): string {
  const files = `${g.files.length} file${g.files.length > 1 ? 's' : ''}, ${formatBytes(g.bytes)}`;
  if (g.kind === 'dicom') {
    return [g.modalities.join(', '), files].filter(Boolean).join(' · ');
  }
  return g.kind === 'photo' || g.kind === 'document' ? `${files} · will be turned into DICOM on the server`
    : `${files} · not recognised as medical images here; the server will check them`;
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
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (unfinished === 0) {
    const parts: string[] = [];
    if (files.length - failed.length - skipped > 0) parts.push('Delivered to the PACS');
    const saved = compressedInTransit(files);
    if (saved) parts.push(saved);
    if (skipped) parts.push(`${plural(skipped, 'file is not a medical image and was', 'files are not medical images and were')} skipped`);
    if (failed.length) parts.push(`${plural(failed.length, 'file was', 'files were')} not delivered: ${failed[0].message ?? 'unknown reason'}`);
    return { tone: failed.length ? 'failed' : 'done', text: parts.join('. ') };
  }
  if (!online) {
    return { tone: 'waiting', text: 'Waiting for network' };
  }
  const paused = files.find((f) => f.state === 'paused');
  if (paused?.message) {
    return { tone: 'waiting', text: paused.message };
  }
  if (files.every((f) => f.state === 'processing' || f.state === 'done' || f.state === 'failed')) {
    return { tone: 'active', text: 'Received, checking and delivering to the PACS' };
  }
  const size = files.reduce((s, f) => s + f.size, 0);
  const sent = files.reduce((s, f) => s + f.sentBytes, 0);
  const saved = compressedInTransit(files);
  return { tone: 'active', text: `Sending: ${formatBytes(sent)} of ${formatBytes(size)} (${size ? Math.floor((sent * 100) / size) : 0}%)${saved ? ` · ${saved}` : ''}` };
}

/** "Sent 38.0 MB for 100.0 MB of images (compressed in transit)", when compression saved something worth saying. */
export function compressedInTransit(files: QueuedFile[]): string | undefined {
  const plain = files.reduce((s, f) => s + f.sentBytes, 0);
  const wire = files.reduce((s, f) => s + (f.wireBytes ?? f.sentBytes), 0);
  return plain > 0 && wire < plain * 0.95 ? `Sent ${formatBytes(wire)} for ${formatBytes(plain)} of images (compressed in transit)` : undefined;
}

export function describe(f: QueuedFile, online: boolean): string {
  switch (f.state) {
    case 'adding': return 'Being copied to this device';
    case 'queued': return online ? 'Waiting to be sent' : 'Waiting for network';
    case 'sending': return `Sending: ${f.size ? Math.floor((f.sentBytes * 100) / f.size) : 0}%`;
    case 'processing': return 'Received, checking and delivering to the PACS';
    case 'paused': return online ? f.message ?? 'Waiting to be sent' : 'Waiting for network';
    case 'done': return f.message ?? 'Delivered to the PACS';
    case 'failed': return `Not delivered: ${f.message ?? 'unknown reason'}`;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} KB`;
  return `${n} bytes`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
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
