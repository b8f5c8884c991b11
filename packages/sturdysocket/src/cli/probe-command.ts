import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { parseArgs } from 'node:util';
import { computeAccept, HandshakeError } from '@sturdysocket/core';
import { type HandshakeInfo, WebSocket } from '@sturdysocket/node';
import { describeUrl, parseHeaderOptions } from './connect-command.js';
import { formatError, UsageError } from './format-error.js';
import type { CliIo } from './main.js';

/** The TLS session, as far as a report needs it. */
export interface TlsSummary {
  protocol: string | null;
  cipher: string | undefined;
  alpn: string | false | null;
  peerCertificate?: { subject: string; issuer: string; validFrom: string; validTo: string; fingerprint256: string };
}

/** What `probe` found; printed as text or, with `--json`, as this object. */
export interface ProbeReport {
  url: string;
  verdict: 'pass' | 'fail';
  request?: ReadonlyArray<readonly [string, string]>;
  key?: string;
  acceptExpected?: string;
  acceptReceived?: string;
  status?: number;
  responseHeaders?: ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>>;
  protocol?: string;
  extensions?: HandshakeInfo['extensions'];
  tls?: TlsSummary;
  timings?: { tcpMs: number | undefined; tlsMs: number | undefined; openMs: number };
  openMs?: number;
  pingMs?: number;
  error?: { name: string; reason?: string; message: string };
}

/**
 * `sturdysocket probe <url>`: performs the opening handshake with our own client and reports
 * it — the request sent (secrets redacted), the key, the accept expected and received and the
 * verdict, status and response headers, protocol and extensions with parameters, TLS version
 * and certificate, time to TCP, TLS and open — then a ping round trip. Exit code 0 on pass.
 */
export async function probeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      header: { type: 'string', multiple: true, default: [] },
      protocol: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      ca: { type: 'string' },
      insecure: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '10000' },
    },
  });
  const url = positionals[0];
  if (url === undefined || positionals.length > 1) throw new UsageError('probe takes exactly one URL');
  const timeoutMs = Number(values['timeout-ms']);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout-ms takes a positive number');

  // The TCP/TLS connection is made here (the transport's `createConnection` hook) so the probe
  // can time each step and read the TLS session; the handshake itself is still the client's.
  const started = performance.now();
  const marks: { tcp?: number; tls?: number } = {};
  let connection: net.Socket | undefined;
  const ca = values.ca ? readFileSync(values.ca) : undefined;
  const socket = new WebSocket(url, {
    protocols: values.protocol,
    headers: parseHeaderOptions(values.header),
    handshakeTimeoutMs: timeoutMs,
    createConnection: ({ host, port, secure }) => {
      const opened = secure
        ? tls.connect({
            host,
            port,
            ALPNProtocols: ['http/1.1'],
            ...(net.isIP(host) === 0 ? { servername: host } : {}),
            ...(ca ? { ca } : {}),
            rejectUnauthorized: !values.insecure,
          })
        : net.connect({ host, port });
      opened.once('connect', () => {
        marks.tcp = performance.now() - started;
      });
      opened.once('secureConnect', () => {
        marks.tls = performance.now() - started;
      });
      connection = opened;
      return opened;
    },
  });
  const report: ProbeReport = { url: describeUrl(socket.url), verdict: 'fail' };
  const outcome = await new Promise<{ ok: true } | { ok: false; error: unknown }>((resolve) => {
    socket.addEventListener('open', () => resolve({ ok: true }));
    socket.addEventListener('error', (event) =>
      resolve({ ok: false, error: (event as Event & { error?: unknown }).error ?? event }),
    );
  });

  if (outcome.ok) {
    const handshake = socket.handshake as HandshakeInfo;
    report.openMs = performance.now() - started;
    Object.assign(report, {
      request: handshake.requestHeaders,
      key: handshake.key,
      acceptExpected: await computeAccept(handshake.key),
      acceptReceived: handshake.accept,
      status: handshake.status,
      responseHeaders: handshake.responseHeaders,
      protocol: handshake.protocol,
      extensions: handshake.extensions,
      timings: { tcpMs: marks.tcp, tlsMs: marks.tls, openMs: performance.now() - started },
    });
    if (connection instanceof tls.TLSSocket) report.tls = describeTls(connection);
    try {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<number>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no pong within the timeout')), timeoutMs);
      });
      try {
        report.pingMs = await Promise.race([socket.ping(), deadline]);
      } finally {
        clearTimeout(timer);
      }
      report.verdict = 'pass';
    } catch (error) {
      report.error = { name: 'PingError', message: (error as Error).message };
    }
    socket.close(1000);
  } else {
    const error = outcome.error;
    report.error = {
      name: (error as Error)?.name ?? 'Error',
      message: formatError(error, false).replace(/^error: /, ''),
      ...(error instanceof HandshakeError ? { reason: error.reason } : {}),
    };
    if (error instanceof HandshakeError) {
      if (error.status !== undefined) report.status = error.status;
      if (error.headers !== undefined) report.responseHeaders = error.headers;
    }
  }

  if (values.json) io.out(JSON.stringify(report, null, 2));
  else printReport(report, io.out);
  return report.verdict === 'pass' ? 0 : 1;
}

function describeTls(socket: tls.TLSSocket): TlsSummary {
  const certificate = socket.getPeerCertificate();
  const name = (entry: unknown) =>
    entry && typeof entry === 'object'
      ? Object.entries(entry)
          .map(([key, value]) => `${key}=${value}`)
          .join(', ')
      : String(entry ?? '');
  return {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.name,
    alpn: socket.alpnProtocol,
    ...(certificate && Object.keys(certificate).length > 0
      ? {
          peerCertificate: {
            subject: name(certificate.subject),
            issuer: name(certificate.issuer),
            validFrom: certificate.valid_from,
            validTo: certificate.valid_to,
            fingerprint256: certificate.fingerprint256,
          },
        }
      : {}),
  };
}

function printReport(report: ProbeReport, out: (line: string) => void): void {
  const ms = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} ms`);
  out(`probe ${report.url}`);
  if (report.request) {
    out('request');
    for (const [name, value] of report.request) out(`  ${name}: ${value}`);
  }
  if (report.key) {
    out(`key              ${report.key}`);
    out(`accept expected  ${report.acceptExpected}`);
    out(
      `accept received  ${report.acceptReceived}  ${report.acceptExpected === report.acceptReceived ? '✔ match' : '✘ mismatch'}`,
    );
  }
  if (report.status !== undefined) out(`status           ${report.status}`);
  if (report.responseHeaders) {
    out('response headers');
    const entries = Array.isArray(report.responseHeaders)
      ? report.responseHeaders
      : Object.entries(report.responseHeaders);
    for (const [name, value] of entries) out(`  ${name}: ${value}`);
  }
  if (report.protocol !== undefined) out(`protocol         ${report.protocol || '(none)'}`);
  if (report.extensions) {
    const text = report.extensions.map((e) =>
      [e.name, ...e.params.map(([k, v]) => (v === true ? k : `${k}=${v}`))].join('; '),
    );
    out(`extensions       ${text.join(', ') || '(none)'}`);
  }
  if (report.tls) {
    out(
      `tls              ${report.tls.protocol ?? '?'} ${report.tls.cipher ?? ''} (alpn ${report.tls.alpn || 'none'})`,
    );
    if (report.tls.peerCertificate) {
      const cert = report.tls.peerCertificate;
      out(`certificate      subject ${cert.subject}; issuer ${cert.issuer}`);
      out(`                 valid ${cert.validFrom} → ${cert.validTo}; sha256 ${cert.fingerprint256}`);
    }
  }
  if (report.timings) {
    out(`time to tcp      ${ms(report.timings.tcpMs)}`);
    if (report.timings.tlsMs !== undefined) out(`time to tls      ${ms(report.timings.tlsMs)}`);
    out(`time to open     ${ms(report.timings.openMs)}`);
  } else if (report.openMs !== undefined) out(`time to open     ${ms(report.openMs)}`);
  if (report.pingMs !== undefined) out(`ping round trip  ${ms(report.pingMs)}`);
  if (report.error)
    out(`error            ${report.error.reason ? `${report.error.reason}: ` : ''}${report.error.message}`);
  out(`verdict          ${report.verdict === 'pass' ? '✔ PASS' : '✘ FAIL'}`);
}
