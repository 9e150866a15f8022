import { sha256Base64 } from '../../main/frontend/chunk-sender';
import { BLOCK_SAMPLES, type SampleRun } from '../../main/frontend/sample-delta';

/** What the server does with a Sample-Delta chunk (SampleDeltaInputStream), written here to check the browser's side. */
export function unfilterSamples(filtered: ArrayBuffer, run: SampleRun): ArrayBuffer {
  const bytes = new Uint8Array(filtered);
  const out = new Uint8Array(bytes);
  let previous = 0;
  for (let first = 0; first < run.length / 2; first += BLOCK_SAMPLES) {
    const count = Math.min(BLOCK_SAMPLES, run.length / 2 - first);
    const at = run.offset + first * 2;
    for (let i = 0; i < count; i++) {
      previous = (previous + (bytes[at + i] | (bytes[at + count + i] << 8))) & 0xffff;
      out[at + 2 * i] = previous & 0xff;
      out[at + 2 * i + 1] = previous >> 8;
    }
  }
  return out.buffer;
}

/** A small in-memory stand-in for the RelayPACS upload API, checking what a real server checks. */
export class FakeServer {
  uploads = new Map<string, { size: number; chunkSize: number; total: number; chunks: Map<number, number>; state: string }>();
  puts: number[] = [];
  /** Bodies of init requests, as sent. */
  inits: Record<string, unknown>[] = [];
  /** The bearer token each init request carried. */
  initTokens: string[] = [];
  failNext: 'network' | 401 | 429 | 503 | null = null;
  initStatus = 201;
  finalState = 'DONE';
  forget = false;
  /** What status reports for the instances of a finished upload. */
  instances: { state: string; message: string }[] = [];
  /** Every request, as "METHOD path" with upload ids and query left out. */
  requests: string[] = [];
  /** Chunk bytes as they crossed the wire, and how many chunks came compressed. */
  wireBytes = 0;
  compressedPuts = 0;
  /** Chunks whose pixel samples came filtered (Sample-Delta). */
  filteredPuts = 0;
  /** False: a server that ignores Content-Encoding (it stores what arrives, so a compressed chunk is the wrong size). */
  decodes = true;
  /** When set, the PUT after this many lets the network drop. */
  dropAfterPuts: number | null = null;
  private putAttempts = 0;

  /** What a look-up of the patient's studies finds, and the look-ups asked. */
  studiesOnThePacs: { study_instance_uid: string; study_date: string; description: string; modalities: string[] }[] = [];
  lookups: Record<string, unknown>[] = [];
  /** False: a server from before files could be declared together (404 for init-batch). */
  declaresTogether = true;
  /** Declarations the server refuses, by file name. */
  refusals = new Map<string, { status: number; detail: string }>();

  private refuse(body: Record<string, unknown>) {
    return this.refusals.get(String(body.file_name));
  }

  private declare(body: Record<string, unknown>, token: string) {
    this.inits.push(body);
    this.initTokens.push(token);
    const id = `u-${this.uploads.size + 1}`;
    const chunkSize = body.chunk_size as number;
    const total = Math.ceil((body.size as number) / chunkSize);
    this.uploads.set(id, { size: body.size as number, chunkSize, total, chunks: new Map(), state: 'RECEIVING' });
    return { upload_id: id, chunk_size: chunkSize, total_chunks: total };
  }

  private statusOf(upload: { state: string }) {
    return { state: upload.state, missing_chunks: [], error: 'It went wrong', instances: this.instances };
  }

  fetch = async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (init?.method === 'PUT' && this.dropAfterPuts !== null && this.putAttempts++ >= this.dropAfterPuts) {
      this.dropAfterPuts = null;
      throw new TypeError('Failed to fetch');
    }
    if (this.failNext === 'network') {
      this.failNext = null;
      throw new TypeError('Failed to fetch');
    }
    if (this.failNext) {
      const status = this.failNext;
      this.failNext = null;
      const response = json(status, { detail: status === 401 ? 'expired' : status === 429 ? 'Too many pieces were sent in a short time. Wait 7 seconds and try again.' : 'busy' });
      if (status === 429) {
        response.headers.set('Retry-After', '7');
      }
      return response;
    }
    const u = String(url);
    const method = init?.method ?? 'GET';
    this.requests.push(`${method} ${u.replace(/\/api\/upload\/u-\d+/, '/api/upload/{id}').replace(/\?.*/, '')}`);
    if (u.endsWith('/api/upload/status') && method === 'POST') {
      const ids = JSON.parse(String(init!.body)).upload_ids as string[];
      return json(200, { uploads: ids.filter((id) => this.uploads.has(id) && !this.forget).map((id) => ({
        upload_id: id, state: this.uploads.get(id)!.state, missing_chunks: [], error: 'It went wrong', instances: this.instances })) });
    }
    const token = String((init?.headers as Record<string, string> | undefined)?.Authorization ?? '').replace('Bearer ', '');
    if (u.endsWith('/api/upload/studies/search')) {
      this.lookups.push(JSON.parse(String(init!.body)));
      return json(200, { studies: this.studiesOnThePacs, unavailable: null });
    }
    if (u.endsWith('/api/upload/init')) {
      if (this.initStatus !== 201) return json(this.initStatus, { detail: 'The file is too large for this server.' });
      return json(201, this.declare(JSON.parse(String(init!.body)), token));
    }
    if (u.endsWith('/api/upload/init-batch')) {
      if (!this.declaresTogether) return json(404, { detail: 'No such page' });
      const files = JSON.parse(String(init!.body)).files as Record<string, unknown>[];
      return json(200, { uploads: files.map((f) => (this.refuse(f) ? { problem: this.refuse(f) } : { started: this.declare(f, token) })) });
    }
    const m = u.match(/\/api\/upload\/([^/]+)\/(chunk|status|complete)(\?index=(\d+))?/)!;
    const upload = this.forget ? undefined : this.uploads.get(m[1]);
    if (!upload) return json(404, { detail: 'This upload does not exist' });
    if (m[2] === 'chunk' && method === 'PUT') {
      const index = Number(m[4]);
      const headers = init!.headers as Record<string, string>;
      const compressed = headers['Content-Encoding'] === 'deflate' && this.decodes;
      const wire = init!.body as ArrayBuffer;
      this.wireBytes += wire.byteLength;
      const inflated = compressed ? await inflate(wire) : wire;
      const sampleDelta = headers['Sample-Delta']?.match(/^offset=(\d+), length=(\d+)$/);
      if (sampleDelta) this.filteredPuts++;
      const bytes = sampleDelta ? unfilterSamples(inflated, { offset: Number(sampleDelta[1]), length: Number(sampleDelta[2]) }) : inflated;
      const digest = compressed ? headers['Repr-Digest'] : headers['Content-Digest'];
      if (digest !== `sha-256=:${await sha256Base64(bytes)}:`) return json(422, { detail: 'damaged' });
      if (compressed) this.compressedPuts++;
      this.puts.push(index);
      const had = upload.chunks.has(index);
      upload.chunks.set(index, bytes.byteLength);
      if (u.includes('complete=true') && upload.chunks.size === upload.total) {
        upload.state = this.finalState;
        return json(202, this.statusOf(upload));
      }
      return new Response(null, { status: had ? 204 : 201 });
    }
    const missing = [...Array(upload.total).keys()].filter((i) => !upload.chunks.has(i));
    if (m[2] === 'complete') {
      if (missing.length) return json(409, { detail: 'missing', missing_chunks: missing });
      upload.state = this.finalState;
      return json(202, this.statusOf(upload));
    }
    return json(200, { state: upload.state, missing_chunks: upload.state === 'RECEIVING' ? missing : [], error: 'It went wrong', instances: this.instances });
  };
}

async function inflate(bytes: ArrayBuffer): Promise<ArrayBuffer> {
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer();
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}


/** A token as the server issues them, as far as the browser reads one (the owner of a queue is derived from uid). */
export function tokenFor(uid: number, tag = 'a'): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ iss: 'relaypacs', uid, sub: `user-${uid}`, tag })}.signature`;
}
