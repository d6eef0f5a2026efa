// Keeps one better-sqlite3 build per runtime, so neither the desktop app nor browser mode and
// the tests ever rebuild the other's: native/node (Node's ABI) and native/electron (Electron's).
// The Electron build needs Electron's headers from the network; where they cannot be fetched
// this says so and leaves the Node build working.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const built = join(sqliteDir, 'build', 'Release', 'better_sqlite3.node');
const say = (msg) => process.stdout.write(`opsdeck native: ${msg}\n`);

function nodeBuild() {
  if (!existsSync(built)) {
    say(`no better-sqlite3 build at ${built}; run "npm rebuild better-sqlite3"`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(join(root, 'native', 'node'), { recursive: true });
  cpSync(built, join(root, 'native', 'node', 'better_sqlite3.node'));
  say(`Node build ready (ABI ${process.versions.modules})`);
}

function electronVersion() {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'));
    return pkg.version;
  } catch {
    return null;
  }
}

/** node-gyp as bundled with npm, for runs outside an npm script. */
function npmNodeGyp() {
  const bundled = join(
    dirname(process.execPath),
    '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  );
  return existsSync(bundled) ? bundled : 'node-gyp';
}

function electronBuild() {
  const version = electronVersion();
  if (!version) return say('electron is not installed; desktop build skipped');
  if (!existsSync(join(root, 'node_modules/electron/path.txt'))) {
    say(
      `Electron ${version} binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?): desktop build skipped.`,
    );
    say(
      'Browser mode and the tests use the Node build. After installing Electron, run: npm run native',
    );
    return;
  }
  const target = join(root, 'native', 'electron', 'better_sqlite3.node');
  if (existsSync(target) && process.env.OPSDECK_REBUILD_ELECTRON !== '1') {
    return say(`Electron build already present (${target})`);
  }
  const work = mkdtempSync(join(tmpdir(), 'opsdeck-native-'));
  cpSync(sqliteDir, work, {
    recursive: true,
    filter: (src) => !src.includes(`${join('build', '')}`),
  });
  const gyp = process.env.npm_config_node_gyp || npmNodeGyp();
  const args = [
    'rebuild',
    '--release',
    `--target=${version}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
  ];
  const cmd = gyp.endsWith('.js') ? process.execPath : gyp;
  const argv = gyp.endsWith('.js') ? [gyp, ...args] : args;
  // A network that drops packets instead of refusing them would hang here: give up in time.
  // npm may export nodedir (Node's own headers): the Electron build must use Electron's.
  const env = { ...process.env };
  delete env.npm_config_nodedir;
  const res = spawnSync(cmd, argv, { cwd: work, env, encoding: 'utf8', timeout: 180_000 });
  if (res.status === 0 && existsSync(join(work, 'build/Release/better_sqlite3.node'))) {
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(work, 'build/Release/better_sqlite3.node'), target);
    say(`Electron ${version} build ready`);
  } else {
    const why = (res.stderr || res.error?.message || '')
      .split('\n')
      .filter(Boolean)
      .slice(-3)
      .join(' | ');
    say(
      `Electron ${version} build skipped: Electron's headers could not be fetched or built (${why}).`,
    );
    say(
      'The desktop app needs it; browser mode and the tests use the Node build. Re-run with network access: npm run native',
    );
  }
  rmSync(work, { recursive: true, force: true });
}

nodeBuild();
if (process.env.OPSDECK_SKIP_ELECTRON_NATIVE !== '1') electronBuild();
