/**
 * RFC 6587 framing for syslog over TCP/TLS, apart from decoding: octet counting (`LEN SP MSG`) or
 * newline-delimited, chosen per connection from its first byte (a digit means octet counting, as rsyslog does).
 * Messages over `maxMessageBytes` are cut at that size and flagged; the connection's later messages are unaffected.
 */

export interface Frame {
  bytes: Buffer;
  truncated: boolean;
}

export interface Framer {
  /** Feeds received bytes; returns the complete messages they finish, in order. */
  push(chunk: Buffer): Frame[];
  /** The connection ended: returns a last unterminated message, if any. */
  end(): Frame[];
  readonly mode: 'octet-counting' | 'newline' | undefined;
  /** Bytes that could not be framed as announced (bad length prefix, stream ended mid-frame). */
  readonly errors: number;
}

const LF = 10;
const CR = 13;
const SP = 32;
const MAX_LEN_DIGITS = 10;

/**
 * @example const f = createFramer({ maxMessageBytes: 65536 }); socket.on('data', (c) => f.push(c).forEach(handle));
 */
export function createFramer(opts: { maxMessageBytes: number }): Framer {
  const max = opts.maxMessageBytes;
  let pending: Buffer = Buffer.alloc(0);
  let mode: Framer['mode'];
  let errors = 0;
  /** Bytes of an over-long octet-counted frame still to throw away. */
  let skipBytes = 0;
  /** An over-long line was cut: throw away up to its LF. */
  let skipLine = false;

  function line(out: Frame[], data: Buffer, start: number, end: number): void {
    if (end > start && data[end - 1] === CR) end--;
    if (end <= start) return;
    if (end - start > max) out.push({ bytes: data.subarray(start, start + max), truncated: true });
    else out.push({ bytes: data.subarray(start, end), truncated: false });
  }

  function push(chunk: Buffer): Frame[] {
    const data = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const len = data.length;
    const out: Frame[] = [];
    let pos = 0;
    while (pos < len) {
      if (skipBytes > 0) {
        const n = Math.min(skipBytes, len - pos);
        skipBytes -= n;
        pos += n;
        continue;
      }
      if (skipLine) {
        const lf = data.indexOf(LF, pos);
        if (lf < 0) {
          pos = len;
          break;
        }
        skipLine = false;
        pos = lf + 1;
        continue;
      }
      if (mode === undefined) {
        const c = data[pos];
        if (c === LF || c === CR || c === SP) {
          pos++;
          continue;
        }
        mode = c >= 48 && c <= 57 ? 'octet-counting' : 'newline';
      }
      if (mode === 'octet-counting') {
        const c0 = data[pos];
        // Some senders add a newline after each counted frame; it is not part of any message.
        if (c0 === LF || c0 === CR) {
          pos++;
          continue;
        }
        let p = pos;
        let n = 0;
        while (p < len && p - pos <= MAX_LEN_DIGITS && data[p] >= 48 && data[p] <= 57) n = n * 10 + data[p++] - 48;
        if (p === len && p - pos <= MAX_LEN_DIGITS) break; // length prefix not complete yet
        if (p === pos || data[p] !== SP || p - pos > MAX_LEN_DIGITS || n === 0) {
          // Not a length prefix: the sender is not counting octets after all; read lines from here on.
          errors++;
          mode = 'newline';
          continue;
        }
        const start = p + 1;
        if (n > max) {
          if (len - start < max) break;
          out.push({ bytes: data.subarray(start, start + max), truncated: true });
          pos = start + max;
          skipBytes = n - max;
          continue;
        }
        if (len - start < n) break;
        out.push({ bytes: data.subarray(start, start + n), truncated: false });
        pos = start + n;
        continue;
      }
      const lf = data.indexOf(LF, pos);
      if (lf < 0) {
        // A trailing CR may be the first half of the CR LF that ends a line of exactly `max` bytes: not over-long yet.
        if (len - pos - (data[len - 1] === CR ? 1 : 0) > max) {
          out.push({ bytes: data.subarray(pos, pos + max), truncated: true });
          skipLine = true;
          pos = len;
        }
        break;
      }
      line(out, data, pos, lf);
      pos = lf + 1;
    }
    // Copy the remainder so that a small tail does not pin a large chunk in memory.
    pending = pos >= len ? Buffer.alloc(0) : Buffer.from(data.subarray(pos));
    return out;
  }

  function end(): Frame[] {
    const out: Frame[] = [];
    if (pending.length && !skipLine) {
      if (mode === 'octet-counting') {
        errors++;
        const sp = pending.indexOf(SP);
        const body = sp >= 0 ? pending.subarray(sp + 1) : pending;
        if (body.length) out.push({ bytes: body.subarray(0, max), truncated: true });
      } else line(out, pending, 0, pending.length);
    }
    pending = Buffer.alloc(0);
    return out;
  }

  return {
    push,
    end,
    get mode() {
      return mode;
    },
    get errors() {
      return errors;
    },
  };
}
