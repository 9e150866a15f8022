/// <reference lib="webworker" />
// Deflates chunks for the upload page off its main thread: the browser's compressor runs on the thread that feeds it.

self.onmessage = async (e: MessageEvent<{ id: number; bytes: ArrayBuffer }>) => {
  try {
    const out = await new Response(new Blob([e.data.bytes]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer();
    (self as unknown as DedicatedWorkerGlobalScope).postMessage({ id: e.data.id, bytes: out }, [out]);
  } catch (error) {
    (self as unknown as DedicatedWorkerGlobalScope).postMessage({ id: e.data.id, error: String(error) });
  }
};
