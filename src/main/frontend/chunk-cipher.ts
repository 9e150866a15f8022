/**
 * Encrypts what waits in the queue, so that images left on a shared clinic device cannot be read from the browser's
 * storage. The AES-GCM key is generated once per device, is not extractable (script can use it, never read it) and
 * is kept in IndexedDB next to the queue; wiping the queue wipes the key.
 */
export interface SealedPiece {
  iv: Uint8Array;
  data: Blob;
}

export class ChunkCipher {
  constructor(private readonly key: CryptoKey) {}

  static generateKey(): Promise<CryptoKey> {
    return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  }

  async seal(plain: ArrayBuffer): Promise<SealedPiece> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, this.key, plain);
    return { iv, data: new Blob([sealed]) };
  }

  /** The plain bytes; fails when the piece was altered or sealed under another key. */
  async open(piece: SealedPiece): Promise<ArrayBuffer> {
    return crypto.subtle.decrypt({ name: 'AES-GCM', iv: piece.iv as BufferSource }, this.key, await piece.data.arrayBuffer());
  }
}
