/**
 * The shell commands of a Markdown file's ```sh blocks, in order, as a reader would type them:
 * a command continues over lines while a quote is open or a line ends in a backslash. A
 * trailing comment that says `not run by the README test: <why>` marks a command that cannot
 * run in a test (it installs packages, starts the test suite, needs Docker, …).
 */
export interface ReadmeCommand {
  /** 1-based line of the README where the command starts. */
  line: number;
  /** The command without its trailing comment. */
  code: string;
  /** The trailing comment, if any, without the `#`. */
  comment: string;
  /** Why the command is not run, when the README says so. */
  skip?: string;
}

export const SKIP_MARKER = 'not run by the README test:';

/** Splits one shell line into code and comment, carrying quote state across lines. */
const scan = (line: string, quote: "'" | '"' | undefined) => {
  let code = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (quote === '"') {
      if (c === '\\') {
        code += c + (line[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '\\') {
      code += c + (line[i + 1] ?? '');
      i++;
      continue;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return { code: code.trimEnd(), comment: line.slice(i + 1).trim(), quote };
    }
    code += c;
  }
  return { code, comment: '', quote };
};

export const readmeCommands = (markdown: string): ReadmeCommand[] => {
  const commands: ReadmeCommand[] = [];
  const lines = markdown.split('\n');
  let inBlock = false;
  let current: { line: number; code: string[]; comment: string } | undefined;
  let quote: "'" | '"' | undefined;
  lines.forEach((text, index) => {
    if (!inBlock) {
      inBlock = /^```(sh|bash|shell)\s*$/.test(text);
      return;
    }
    if (current === undefined && /^```\s*$/.test(text)) {
      inBlock = false;
      return;
    }
    if (current === undefined && (text.trim() === '' || text.trim().startsWith('#'))) return;
    const scanned = scan(text, quote);
    quote = scanned.quote;
    current ??= { line: index + 1, code: [], comment: '' };
    current.code.push(scanned.code);
    if (scanned.comment) current.comment = scanned.comment;
    const continues = quote !== undefined || /(^|[^\\])\\$/.test(scanned.code);
    if (continues) return;
    const comment = current.comment;
    const at = comment.indexOf(SKIP_MARKER);
    commands.push({
      line: current.line,
      code: current.code.join('\n'),
      comment,
      ...(at >= 0 ? { skip: comment.slice(at + SKIP_MARKER.length).trim() } : {}),
    });
    current = undefined;
  });
  if (current !== undefined) throw new Error(`README line ${current.line}: a command never ends (an unclosed quote?)`);
  return commands;
};
