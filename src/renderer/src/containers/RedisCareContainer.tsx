// Fetches what the Redis care tabs show; BGSAVE goes through the confirmation dialog.
import { useEffect, useState } from 'react';
import type { RedisHealth, RedisScanResult } from '../../../shared/care';
import type { Target, TargetStatus } from '../../../shared/types';
import { isNotInBuild } from '../care/logic';
import { errorText } from '../client';
import { LoadNotice, useChangeFlow } from '../components/CareBits';
import { useClient, useLoad, useNow } from '../hooks';
import {
  ClientsTab,
  KeysTab,
  MemoryTab,
  PersistenceTab,
  SlowlogTab,
} from '../pages/care/RedisTabs';

export function RedisCareContainer(props: {
  target: Target;
  tab: string;
  status: TargetStatus | undefined;
}): React.ReactElement {
  switch (props.tab) {
    case 'keys':
      return <RedisKeys target={props.target} />;
    case 'persistence':
      return <RedisPersistenceView target={props.target} />;
    default:
      return (
        <RedisHealthView
          key={props.tab}
          target={props.target}
          tab={props.tab}
          status={props.status}
        />
      );
  }
}

function RedisHealthView(props: {
  target: Target;
  tab: string;
  status: TargetStatus | undefined;
}): React.ReactElement {
  const client = useClient();
  const now = useNow(5000);
  const id = props.target.id;
  const health = useLoad(`careRedisHealth:${id}`, () => client.careRedisHealth({ targetId: id }));
  const reload = health.reload;
  useEffect(() => {
    const timer = setInterval(reload, 15_000);
    return () => clearInterval(timer);
  }, [reload]);
  const h = health.data;
  return (
    <div className="care-tab">
      <LoadNotice what="health" loaded={health} now={now} readAt={h?.t ?? null} />
      {h && <RedisHealthTab tab={props.tab} health={h} now={now} />}
    </div>
  );
}

function RedisHealthTab(props: { tab: string; health: RedisHealth; now: number }) {
  switch (props.tab) {
    case 'memory':
      return <MemoryTab health={props.health} now={props.now} />;
    case 'slowlog':
      return <SlowlogTab health={props.health} now={props.now} />;
    case 'clients':
      return <ClientsTab health={props.health} now={props.now} />;
    default:
      return <p className="muted">No such tab.</p>;
  }
}

/** The last scan per target, kept while the page lives: a scan is slow on purpose. */
const lastScans = new Map<string, RedisScanResult>();

function RedisKeys({ target }: { target: Target }): React.ReactElement {
  const client = useClient();
  const now = useNow(10_000);
  const [scan, setScan] = useState<RedisScanResult | null>(lastScans.get(target.id) ?? null);
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<{ text: string; notInBuild: boolean } | null>(null);

  async function run(): Promise<void> {
    setScanning(true);
    setError(null);
    try {
      const r = await client.careRedisScan({
        targetId: target.id,
        maxKeys: 100_000,
        count: 200,
        keysPerSecond: 50_000,
        top: 50,
      });
      lastScans.set(target.id, r);
      setScan(r);
    } catch (err) {
      setError({ text: errorText(err), notInBuild: isNotInBuild(err) });
    } finally {
      setScanning(false);
    }
  }

  return (
    <div className="care-tab">
      {error && (
        <div
          className={`notice ${error.notInBuild ? 'notice-info' : 'notice-bad'}`}
          role={error.notInBuild ? 'status' : 'alert'}
        >
          <span className="notice-icon" aria-hidden="true">
            {error.notInBuild ? 'i' : '✕'}
          </span>
          <span>
            {error.notInBuild ? error.text : `Could not scan ${target.name}: ${error.text}`}
          </span>
        </div>
      )}
      <KeysTab scan={scan} scanning={scanning} onScan={() => void run()} now={now} />
    </div>
  );
}

function RedisPersistenceView({ target }: { target: Target }): React.ReactElement {
  const client = useClient();
  const now = useNow(5000);
  const p = useLoad(`careRedisPersistence:${target.id}`, () =>
    client.careRedisPersistence({ targetId: target.id }),
  );
  const [busy, setBusy] = useState(false);
  const flow = useChangeFlow(target.name, p.reload);
  return (
    <div className="care-tab">
      <LoadNotice what="persistence" loaded={p} now={now} />
      {flow.view}
      {p.data && (
        <PersistenceTab
          p={p.data}
          now={now}
          busy={busy}
          onBgsave={() =>
            flow.ask({
              title: 'Write a snapshot (BGSAVE)',
              statement: 'BGSAVE',
              plan: (
                <p>
                  Redis forks; the copy writes the RDB file while the server keeps answering. The
                  fork can briefly stall a large instance and needs memory for pages written
                  meanwhile.
                </p>
              ),
              confirmLabel: 'Run BGSAVE',
              run: async () => {
                setBusy(true);
                try {
                  const after = await client.careRedisBgsave({
                    targetId: target.id,
                    confirm: true,
                  });
                  return `BGSAVE finished: ${after.lastBgsaveStatus ?? 'status unknown'}.`;
                } finally {
                  setBusy(false);
                }
              },
            })
          }
        />
      )}
    </div>
  );
}
