// A throwaway CA and a leaf certificate for localhost / 127.0.0.1, made with openssl. The leaf is
// not a CA itself (basicConstraints=critical,CA:FALSE), which strict clients require.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  readonly caPem: string;
  readonly leafCertPath: string;
  readonly leafKeyPath: string;
}

export function makeCertificates(dir: string): TestCertificates {
  const openssl = '/usr/bin/openssl';
  if (!existsSync(openssl)) throw new Error(`${openssl} is missing: install openssl (apt-get install -y openssl)`);
  const run = (...args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=sturdysocket test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'leaf.key', '-out', 'leaf.csr');
  writeFileSync(
    join(dir, 'leaf.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ].join('\n'),
  );
  run(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'leaf.ext',
    '-out',
    'leaf.pem',
  );
  return {
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    leafCertPath: join(dir, 'leaf.pem'),
    leafKeyPath: join(dir, 'leaf.key'),
  };
}
