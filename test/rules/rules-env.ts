/**
 * What the security-rules tests share: whether they can run at all, the loud "NOT RUN"
 * banner when they cannot, the rules sources and the emulator hosts.
 *
 * The rules are evaluated only by the official emulators (Java). The project's runner starts
 * them with `firebase emulators:exec` and exports CERTFORGE_EMULATOR_MODE:
 *   official  the official Firestore + Storage emulators: the rules tests run in full;
 *   offline   a stand-in that does NOT evaluate rules: the rules tests are skipped and say so.
 * Unset (plain `vitest run`, no emulators) is treated like offline.
 */
import { readFileSync } from 'node:fs';
import type { HostAndPort } from '@firebase/rules-unit-testing';
import { rootPath } from '../helpers/fixtures.js';

export const EMULATOR_MODE = process.env.CERTFORGE_EMULATOR_MODE;

/** True only under the official emulators: anything else skips the rules tests. */
export const RULES_CAN_RUN = EMULATOR_MODE === 'official';

/**
 * Prints, once per test file, why its rules tests did not run. Skipped tests are not passed
 * tests: a green run without this suite says nothing about the rules.
 */
export function announceNotRun(suite: string): void {
  if (RULES_CAN_RUN) return;
  const why =
    EMULATOR_MODE === undefined
      ? 'CERTFORGE_EMULATOR_MODE is not set (not started by the emulator runner)'
      : `CERTFORGE_EMULATOR_MODE=${EMULATOR_MODE}: the emulators here do not evaluate security rules`;
  const line = '!'.repeat(96);
  const banner = [
    '',
    line,
    `!!  SECURITY RULES TESTS NOT RUN: ${suite}`,
    `!!  ${why}.`,
    '!!  They need the official Firestore/Storage emulators (Java 21), started by',
    '!!  `firebase emulators:exec` with CERTFORGE_EMULATOR_MODE=official.',
    '!!  Every test of this suite is SKIPPED, not passed: the rules are UNTESTED in this run.',
    line,
    '',
  ].join('\n');
  // Straight to stderr, so that it shows even when the reporter hides console output.
  process.stderr.write(`${banner}\n`);
}

/** A rules file of the repository root, as deployed (firebase.json points at the same files). */
export function rulesSource(file: 'firestore.rules' | 'storage.rules'): string {
  return readFileSync(rootPath(file), 'utf8');
}

/** host:port from an emulator variable (FIRESTORE_EMULATOR_HOST, FIREBASE_STORAGE_EMULATOR_HOST). */
export function emulatorHost(variable: string): HostAndPort {
  const value = process.env[variable];
  if (!value) {
    throw new Error(`${variable} is not set: the rules tests run under \`firebase emulators:exec\`, which exports it`);
  }
  const url = new URL(`http://${value}`);
  const port = Number(url.port);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${variable}=${value}: expected host:port`);
  // URL keeps the brackets of an IPv6 literal; the SDKs want the bare address.
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

/** Bytes of `size` (deterministic filler) for upload tests. */
export function bytes(size: number, fill = 0x61): Uint8Array {
  return new Uint8Array(size).fill(fill);
}

export const MiB = 1024 * 1024;
