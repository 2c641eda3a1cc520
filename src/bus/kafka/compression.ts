/**
 * The compression codecs of the Kafka bus. kafkajs has gzip built in; snappy (kafkajs-snappy over snappyjs) and LZ4
 * (lz4js, LZ4 frames) are pure JavaScript and always registered, so a consumer reads whatever its producers used;
 * zstd uses Node's own zlib where it has it (Node 22.15 and later), and is refused at start elsewhere.
 */
import zlib from 'node:zlib';
// kafkajs is CommonJS: CompressionCodecs is not found by name from ESM, only on the module object.
import kafkajs from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import lz4 from 'lz4js';

type Zstd = {
  zstdCompressSync?: (b: Buffer) => Buffer;
  zstdDecompressSync?: (b: Buffer) => Buffer;
};
const z = zlib as unknown as Zstd;

/** Whether this Node can write and read `compression`. */
export function compressionAvailable(compression: string): boolean {
  return (
    compression !== 'zstd' || (typeof z.zstdCompressSync === 'function' && typeof z.zstdDecompressSync === 'function')
  );
}

let registered = false;
/** Registers every codec this Node has with kafkajs (once). */
export function registerCodecs(): void {
  if (registered) return;
  registered = true;
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  const codecs = CompressionCodecs as unknown as Record<number, () => unknown>;
  codecs[CompressionTypes.Snappy] = SnappyCodec;
  codecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: { buffer: Buffer }) => Buffer.from(lz4.compress(encoder.buffer)),
    decompress: async (buffer: Buffer) => Buffer.from(lz4.decompress(buffer)),
  });
  if (compressionAvailable('zstd'))
    codecs[CompressionTypes.ZSTD] = () => ({
      compress: async (encoder: { buffer: Buffer }) => z.zstdCompressSync!(encoder.buffer),
      decompress: async (buffer: Buffer) => z.zstdDecompressSync!(buffer),
    });
}
