/** Online/offline as the browser reports it, with listeners. The sender pauses while offline. */
export type NetworkListener = (online: boolean) => void;

export class NetworkStatus {
  private listeners = new Set<NetworkListener>();

  constructor(private readonly target: Window = window) {
    target.addEventListener('online', () => this.emit(true));
    target.addEventListener('offline', () => this.emit(false));
  }

  get online(): boolean {
    return this.target.navigator.onLine;
  }

  onChange(listener: NetworkListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(online: boolean) {
    this.listeners.forEach((l) => l(online));
  }
}
