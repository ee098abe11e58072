/**
 * What /proc says about the processes we started: their descendants, command lines, start
 * times, CPU use and peak memory. Processes are always found from a pid we hold (never by
 * name), and a pid is only trusted while its start time still matches.
 */
import { readFileSync, readdirSync } from 'node:fs';

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children; // exited while we looked
  }
  for (const task of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/)) {
        if (child) children.push(Number(child));
      }
    } catch {
      // the thread ended while we looked
    }
  }
  return children;
}

export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = childrenOf(pid);
  while (queue.length > 0) {
    const next = queue.shift() as number;
    found.push(next);
    queue.push(...childrenOf(next));
  }
  return found;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Fields of /proc/<pid>/stat from the state on (field 3 is index 0), or undefined once gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name before them is in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Start time in clock ticks since boot (field 22), or undefined once gone. */
export function startTicks(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? Number(fields[19]) : undefined;
}

/** CPU time used so far, user + system (fields 14 and 15), in clock ticks. */
export function cpuTicks(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : undefined;
}

/** Peak resident memory (VmHWM) in MB, or undefined once gone. */
export function peakResidentMB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Notes a process's descendants now; the returned function SIGKILLs those still alive (same
 * pid and start time) — for after a graceful stop that left some behind.
 */
export function rememberDescendants(pid: number): () => number[] {
  const known = descendantsOf(pid).map((child) => ({ pid: child, started: startTicks(child) }));
  return () => {
    const killed: number[] = [];
    for (const { pid: child, started } of known) {
      const fields = statFields(child);
      // Zombies are already dead and only wait for their parent to reap them.
      if (started === undefined || startTicks(child) !== started || fields?.[0] === 'Z') continue;
      try {
        process.kill(child, 'SIGKILL');
        killed.push(child);
      } catch {
        // exited meanwhile
      }
    }
    return killed;
  };
}
