import { describe, expect, it } from 'vitest';
import { findStudies, foundTitle } from '../../main/frontend/study-lookup';
import { json } from './fake-server';

describe('study look-up', () => {
  it('says in words why the PACS could not be asked', async () => {
    await expect(findStudies('t', { patientId: 'A*' }, async () => json(400, { detail: 'Give the patient\'s exact ID (no * or ?).' })))
      .rejects.toThrow('exact ID');
    await expect(findStudies('t', { patientId: 'A' }, async () => { throw new TypeError('Failed to fetch'); }))
      .rejects.toThrow('network is not available');
    await expect(findStudies('t', { patientId: 'A' }, async () => new Response('oops', { status: 502 }))).rejects.toThrow('502');
    expect(await findStudies('t', { patientId: 'A' }, async () => json(200, { studies: [], unavailable: 'No PACS of your own.' })))
      .toEqual({ studies: [], unavailable: 'No PACS of your own.' });
  });

  it('titles a study by date, modalities and description', () => {
    expect(foundTitle({ study_instance_uid: '1', study_date: '20240131', description: 'Chest', modalities: ['CT', 'SR'] }))
      .toBe('2024-01-31 · CT, SR · Chest');
    expect(foundTitle({ study_instance_uid: '1', study_date: '', description: '', modalities: [] })).toBe('A study without date or description');
  });
});
