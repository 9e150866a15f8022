import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDate, formatName, groupByStudy, readPicked } from '../../main/frontend/dicom-preview';

// pydicom's sample files (Debian's python3-pydicom, installed by bin/setup).
const SAMPLES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const sample = (name: string) => new File([readFileSync(`${SAMPLES}/${name}`)], name);

describe('DICOM preview', () => {
  it('reads patient and study from the header of a real CT instance', async () => {
    const picked = await readPicked(sample('CT_small.dcm'));
    expect(picked.kind).toBe('dicom');
    expect(picked.study).toMatchObject({
      studyUid: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
      patientName: 'CompressedSamples^CT1',
      patientId: '1CT1',
      studyDate: '20040119',
      modality: 'CT',
    });
  });

  it('groups files by study and lists photos and other files apart', async () => {
    const jpeg = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])], 'wound.jpg', { type: 'image/jpeg' });
    const text = new File(['just a note'], 'note.txt');
    const picked = await Promise.all([sample('CT_small.dcm'), sample('MR_small.dcm'), sample('CT_small.dcm'), jpeg, text].map(readPicked));
    const groups = groupByStudy(picked);
    expect(groups.map((g) => [g.kind, g.files.length])).toEqual([['dicom', 2], ['dicom', 1], ['photo', 1], ['other', 1]]);
    expect(groups[0].modalities).toEqual(['CT']);
    expect(groups[0].bytes).toBe(2 * picked[0].file.size);
  });

  it('still calls a DICOM file DICOM when its header cannot be read here', async () => {
    const bytes = new Uint8Array(400);
    bytes.set([0x44, 0x49, 0x43, 0x4d], 128); // DICM, then garbage
    bytes.fill(0xff, 132);
    const picked = await readPicked(new File([bytes], 'odd.dcm'));
    expect(picked.kind).toBe('dicom');
    expect(picked.study).toBeUndefined();
  });

  it('formats names and dates for people', () => {
    expect(formatName('DOE^JANE^^^')).toBe('DOE, JANE');
    expect(formatName('YAMADA^TARO=山田^太郎')).toBe('YAMADA, TARO');
    expect(formatDate('20240131')).toBe('2024-01-31');
    expect(formatDate('')).toBe('');
  });
});
