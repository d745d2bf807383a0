/**
 * PCM16 little-endian <-> base64, the Realtime wire format for audio. Both directions copy:
 * Node's pooled Buffers can start at an odd byte offset, where an Int16Array view is illegal.
 */
export function pcm16ToBase64(pcm: Int16Array): string {
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
}

export function base64ToPcm16(base64: string): Int16Array {
  const bytes = Buffer.from(base64, 'base64');
  const samples = new Int16Array(bytes.length >> 1);
  new Uint8Array(samples.buffer).set(bytes.subarray(0, samples.byteLength));
  return samples;
}
