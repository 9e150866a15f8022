import { parseDicom, type DataSet } from 'dicom-parser';
import { language } from './i18n';
import type { SampleRun } from './sample-delta';
import type { StudySummary } from './upload-queue';

/**
 * Reads the header of picked files in the browser, so the user sees which patients and studies are about to be sent
 * before confirming. Only the start of each file is read; pixel data never is.
 */
export type FileKind = 'dicom' | 'photo' | 'document' | 'other';

export interface PickedFile {
  file: File;
  kind: FileKind;
  study?: StudySummary;
  /** Where its 16-bit pixel samples lie, when they are stored uncompressed (they compress better filtered). */
  samples?: SampleRun;
}

export interface StudyGroup {
  /** Study Instance UID, or a name for the files outside any study. */
  key: string;
  study?: StudySummary;
  kind: FileKind;
  files: File[];
  bytes: number;
  modalities: string[];
}

const HEADER_BYTES = 256 * 1024;
const MAX_HEADER_BYTES = 4 * 1024 * 1024;
const PIXEL_DATA = 'x7fe00010';

export async function readPicked(file: File): Promise<PickedFile> {
  const head = new Uint8Array(await file.slice(0, Math.min(file.size, HEADER_BYTES)).arrayBuffer());
  if (isJpeg(head) || isPng(head)) {
    return { file, kind: 'photo' };
  }
  if (isPdf(head)) {
    return { file, kind: 'document' };
  }
  if (!hasDicomMagic(head)) {
    return { file, kind: 'other' };
  }
  let data = head;
  for (;;) {
    try {
      const header = parseDicom(data, { untilTag: PIXEL_DATA });
      return { file, kind: 'dicom', study: summarise(header), samples: sampleRun(header, file.size) };
    } catch {
      // A header longer than what was read: read more, up to a bound; beyond it the server will say.
      if (data.length >= Math.min(file.size, MAX_HEADER_BYTES)) {
        return { file, kind: 'dicom' };
      }
      data = new Uint8Array(await file.slice(0, Math.min(file.size, data.length * 4)).arrayBuffer());
    }
  }
}

/** Groups files by study in the order first seen; photos and other files each get a group of their own. */
export function groupByStudy(picked: PickedFile[]): StudyGroup[] {
  const groups = new Map<string, StudyGroup>();
  for (const p of picked) {
    const key = p.study?.studyUid ?? (p.kind === 'dicom' ? 'dicom-unread' : p.kind);
    let group = groups.get(key);
    if (!group) {
      group = { key, study: p.study, kind: p.kind, files: [], bytes: 0, modalities: [] };
      groups.set(key, group);
    }
    group.files.push(p.file);
    group.bytes += p.file.size;
    if (p.study?.modality && !group.modalities.includes(p.study.modality)) {
      group.modalities.push(p.study.modality);
    }
  }
  return [...groups.values()];
}

/** "DOE^JOHN" as "DOE, JOHN"; "20240131" as "2024-01-31". */
export function formatName(pn: string): string {
  return pn.split('=')[0].split('^').filter((s) => s.trim()).join(', ');
}

export function formatDate(da: string): string {
  if (!/^\d{8}$/.test(da)) {
    return da;
  }
  // English keeps the unambiguous 2024-01-31; other languages their own way of writing a date
  return language() === 'en' ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}`
    : new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeZone: 'UTC' })
      .format(Date.UTC(Number(da.slice(0, 4)), Number(da.slice(4, 6)) - 1, Number(da.slice(6, 8))));
}

function summarise(ds: DataSet): StudySummary | undefined {
  const text = (tag: string) => (ds.string(tag) ?? '').trim();
  const studyUid = text('x0020000d');
  if (!studyUid) {
    return undefined;
  }
  return {
    studyUid,
    patientName: text('x00100010'),
    patientId: text('x00100020'),
    studyDate: text('x00080020'),
    description: text('x00081030'),
    modality: text('x00080060'),
    accession: text('x00080050') || undefined,
  };
}

/** Little-endian transfer syntaxes whose pixel data are the samples themselves (implicit and explicit VR). */
const UNCOMPRESSED_LE = ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'];

/** The pixel data's value as a run of 16-bit samples, when the header says that is what it is. */
export function sampleRun(ds: DataSet, fileSize: number): SampleRun | undefined {
  const pixels = ds.elements[PIXEL_DATA];
  const syntax = (ds.string('x00020010') ?? '').replace(/\0/g, '').trim();
  if (!pixels || pixels.hadUndefinedLength || !UNCOMPRESSED_LE.includes(syntax) || ds.uint16('x00280100') !== 16) {
    return undefined;
  }
  const length = pixels.length - (pixels.length % 2);
  return pixels.dataOffset + length <= fileSize && length > 0 ? { offset: pixels.dataOffset, length } : undefined;
}

function hasDicomMagic(b: Uint8Array): boolean {
  const at = (o: number) => b.length >= o + 4 && b[o] === 0x44 && b[o + 1] === 0x49 && b[o + 2] === 0x43 && b[o + 3] === 0x4d;
  return at(128) || at(0);
}

function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

function isPdf(b: Uint8Array): boolean {
  return b.length > 5 && b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d; // %PDF-
}

/**
 * The one DICOM study picked with photos or documents, which they then join; undefined when there is none, more
 * than one, or DICOM whose header could not be read here.
 */
export function studyToJoin(picked: PickedFile[]): StudySummary | undefined {
  if (!picked.some((p) => p.kind === 'photo' || p.kind === 'document')) {
    return undefined;
  }
  const dicom = picked.filter((p) => p.kind === 'dicom');
  const studies = new Set(dicom.map((p) => p.study?.studyUid));
  return studies.size === 1 && !studies.has(undefined) ? dicom[0].study : undefined;
}

function isPng(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}
