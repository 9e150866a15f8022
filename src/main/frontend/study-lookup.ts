import { language, t } from './i18n';
/** Looking up the patient's studies on the clinic's PACS (through RelayPACS), so photos and documents can join one. */

export interface FoundStudy {
  study_instance_uid: string;
  study_date: string;
  description: string;
  modalities: string[];
}

export interface LookupAnswer {
  studies: FoundStudy[];
  /** Why the PACS could not be asked, in words. */
  unavailable?: string;
}

/** Asks by exact patient ID (and accession or date); the server answers only what picking a study needs. */
export async function findStudies(token: string, query: { patientId: string; accession?: string; studyDate?: string },
  fetchFn: typeof fetch = (input, init) => fetch(input, init)): Promise<LookupAnswer> {
  let response: Response;
  try {
    response = await fetchFn('/api/upload/studies/search', {
      method: 'POST', credentials: 'omit',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': language(), Authorization: `Bearer ${token}` },
      body: JSON.stringify({ patient_id: query.patientId, accession_number: query.accession || undefined, study_date: query.studyDate || undefined }),
    });
  } catch {
    throw new Error(t('lookup.offline'));
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.detail ?? t('sender.answered', response.status));
  }
  return { studies: body.studies ?? [], unavailable: body.unavailable ?? undefined };
}

/** "2024-01-31 · CT, SR · Chest" */
export function foundTitle(s: FoundStudy): string {
  const date = /^\d{8}$/.test(s.study_date) ? `${s.study_date.slice(0, 4)}-${s.study_date.slice(4, 6)}-${s.study_date.slice(6, 8)}` : s.study_date;
  return [date, s.modalities.join(', '), s.description].filter(Boolean).join(' · ') || 'A study without date or description';
}
