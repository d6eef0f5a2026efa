// Browser mode: the same core as the desktop app, served on 127.0.0.1 with a token.
//   node out/main/serve.js [--data-dir DIR] [--port N] [--accept-host-key SHA256:...]
//                          [--new-token]
import { join, resolve } from 'node:path';
import { OpsdeckApp } from './app';
import { createLogger } from './log';
import { browserToken, defaultDataDir, parseCli } from './paths';
import { startServer } from './server';

const log = createLogger('serve');

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  const appRoot = resolve(__dirname, '..', '..');
  const app = new OpsdeckApp({
    dataDir: cli.dataDir ?? defaultDataDir(),
    appRoot,
    transport: 'browser',
    acceptHostKeys: cli.acceptHostKeys,
  }).start();
  const server = await startServer({
    impl: app.api,
    events: app.events,
    staticDir: join(appRoot, 'out', 'renderer'),
    port: cli.port,
    token: browserToken(app.opts.dataDir, cli.newToken === true),
  });
  process.stdout.write(
    `Opsdeck is running. Open this address in a browser:\n\n  ${server.url}\n\n`,
  );
  process.stdout.write(`Data folder: ${app.opts.dataDir}\nStop with Ctrl+C.\n`);
  const shutdown = async (signal: string): Promise<void> => {
    log.info('shutting down', { signal });
    await server.close();
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  process.stderr.write(`Opsdeck could not start: ${err.message}\n`);
  process.exit(1);
});
