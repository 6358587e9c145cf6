/** Deployment settings: the verification address a deployment prints is its own. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, verifyBaseUrl } from '../../functions/src/config.js';
import { rootPath } from '../helpers/fixtures.js';

describe('verifyBaseUrl', () => {
  it('without the param: the deployment’s own verify function', () => {
    const config = JSON.stringify({ projectId: 'acme-certs', storageBucket: 'acme-certs.appspot.com' });
    expect(verifyBaseUrl('', 'europe-west1', { FIREBASE_CONFIG: config })).toBe(
      'https://europe-west1-acme-certs.cloudfunctions.net/verify',
    );
    expect(verifyBaseUrl('  ', 'us-central1', { GCLOUD_PROJECT: 'other' })).toBe(
      'https://us-central1-other.cloudfunctions.net/verify',
    );
  });

  it('with the param: that address, without a trailing slash', () => {
    expect(verifyBaseUrl('https://certs.example.org/c/', 'europe-west1', {})).toBe('https://certs.example.org/c');
    expect(verifyBaseUrl('http://127.0.0.1:5001/demo/europe-west1/verify', 'x', {})).toBe(
      'http://127.0.0.1:5001/demo/europe-west1/verify',
    );
  });

  it.each([
    ['', {}],
    ['certs.example.org/c', {}],
    ['ftp://certs.example.org/c', {}],
    ['https://certs.example.org/c?x=1', {}],
    ['https://certs.example.org/c#top', {}],
    ['https://user:pw@certs.example.org/c', {}],
    ['javascript:alert(1)', {}],
  ])('refuses %j with CONFIG_INVALID', (value, env) => {
    expect(() => verifyBaseUrl(value, 'europe-west1', env)).toThrow(ConfigError);
    expect(() => verifyBaseUrl(value, 'europe-west1', env)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('no code that issues or prints a certificate names a domain of its own', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else if (entry.name.endsWith('.ts')) files.push(join(dir, entry.name));
      }
    };
    walk(rootPath('functions/src'));
    const offenders = files.filter((file) => /certforge\.dev/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
