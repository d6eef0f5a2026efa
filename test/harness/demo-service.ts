// The small HTTP service the "Service down" runbook is run against: a node process on
// 127.0.0.1 answering /health, driven by an init-style script (start, stop, restart,
// status), the runbook's documented fallback when the host has no systemd unit of that
// name. Installed below a work folder: svc/ holds the service and its log, init/ the script.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './util';

export const DEMO_SERVICE = 'opsdeck-demo';

const SERVICE_JS = `
const http = require('node:http');
const port = Number(process.argv[2]);
http.createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'text/plain' });
  res.end(req.url === '/health' ? 'ok\\n' : 'no\\n');
}).listen(port, '127.0.0.1');
`;

function initScript(dir: string, port: number): string {
  return `#!/bin/sh
# Init-style script of the test service: start, stop, restart, status.
PIDFILE='${dir}/svc.pid'
case "$1" in
  start)
    setsid nohup '${process.execPath}' '${dir}/svc.js' ${port} </dev/null >>'${dir}/svc.out' 2>&1 &
    echo $! > "$PIDFILE" ;;
  stop)
    [ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")" 2>/dev/null; rm -f "$PIDFILE" ;;
  restart)
    "$0" stop; sleep 0.2; "$0" start ;;
  status)
    [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && echo running ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
`;
}

export interface DemoService {
  /** svc/: the service, its pid file and app.log (one ERROR line). */
  dir: string;
  /** init/: the folder holding the script named DEMO_SERVICE. */
  init: string;
  port: number;
}

/** Writes the service, its script and a log with an error below `work`; starts nothing. */
export async function installDemoService(work: string): Promise<DemoService> {
  const dir = join(work, 'svc');
  const init = join(work, 'init');
  mkdirSync(dir);
  mkdirSync(init);
  const port = await freePort();
  writeFileSync(join(dir, 'svc.js'), SERVICE_JS);
  writeFileSync(join(init, DEMO_SERVICE), initScript(dir, port), { mode: 0o755 });
  writeFileSync(join(dir, 'app.log'), 'info: started\nERROR: database connection refused\n');
  return { dir, init, port };
}

/** Stops the service installed below `work`, if it runs. */
export function stopDemoService(work: string): void {
  spawnSync('/bin/sh', [join(work, 'init', DEMO_SERVICE), 'stop']);
}

/** Whether the service answers /health on `port`. */
export async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, {
      signal: AbortSignal.timeout(2000),
    });
    return res.ok;
  } catch {
    return false;
  }
}
