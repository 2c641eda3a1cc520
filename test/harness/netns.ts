/**
 * A network namespace joined to the root namespace by a veth pair on a private /30, for tests that
 * need a host that answers and then stops answering. Needs CAP_NET_ADMIN: `createVethNetns` returns
 * `{ skip }` with the reason when `ip netns` is not permitted.
 * @example
 * const ns = await createVethNetns();
 * if ('skip' in ns) return t.skip(ns.skip);
 * after(() => ns.destroy());
 */
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);

export interface VethNetns {
  name: string;
  /** The root-namespace end's address. */
  hostAddress: string;
  /** The address inside the namespace: reachable until `down()`. */
  peerAddress: string;
  /** Takes the far end down: the peer stops answering. */
  down(): Promise<void>;
  up(): Promise<void>;
  destroy(): Promise<void>;
}

export async function createVethNetns(): Promise<VethNetns | { skip: string }> {
  const id = randomInt(0, 0xffffff).toString(16).padStart(6, '0');
  const name = `vigil-${id}`;
  const hostIf = `vgh${id}`;
  const peerIf = `vgp${id}`;
  // 10.213.X.Y/30 chosen at random so concurrent tests do not collide.
  const third = randomInt(0, 256);
  const base = randomInt(0, 64) * 4;
  const hostAddress = `10.213.${third}.${base + 1}`;
  const peerAddress = `10.213.${third}.${base + 2}`;
  try {
    await ip('netns', 'add', name);
  } catch (e) {
    return { skip: `ip netns not permitted here (needs root/CAP_NET_ADMIN): ${(e as Error).message.split('\n')[0]}` };
  }
  const destroy = async () => {
    await ip('link', 'del', hostIf).catch(() => {});
    await ip('netns', 'del', name).catch(() => {});
  };
  try {
    await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf);
    await ip('link', 'set', peerIf, 'netns', name);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    await ip('link', 'set', hostIf, 'up');
    await ip('-n', name, 'addr', 'add', `${peerAddress}/30`, 'dev', peerIf);
    await ip('-n', name, 'link', 'set', peerIf, 'up');
    await ip('-n', name, 'link', 'set', 'lo', 'up');
  } catch (e) {
    await destroy();
    return { skip: `cannot set up a veth pair in a network namespace: ${(e as Error).message.split('\n')[0]}` };
  }
  return {
    name,
    hostAddress,
    peerAddress,
    down: async () => {
      await ip('-n', name, 'link', 'set', peerIf, 'down');
    },
    up: async () => {
      await ip('-n', name, 'link', 'set', peerIf, 'up');
    },
    destroy,
  };
}
