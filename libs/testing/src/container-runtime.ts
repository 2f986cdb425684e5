import { randomBytes } from 'node:crypto';
import { getContainerRuntimeClient, ImageName } from 'testcontainers';
// The reaper's image as testcontainers itself resolves it (RYUK_CONTAINER_IMAGE or its pinned default).
import { getReaperImage } from 'testcontainers/build/reaper/reaper';

/**
 * Labels on every container the tests start. `org.bookshop.run` names the
 * whole run (BOOKSHOP_TEST_RUN: `.ci/run` sets one and removes that run's
 * containers when it ends); `org.bookshop.session` names one Jest process and
 * its workers, whose teardown removes what it started and nothing else.
 */
export const RUN_LABEL = 'org.bookshop.run';
export const SESSION_LABEL = 'org.bookshop.session';

export function runLabels(): Record<string, string> {
  return {
    [RUN_LABEL]: process.env['BOOKSHOP_TEST_RUN'] || 'local',
    [SESSION_LABEL]: testSession(),
  };
}

/** This Jest process's name: chosen at its start, inherited by the workers it starts. */
export function testSession(): string {
  return (process.env['BOOKSHOP_TEST_SESSION'] ||= randomBytes(6).toString('hex'));
}

const PULL_TIMEOUT_MS = 60_000;

/**
 * Readies testcontainers for a run. Its reaper (Ryuk) removes a run's
 * containers even when the run is killed, but its image comes from a registry;
 * on a machine that has not got it and cannot pull it, the reaper is turned off
 * (TESTCONTAINERS_RYUK_DISABLED) and `removeRunContainers` removes this run's
 * containers, by their label, when the run ends. A value set by the caller is
 * left alone.
 */
export function prepareContainerRuntime(log = (line: string) => console.warn(line)): Promise<void> {
  return (prepared ??= prepare(log));
}

let prepared: Promise<void> | undefined;

async function prepare(log: (line: string) => void): Promise<void> {
  testSession();
  if (process.env['TESTCONTAINERS_RYUK_DISABLED'] !== undefined) return;
  const client = await getContainerRuntimeClient();
  const image = ImageName.fromString(getReaperImage());
  if (await client.image.exists(image)) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.image.pull(image),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), PULL_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    process.env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
    log(
      `[testing] the reaper image ${image.string} cannot be pulled (${(error as Error).message.split('\n')[0]?.trim()}); ` +
        `this run's containers (label ${SESSION_LABEL}=${testSession()}) are removed when it ends instead`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Removes the running or paused containers this Jest process started (by their label). */
export async function removeSessionContainers(): Promise<number> {
  const client = await getContainerRuntimeClient();
  const containers = await client.container.list();
  const ours = containers.filter(
    (container) => container.Labels?.[SESSION_LABEL] === testSession(),
  );
  await Promise.all(
    ours.map(async (info) => {
      const container = client.container.getById(info.Id);
      await client.container.remove(container, { removeVolumes: true }).catch(async () => {
        await client.container.stop(container, { timeout: 0 }).catch(() => undefined);
        await client.container.remove(container, { removeVolumes: true }).catch(() => undefined);
      });
    }),
  );
  return ours.length;
}
