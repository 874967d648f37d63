// A Supervisor with a fake clock, scripted children and no output (supervisor and persist unit tests).
import type { AppSpec } from '../../src/config/spec.js';
import type { TendEvent } from '../../src/protocol/events.js';
import { EventBus } from '../../src/supervisor/event-bus.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import { FakeClock } from './fake-clock.js';
import { FakeSpawner, nullSinks } from './fake-spawner.js';
import { makeSpec } from './spec.js';

export function setup(now?: number) {
  const clock = new FakeClock(now);
  const spawner = new FakeSpawner();
  const bus = new EventBus();
  const events: TendEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const log: string[] = [];
  const supervisor = new Supervisor({
    clock,
    spawner,
    sinks: nullSinks,
    inspector: { sample: () => new Map() },
    bus,
    home: '/home/me/.tend',
    log: (line) => log.push(line),
  });
  const add = (over: Partial<AppSpec> = {}) => supervisor.add(makeSpec(over));
  /** Every child that was signalled and has not exited yet exits as asked. */
  const exitSignalled = () => {
    for (const c of spawner.children)
      if (c.signals.length > 0 && !exited.has(c)) {
        exited.add(c);
        c.exit(null, 'SIGINT');
      }
  };
  const exited = new Set<unknown>();
  return { clock, spawner, bus, events, log, supervisor, add, exitSignalled };
}
