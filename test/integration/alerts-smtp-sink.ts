// A tiny SMTP sink on loopback for the alerting tests: it speaks just enough SMTP for
// nodemailer (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT) and records every message.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Mail {
  from: string;
  to: string[];
  data: string;
  /** "user:password" when the client authenticated. */
  auth: string | null;
}

export interface SmtpSink {
  port: number;
  mails: Mail[];
  stop(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: Mail[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    session(sock, mails);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    mails,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Enough SMTP for one client: EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT. */
function session(sock: Socket, mails: Mail[]): void {
  let buf = '';
  let inData = false;
  let authLogin: string[] | null = null;
  let mail: Mail = { from: '', to: [], data: '', auth: null };
  const say = (line: string) => sock.write(`${line}\r\n`);
  say('220 sink ESMTP');
  sock.on('data', (chunk) => {
    buf += chunk.toString('latin1');
    for (;;) {
      if (inData) {
        const end = buf.indexOf('\r\n.\r\n');
        if (end < 0) return;
        mail.data = buf.slice(0, end);
        buf = buf.slice(end + 5);
        inData = false;
        mails.push(mail);
        mail = { from: '', to: [], data: '', auth: mail.auth };
        say('250 queued');
        continue;
      }
      const nl = buf.indexOf('\r\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 2);
      if (authLogin) {
        authLogin.push(Buffer.from(line, 'base64').toString());
        if (authLogin.length === 1) say('334 UGFzc3dvcmQ6');
        else {
          mail.auth = `${authLogin[0]}:${authLogin[1]}`;
          authLogin = null;
          say('235 ok');
        }
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') {
        say('250-sink');
        say('250 AUTH PLAIN LOGIN');
      } else if (verb === 'HELO') say('250 sink');
      else if (/^AUTH PLAIN /i.test(line)) {
        const [, user, pass] = Buffer.from(line.slice(11), 'base64').toString().split('\u0000');
        mail.auth = `${user}:${pass}`;
        say('235 ok');
      } else if (/^AUTH LOGIN/i.test(line)) {
        authLogin = [];
        say('334 VXNlcm5hbWU6');
      } else if (verb === 'MAIL') {
        mail.from = line.replace(/^MAIL FROM:\s*/i, '');
        say('250 ok');
      } else if (verb === 'RCPT') {
        mail.to.push(line.replace(/^RCPT TO:\s*/i, ''));
        say('250 ok');
      } else if (verb === 'DATA') {
        inData = true;
        say('354 go on');
      } else if (verb === 'QUIT') {
        say('221 bye');
        sock.end();
      } else if (verb === 'RSET' || verb === 'NOOP') say('250 ok');
      else say('502 not here');
    }
  });
  sock.on('error', () => undefined);
}
