// Local stand-in for jsr:@std/streams's toArrayBuffer (used by the runtime's upload events). Test host only.
/** @param {ReadableStream<Uint8Array>} readable @returns {Promise<ArrayBuffer>} */
export async function toArrayBuffer(readable) {
    const chunks = [];
    let length = 0;
    for await (const chunk of readable) {
        chunks.push(chunk);
        length += chunk.byteLength;
    }
    const out = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
    }
    return out.buffer;
}
