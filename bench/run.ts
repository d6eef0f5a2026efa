// npm run bench: every benchmark in one run, on loopback, printing one line per figure.
// `npm run bench -- operations alerts` runs only the parts named.
import { cpus, totalmem } from 'node:os';
import { run as runAlerts } from './alerts';
import { run as runApp } from './app';
import { run as runCare } from './care';
import { run as runOperations } from './operations';
import { run as runSsh } from './ssh';
import { run as runStore } from './store';

const PARTS = [
  ['store', runStore],
  ['ssh', runSsh],
  ['app', runApp],
  ['alerts', runAlerts],
  ['care', runCare],
  ['operations', runOperations],
] as const;

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !PARTS.some(([name]) => name === w));
  if (unknown.length > 0) {
    throw new Error(
      `no benchmark named ${unknown.join(', ')}; the parts are ${PARTS.map(([n]) => n).join(', ')}`,
    );
  }
  process.stdout.write(
    `Opsdeck benchmarks on ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `Node ${process.versions.node}, ${new Date().toISOString()}\n`,
  );
  for (const [name, run] of PARTS) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    process.stdout.write(`\n== ${name}\n`);
    await run();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.message}\n`);
  process.exit(1);
});
