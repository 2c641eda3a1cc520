/** Pure-JavaScript compression packages without types of their own (see compression.ts). */
declare module 'kafkajs-snappy' {
  const codec: () => unknown;
  export default codec;
}
declare module 'lz4js' {
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  const lz4: { compress: typeof compress; decompress: typeof decompress };
  export default lz4;
}
