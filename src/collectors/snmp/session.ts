/** SnmpSession over npm net-snmp: v1/v2c/v3, IPv4/IPv6/DNS, errors mapped to Vigil codes. */
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { SnmpCredentials } from '../../model/device.ts';
import type { VarBind } from '../../model/records.ts';
import { VigilError } from '../../model/errors.ts';
import type { LimitedWalk, SnmpSession, WalkLimits, WalkOptions } from './session-types.ts';
import { snmp, AES192_BLUMENTHAL, AES192_REEDER, type RawSession, type RawVarBind } from './net-snmp.ts';
import { mapSnmpError } from './errors.ts';
import { toRawVarBind, toVarBind, isExceptionType } from './varbind.ts';
import { compareOids, isUnder } from './oid.ts';

export type { LimitedWalk, SnmpSession, WalkLimits, WalkOptions } from './session-types.ts';

const PRIV_IDS: Record<string, number> = {
  des: Number(snmp.PrivProtocols.des),
  aes: Number(snmp.PrivProtocols.aes),
  aes192: AES192_BLUMENTHAL,
  aes256: Number(snmp.PrivProtocols.aes256b),
  aes192c: AES192_REEDER,
  aes256c: Number(snmp.PrivProtocols.aes256r),
};

function securityLevel(c: SnmpCredentials): 'noAuthNoPriv' | 'authNoPriv' | 'authPriv' {
  return c.securityLevel ?? (c.privKey ? 'authPriv' : c.authKey ? 'authNoPriv' : 'noAuthNoPriv');
}

function createRaw(ip: string, c: SnmpCredentials): RawSession {
  const options: Record<string, unknown> = {
    port: c.port,
    retries: c.retries,
    timeout: c.timeoutMs,
    transport: isIP(ip) === 6 ? 'udp6' : 'udp4',
    // Vigil checks OID order itself in walk(); net-snmp's check would hide which OID was wrong.
    backwardsGetNexts: true,
  };
  if (c.version === 'v3') {
    const level = securityLevel(c);
    const user: Record<string, unknown> = { name: c.user ?? '', level: snmp.SecurityLevel[level] };
    if (level !== 'noAuthNoPriv') {
      user.authProtocol = snmp.AuthProtocols[c.authProtocol ?? 'sha'];
      user.authKey = c.authKey ?? '';
    }
    if (level === 'authPriv') {
      user.privProtocol = PRIV_IDS[c.privProtocol ?? 'aes'];
      user.privKey = c.privKey ?? '';
    }
    return snmp.createV3Session(ip, user, { ...options, version: snmp.Version3, context: c.context ?? '' });
  }
  return snmp.createSession(ip, c.community ?? 'public', {
    ...options,
    version: c.version === 'v1' ? snmp.Version1 : snmp.Version2c,
  });
}

async function resolveAddress(address: string): Promise<string> {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return bare;
  try {
    return (await lookup(bare)).address;
  } catch (e) {
    throw new VigilError(
      'VIGIL_SNMP_UNREACHABLE',
      `${address}: name not resolved (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
}

/**
 * Opens a session to `address` (IPv4, IPv6 or DNS name, resolved once on first use).
 * @example const s = openSnmpSession('127.0.0.1', { version: 'v2c', community: 'public', port: 161, timeoutMs: 2000, retries: 1 });
 * const rows = await s.walk('1.3.6.1.2.1.2.2'); s.close();
 */
export function openSnmpSession(address: string, creds: SnmpCredentials, opts: { label?: string } = {}): SnmpSession {
  const label = opts.label ?? address;
  let raw: RawSession | undefined;
  let closed = false;
  let socketError: Error | undefined;
  const ready = resolveAddress(address).then((ip) => {
    raw = createRaw(ip, creds);
    // A socket error (e.g. EHOSTUNREACH on send) must not crash the process; the request then times out.
    raw.on('error', (err) => {
      socketError = err;
    });
    if (closed) raw.close();
    return raw;
  });
  ready.catch(() => {});

  async function call<T>(what: string, fn: (s: RawSession, cb: (e: Error | null, r: T) => void) => void): Promise<T> {
    const s = await ready;
    if (closed) throw new VigilError('VIGIL_SNMP_ERROR', `${label}: ${what}: session closed`);
    try {
      return await new Promise<T>((resolve, reject) => {
        try {
          fn(s, (e, r) => (e ? reject(e) : resolve(r)));
        } catch (e) {
          reject(e);
        }
      });
    } catch (e) {
      // A socket error seen before the timeout (EHOSTUNREACH…) says more than the timeout does.
      throw mapSnmpError(
        socketError && (e as Error)?.name === 'RequestTimedOutError' ? socketError : e,
        `${label}: ${what}`,
        creds,
      );
    }
  }

  const convert = (list: RawVarBind[]) => list.map(toVarBind);

  /** The one walk loop: to the end of the subtree, or to the first of `maxResults` and `maxTimeMs`. */
  async function walkLimited(oid: string, wopts: WalkOptions & WalkLimits = {}): Promise<LimitedWalk> {
    const root = oid.replace(/^\./, '');
    const out: VarBind[] = [];
    const bulk = creds.version !== 'v1';
    const maxRep = wopts.maxRepetitions ?? 25;
    const maxResults = wopts.maxResults ?? Infinity;
    let requests = 0;
    let cursor = root;
    let timer: NodeJS.Timeout | undefined;
    // The deadline also cuts a request in flight short: with retries, one request to a silent agent can outlast it.
    const deadline =
      wopts.maxTimeMs === undefined
        ? undefined
        : new Promise<'maxTime'>((resolve) => (timer = setTimeout(() => resolve('maxTime'), wopts.maxTimeMs)));
    try {
      for (;;) {
        if (wopts.signal?.aborted)
          throw new VigilError('VIGIL_SNMP_TIMEOUT', `${label}: walk ${root}: aborted (cycle timeout)`);
        // One row more than the cap leaves: seeing it tells a cut subtree from one that has exactly maxResults rows.
        const want = Math.min(maxRep, maxResults - out.length + 1);
        const request = bulk
          ? call<RawVarBind[] | RawVarBind[][]>(`walk ${root}`, (s, cb) => s.getBulk([cursor], 0, want, cb)).then(
              (res) => (res[0] as RawVarBind[] | undefined) ?? [],
            )
          : call<RawVarBind[]>(`walk ${root}`, (s, cb) => s.getNext([cursor], cb));
        requests++;
        const rows = deadline ? await Promise.race([request, deadline]) : await request;
        if (rows === 'maxTime') return { varbinds: out, truncated: 'maxTime', requests };
        if (!rows.length) return { varbinds: out, requests };
        for (const r of rows) {
          const vb = toVarBind(r);
          if (isExceptionType(vb.type) || !isUnder(vb.oid, root)) return { varbinds: out, requests };
          // An agent that does not move forward would make us loop forever.
          if (compareOids(vb.oid, cursor) <= 0)
            throw new VigilError(
              'VIGIL_SNMP_ERROR',
              `${label}: walk ${root}: agent returned ${vb.oid} after ${cursor} (OID not increasing)`,
            );
          if (out.length >= maxResults) return { varbinds: out, truncated: 'maxResults', requests };
          out.push(vb);
          cursor = vb.oid;
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  const walk = async (oid: string, wopts: WalkOptions = {}): Promise<VarBind[]> =>
    (await walkLimited(oid, wopts)).varbinds;

  return {
    get: async (oids) =>
      convert(
        await call<RawVarBind[]>(`get ${oids.join(' ')}`, (s, cb) =>
          s.get(
            oids.map((o) => o.replace(/^\./, '')),
            cb,
          ),
        ),
      ),
    getNext: async (oids) =>
      convert(
        await call<RawVarBind[]>(`getNext ${oids.join(' ')}`, (s, cb) =>
          s.getNext(
            oids.map((o) => o.replace(/^\./, '')),
            cb,
          ),
        ),
      ),
    walk,
    walkLimited,
    set: async (varbinds) => {
      const raws = varbinds.map(toRawVarBind);
      return convert(
        await call<RawVarBind[]>(`set ${varbinds.map((v) => v.oid).join(' ')}`, (s, cb) => s.set(raws, cb)),
      );
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        raw?.close();
      } catch {
        // already closed
      }
    },
  };
}
