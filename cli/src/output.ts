/** Terminal output: colour only on a TTY that wants it, and everything through one place. */
export interface Output {
  out(line?: string): void;
  err(line?: string): void;
  readonly color: boolean;
}

export function terminalOutput(stream: NodeJS.WriteStream = process.stdout): Output {
  const color = Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  return {
    color,
    out: (line = '') => process.stdout.write(`${line}\n`),
    err: (line = '') => process.stderr.write(`${line}\n`),
  };
}

const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export function paint(o: Pick<Output, 'color'>, style: keyof typeof codes, text: string): string {
  return o.color ? `\x1b[${codes[style]}m${text}\x1b[0m` : text;
}
