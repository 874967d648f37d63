// The `tend monit` screen (ink): the process table with live CPU and memory, the selected process's
// details and its live log lines. Keys: ↑/↓ or k/j move, g/G first/last, q or Ctrl-C quit.
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { TendClient } from '../client/client.js';
import type { ProcessInfo } from '../protocol/process-info.js';
import { clip, formatBytes, headerRow, heights, processRow, scrollTop } from './layout.js';
import { LogFeed, type LogLine } from './log-feed.js';
import { ProcessPoll } from './process-poll.js';

export interface MonitProps {
  client: TendClient;
  home: string | undefined;
}

function useScreenSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  });
  return size;
}

/** The selected process's log lines; a new feed (connection) per selected id, the old one closed. */
function useLogFeed(home: string | undefined, id: number | null): { lines: LogLine[]; error: string | null } {
  const [, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const feed = useRef<LogFeed | null>(null);
  useEffect(() => {
    if (id === null) return;
    setError(null);
    const f = new LogFeed(home, id, () => setVersion((v) => v + 1));
    feed.current = f;
    f.start().catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    return () => {
      if (feed.current === f) feed.current = null;
      void f.close();
    };
  }, [home, id]);
  return { lines: feed.current?.lines ?? [], error };
}

export function Monit({ client, home }: MonitProps) {
  const { exit } = useApp();
  const { columns, rows } = useScreenSize();
  const [processes, setProcesses] = useState<ProcessInfo[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The selection follows the process id, so it stays on the same process when the list changes.
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const top = useRef(0);

  useEffect(() => {
    const poll = new ProcessPoll(
      client,
      (list) => {
        setProcesses(list);
        setProblem(null);
      },
      (err) => setProblem(`lost the daemon: ${err instanceof Error ? err.message : String(err)}`),
    );
    poll.start();
    return () => poll.close();
  }, [client]);

  const list = processes ?? [];
  const found = list.findIndex((p) => p.id === selectedId);
  const index = found === -1 ? 0 : found;
  const selected = list[index] ?? null;
  useEffect(() => {
    if (selected && selected.id !== selectedId) setSelectedId(selected.id);
  }, [selected, selectedId]);

  const h = heights(rows, list.length);
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c') || key.escape) {
      exit();
      return;
    }
    const move = (to: number) => {
      const p = list[Math.max(0, Math.min(list.length - 1, to))];
      if (p) setSelectedId(p.id);
    };
    if (key.downArrow || input === 'j') move(index + 1);
    else if (key.upArrow || input === 'k') move(index - 1);
    else if (key.pageDown) move(index + h.table);
    else if (key.pageUp) move(index - h.table);
    else if (input === 'g' || key.home) move(0);
    else if (input === 'G' || key.end) move(list.length - 1);
  });

  const { lines, error: logError } = useLogFeed(home, selected?.id ?? null);
  top.current = scrollTop(index, top.current, h.table, list.length);
  const visible = list.slice(top.current, top.current + h.table);
  const width = Math.max(20, columns);
  const logLines = lines.slice(-h.logs);

  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Text bold wrap="truncate-end">
        {clip(
          `tend monit  ${list.length} process${list.length === 1 ? '' : 'es'}  ↑/↓ j/k select · q quit`,
          width,
        )}
      </Text>
      <Text dimColor wrap="truncate-end">
        {headerRow(width)}
      </Text>
      <Box flexDirection="column" height={h.table}>
        {processes === null ? <Text dimColor>loading…</Text> : null}
        {processes !== null && list.length === 0 ? (
          <Text dimColor>no processes (start one with: tend start app.js)</Text>
        ) : null}
        {visible.map((p) => (
          <Text
            key={p.id}
            inverse={p.id === selected?.id}
            color={p.status === 'online' ? undefined : p.status === 'errored' ? 'red' : 'yellow'}
            wrap="truncate-end"
          >
            {processRow(p, width)}
          </Text>
        ))}
      </Box>
      <Text wrap="truncate-end" color={problem ? 'red' : undefined}>
        {clip(problem ?? (selected ? details(selected) : ''), width)}
      </Text>
      <Text bold wrap="truncate-end">
        {clip(selected ? `logs of ${selected.name} [${selected.id}]` : 'logs', width)}
      </Text>
      <Box flexDirection="column" height={h.logs}>
        {logError ? <Text color="red">{clip(`cannot follow the logs: ${logError}`, width)}</Text> : null}
        {logLines.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity; the window slides
          <Text key={i} color={l.stream === 'err' ? 'red' : undefined} wrap="truncate-end">
            {clip(l.text, width)}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

function details(p: ProcessInfo): string {
  const parts = [
    `pid ${p.pid ?? '-'}`,
    `mode ${p.mode}`,
    `restarts ${p.restarts}`,
    p.pid !== null ? `mem ${formatBytes(p.memory)}` : null,
    p.last_error ? `error: ${p.last_error}` : `script ${p.script}`,
  ];
  return parts.filter(Boolean).join('  ');
}
