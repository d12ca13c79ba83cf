// One log line format for the running system: time, level, event and message, with optional JSON data.

/** A structured log entry (the anchoring outbox emits the same shape). */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  event: string;
  message: string;
  data?: Record<string, unknown>;
}

/** Where log entries go. */
export type Logger = (entry: LogEntry) => void;

/** A logger writing one line per entry to `write` (stderr by default); never given secrets by its callers. */
export function lineLogger(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`), now: () => Date = () => new Date()): Logger {
  return (entry) => {
    const data = entry.data === undefined ? '' : ` ${JSON.stringify(entry.data)}`;
    write(`${now().toISOString()} ${entry.level.padEnd(5)} ${entry.event}: ${entry.message}${data}`);
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = () => undefined;
