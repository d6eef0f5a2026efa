// npm run bench: every benchmark in one run, on loopback, printing one line per figure.
import { cpus, totalmem } from 'node:os';
import { run as runAlerts } from './alerts';
import { run as runApp } from './app';
import { run as runCare } from './care';
import { run as runSsh } from './ssh';
import { run as runStore } from './store';

async function main(): Promise<void> {
  process.stdout.write(
    `Opsdeck benchmarks on ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `Node ${process.versions.node}, ${new Date().toISOString()}\n`,
  );
  for (const [name, run] of [
    ['store', runStore],
    ['ssh', runSsh],
    ['app', runApp],
    ['alerts', runAlerts],
    ['care', runCare],
  ] as const) {
    process.stdout.write(`\n== ${name}\n`);
    await run();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.message}\n`);
  process.exit(1);
});
