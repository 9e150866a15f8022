/// <reference lib="webworker" />
// Compresses chunks for the upload page off its main thread: the browser's compressor runs on the thread that feeds it.
import { filterSamples, type SampleRun } from './sample-delta';

self.onmessage = async (e: MessageEvent<{ id: number; bytes: ArrayBuffer; run?: SampleRun }>) => {
  try {
    const plain = e.data.run ? filterSamples(e.data.bytes, e.data.run) : e.data.bytes;
    const out = await new Response(new Blob([plain]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer();
    (self as unknown as DedicatedWorkerGlobalScope).postMessage({ id: e.data.id, bytes: out }, [out]);
  } catch (error) {
    (self as unknown as DedicatedWorkerGlobalScope).postMessage({ id: e.data.id, error: String(error) });
  }
};
