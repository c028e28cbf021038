// Local stand-in for jsr:@std/io's writeAll (jsr cannot be reached from here): the Apps-Engine
// 1.62 Deno runtime only uses it to write whole buffers to stdout. Test host only.
/** @param {{ write(p: Uint8Array): Promise<number> }} writer @param {Uint8Array} data */
export async function writeAll(writer, data) {
    let written = 0;
    while (written < data.byteLength) {
        written += await writer.write(data.subarray(written));
    }
}
