import { AuthExpiredError, ChunkSender, HoldError, RetryableError } from './chunk-sender';
import type { QueuedFile, UploadQueue } from './upload-queue';

/**
 * Takes every unfinished file in the queue through the sender, a few files at once. Used by the page and by the
 * service worker alike; a Web Lock per file makes sure two tabs (or a tab and the service worker) never send the same
 * file at the same time.
 */
export type RunOutcome =
  /** Nothing left that can be sent now. */
  | { kind: 'idle' }
  /** Something failed in a way worth retrying later (network, server busy). */
  | { kind: 'retry'; message: string; retryAfterMs?: number }
  /** Sending waits for a change the browser announces (Wi-Fi back). */
  | { kind: 'hold'; message: string }
  | { kind: 'auth'; message: string }
  /** Everything is sent; the server's final word on some files is still to come: ask again in a while. */
  | { kind: 'waiting' };

export interface RunnerOptions {
  filesAtOnce?: number;
  onChange?: (file: QueuedFile) => void;
  locks?: LockManager;
}

export class QueueRunner {
  private readonly filesAtOnce: number;
  private readonly locks?: LockManager;

  constructor(private readonly queue: UploadQueue, private readonly sender: ChunkSender, private readonly options: RunnerOptions = {}) {
    this.filesAtOnce = options.filesAtOnce ?? 2;
    this.locks = 'locks' in options ? options.locks : (globalThis.navigator as Navigator | undefined)?.locks;
  }

  /** One pass over the queue: each unfinished file is tried once. Resolves with what should happen next. */
  async runOnce(): Promise<RunOutcome> {
    const pending = (await this.queue.pending()).filter((f) => f.state !== 'adding');
    const outcomes: RunOutcome[] = [];
    // Files sent whole only wait for the server's word: asked about together, in one request.
    const waiting = pending.filter((f) => f.state === 'processing' && f.uploadId);
    if (waiting.length > 0) {
      outcomes.push(await this.checkWaiting(waiting));
    }
    const todo = pending.filter((f) => !waiting.includes(f));
    // Small files are declared together, in one request; the lanes then only send their chunks.
    const declared = await this.declare(todo);
    if (declared) {
      return declared;
    }
    let next = 0;
    const lane = async () => {
      while (next < todo.length) {
        const file = todo[next++];
        outcomes.push(await this.underLock(file.id, () => this.sendOne(file.id)));
        if (outcomes.some((o) => o.kind === 'auth' || o.kind === 'hold')) {
          return; // no point trying the other files
        }
      }
    };
    await Promise.all(Array.from({ length: this.filesAtOnce }, lane));
    // Files another tab or the service worker holds are waited for too: whoever holds them may stop once they are
    // sent, before the PACS has answered, and then nobody would ask.
    const answerDue = (await this.queue.pending()).some((f) => f.state === 'processing')
      || outcomes.some((o) => o.kind === 'waiting');
    return outcomes.find((o) => o.kind === 'auth') ?? outcomes.find((o) => o.kind === 'hold')
      ?? outcomes.find((o) => o.kind === 'retry') ?? (answerDue ? { kind: 'waiting' } : { kind: 'idle' });
  }

  private async declare(files: QueuedFile[]): Promise<RunOutcome | undefined> {
    try {
      (await this.sender.declareAll(files)).forEach((f) => this.options.onChange?.(f));
      return undefined;
    } catch (e) {
      return this.outcomeOf(e);
    }
  }

  private outcomeOf(e: unknown): RunOutcome {
    const message = (e as Error).message;
    return e instanceof AuthExpiredError ? { kind: 'auth', message }
      : e instanceof HoldError ? { kind: 'hold', message }
      : e instanceof RetryableError ? { kind: 'retry', message, retryAfterMs: e.retryAfterMs } : { kind: 'retry', message };
  }

  private async checkWaiting(files: QueuedFile[]): Promise<RunOutcome> {
    try {
      (await this.sender.checkAll(files)).forEach((f) => this.options.onChange?.(f));
      return { kind: 'idle' };
    } catch (e) {
      return this.outcomeOf(e);
    }
  }

  private async underLock(id: string, run: () => Promise<RunOutcome>): Promise<RunOutcome> {
    if (!this.locks) {
      return run();
    }
    // Someone else holds the file: they send it, we carry on with the rest and come back for its outcome.
    return this.locks.request(`relaypacs-file-${id}`, { ifAvailable: true }, (lock) => (lock ? run() : { kind: 'waiting' as const }));
  }

  private async sendOne(id: string): Promise<RunOutcome> {
    try {
      const result = await this.sender.send(id);
      if (result) {
        this.options.onChange?.(result);
      }
      return { kind: 'idle' };
    } catch (e) {
      const message = (e as Error).message;
      const outcome: RunOutcome = e instanceof AuthExpiredError ? { kind: 'auth', message }
        : e instanceof HoldError ? { kind: 'hold', message }
        : e instanceof RetryableError ? { kind: 'retry', message, retryAfterMs: e.retryAfterMs }
        : { kind: 'idle' };
      const change = outcome.kind === 'idle' ? { state: 'failed' as const, message } : { state: 'paused' as const, message };
      const file = await this.queue.update(id, change);
      if (file) {
        this.options.onChange?.(file);
      }
      return outcome;
    }
  }
}
