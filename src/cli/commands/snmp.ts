import { Option, type Command } from 'commander';
import { userInfo } from 'node:os';
import { openSnmpSession } from '../../collectors/snmp/session.ts';
import { loadConfig } from '../../config/load.ts';
import { openStore } from '../../store/open.ts';
import { varBindFromSetArgs } from '../../collectors/snmp/varbind.ts';
import { VigilError } from '../../model/errors.ts';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS, type SnmpCredentials } from '../../model/device.ts';
import type { VarBind } from '../../model/records.ts';
import type { CommandModule } from './types.ts';

interface SnmpCliOptions {
  version: '1' | '2c' | '3';
  community: string;
  user?: string;
  level?: SnmpCredentials['securityLevel'];
  authProtocol?: SnmpCredentials['authProtocol'];
  authKey?: string;
  privProtocol?: SnmpCredentials['privProtocol'];
  privKey?: string;
  context?: string;
  port: string;
  timeout: string;
  /** Config file (for the data directory that keeps the audit log of sets). */
  config?: string;
  retries: string;
  maxRepetitions: string;
}

/** Credentials from the command line (pure). */
export function credentialsFromOptions(o: SnmpCliOptions): SnmpCredentials {
  const base = { port: Number(o.port), timeoutMs: Number(o.timeout), retries: Number(o.retries) };
  if (o.version !== '3') return { version: o.version === '1' ? 'v1' : 'v2c', community: o.community, ...base };
  if (!o.user) throw new VigilError('VIGIL_BAD_REQUEST', 'SNMPv3 needs -u USER');
  const level = o.level ?? (o.privKey ? 'authPriv' : o.authKey ? 'authNoPriv' : 'noAuthNoPriv');
  return {
    version: 'v3',
    user: o.user,
    securityLevel: level,
    authProtocol: o.authProtocol ?? 'sha',
    authKey: o.authKey,
    privProtocol: o.privProtocol ?? 'aes',
    privKey: o.privKey,
    context: o.context,
    ...base,
  };
}

/** One line per varbind, like the Net-SNMP tools: `OID = Type: value` (pure). */
export function formatVarBinds(varbinds: readonly VarBind[]): string {
  return (
    varbinds
      .map(
        (v) =>
          `${v.oid} = ${v.type}${v.value === null ? '' : `: ${typeof v.value === 'string' && v.type === 'OctetString' && !v.value.startsWith('0x') ? JSON.stringify(v.value) : v.value}`}`,
      )
      .join('\n') + (varbinds.length ? '\n' : '')
  );
}

function withCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-v, --version <v>', 'SNMP version').choices(['1', '2c', '3']).default('2c'))
    .option('-c, --community <community>', 'community (v1/v2c)', 'public')
    .option('-u, --user <user>', 'v3 user')
    .addOption(
      new Option('-l, --level <level>', 'v3 security level').choices(['noAuthNoPriv', 'authNoPriv', 'authPriv']),
    )
    .addOption(new Option('-a, --auth-protocol <proto>', 'v3 auth protocol').choices([...AUTH_PROTOCOLS]))
    .option('-A, --auth-key <key>', 'v3 auth pass phrase')
    .addOption(
      new Option('-x, --priv-protocol <proto>', 'v3 privacy protocol (aes192c/aes256c: Reeder key extension)').choices([
        ...PRIV_PROTOCOLS,
      ]),
    )
    .option('-X, --priv-key <key>', 'v3 privacy pass phrase')
    .option('-n, --context <name>', 'v3 context')
    .option('-p, --port <port>', 'UDP port', '161')
    .option('-t, --timeout <ms>', 'timeout per try, ms', '2000')
    .option('-r, --retries <n>', 'retries', '1')
    .option('--max-repetitions <n>', 'GetBulk max-repetitions (walk)', '25');
}

/** Every set goes to the audit log of the data directory (who, when, what, result), as the API's sets do. */
async function auditedSet(
  target: string,
  varbinds: VarBind[],
  configFile: string | undefined,
  set: () => Promise<void>,
): Promise<void> {
  const store = await openStore(loadConfig(configFile ?? process.env.VIGIL_CONFIG));
  const entry = {
    ts: Date.now(),
    actor: `cli:${userInfo().username}`,
    action: 'snmp.set',
    target,
    details: { varbinds: varbinds.map(({ oid, type, value }) => ({ oid, type, value })) },
  };
  try {
    await set();
    await store.audit({ ...entry, result: 'ok' });
  } catch (error) {
    await store.audit({ ...entry, result: `error: ${(error as Error).message}` });
    throw error;
  } finally {
    await store.close();
  }
}

/** `vigil snmp get|walk|set TARGET OID…` with v1/v2c/v3 options like the Net-SNMP tools. OIDs are numeric. */
export const snmpCommand: CommandModule = (program) => {
  const snmp = program.command('snmp').description('SNMP get, walk and set (numeric OIDs)');
  const run = async (
    target: string,
    o: SnmpCliOptions,
    fn: (s: ReturnType<typeof openSnmpSession>) => Promise<VarBind[]>,
  ) => {
    const session = openSnmpSession(target, credentialsFromOptions(o));
    try {
      process.stdout.write(formatVarBinds(await fn(session)));
    } finally {
      session.close();
    }
  };
  withCommonOptions(snmp.command('get').description('get OIDs').argument('<target>').argument('<oids...>')).action(
    (target: string, oids: string[], o: SnmpCliOptions) => run(target, o, (s) => s.get(oids)),
  );
  withCommonOptions(
    snmp.command('walk').description('walk subtrees (GetBulk on v2c/v3)').argument('<target>').argument('[oids...]'),
  ).action((target: string, oids: string[], o: SnmpCliOptions) =>
    run(target, o, async (s) => {
      const out: VarBind[] = [];
      for (const oid of oids.length ? oids : ['1.3.6.1.2.1'])
        out.push(...(await s.walk(oid, { maxRepetitions: Number(o.maxRepetitions) })));
      return out;
    }),
  );
  withCommonOptions(
    snmp
      .command('set')
      .description('set values: OID TYPE VALUE triples, TYPE one of i u s x d o a t c C n')
      .argument('<target>')
      .argument('<triples...>'),
  )
    .action((target: string, triples: string[], o: SnmpCliOptions) => {
      if (triples.length % 3 !== 0) throw new VigilError('VIGIL_BAD_REQUEST', 'set takes OID TYPE VALUE triples');
      const varbinds: VarBind[] = [];
      for (let i = 0; i < triples.length; i += 3)
        varbinds.push(varBindFromSetArgs(triples[i], triples[i + 1], triples[i + 2]));
      return auditedSet(target, varbinds, o.config, () => run(target, o, (s) => s.set(varbinds)));
    })
    .option('--config <file>', 'config file whose data directory keeps the audit log');
};
