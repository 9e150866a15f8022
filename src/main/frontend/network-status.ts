/**
 * The network as the browser reports it: online or offline, and, where the browser says so (Network Information
 * API, mostly Android), whether the connection is Wi-Fi, wired or cellular. Listeners hear of every change.
 */
export type NetworkListener = (online: boolean) => void;

interface ConnectionInfo extends EventTarget {
  type?: string;
}

type NetworkTarget = Partial<Pick<Window, 'addEventListener'>> & { navigator: { onLine: boolean; connection?: ConnectionInfo } };

export class NetworkStatus {
  private listeners = new Set<NetworkListener>();

  constructor(private readonly target: NetworkTarget = globalThis as unknown as NetworkTarget) {
    // A service worker has neither event; its navigator still knows onLine.
    target.addEventListener?.('online', () => this.emit(true));
    target.addEventListener?.('offline', () => this.emit(false));
    target.navigator.connection?.addEventListener('change', () => this.emit(this.online));
  }

  get online(): boolean {
    return this.target.navigator.onLine;
  }

  /** 'wifi', 'ethernet', 'cellular', ... or undefined where the browser does not tell. */
  get connectionType(): string | undefined {
    return this.target.navigator.connection?.type;
  }

  /** Whether a "wait for Wi-Fi" choice can be honoured here. */
  get knowsConnectionType(): boolean {
    return this.connectionType !== undefined;
  }

  /** True when the user asked to wait for Wi-Fi and the browser says the connection is metered (cellular etc.). */
  mustWaitForWifi(wifiOnly: boolean): boolean {
    const type = this.connectionType;
    return wifiOnly && type !== undefined && !['wifi', 'ethernet', 'unknown'].includes(type);
  }

  onChange(listener: NetworkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(online: boolean) {
    this.listeners.forEach((l) => l(online));
  }
}

/**
 * Keeps the upload rate under a cap (a token bucket of one second's worth): before sending n bytes, wait until the
 * cap allows them. A cap of 0 means no cap.
 */
export class Pacer {
  private available = 0;
  private last = 0;

  constructor(private readonly capBytesPerSecond: () => number, private readonly now = () => performance.now(),
              private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))) {}

  async take(bytes: number): Promise<void> {
    const cap = this.capBytesPerSecond();
    if (cap <= 0) {
      return;
    }
    const t = this.now();
    this.available = this.last === 0 ? cap : Math.min(cap, this.available + ((t - this.last) * cap) / 1000);
    this.last = t;
    this.available -= bytes;
    if (this.available < 0) {
      await this.sleep((-this.available * 1000) / cap);
    }
  }
}
