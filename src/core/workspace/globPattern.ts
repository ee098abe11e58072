/**
 * VS Code's glob patterns (`files.exclude`: `**` `*` `?` `{a,b}` `[abc]`, matched against a
 * path relative to its workspace folder) as a regular expression, and as the ripgrep glob
 * that excludes the same files. A few lines here rather than a glob library for one use.
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${convert(glob.replace(/^\.\//, '').replace(/\/+$/, ''))}$`);
}

function convert(glob: string): string {
  let out = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] as string;
    if (char === '*' && glob[index + 1] === '*') {
      const slashAfter = glob[index + 2] === '/';
      out += slashAfter ? '(?:.*/)?' : '.*';
      index += slashAfter ? 2 : 1;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '{') {
      const close = glob.indexOf('}', index);
      if (close < 0) out += '\\{';
      else {
        out += `(?:${glob.slice(index + 1, close).split(',').map(convert).join('|')})`;
        index = close;
      }
    } else if (char === '[') {
      const close = glob.indexOf(']', index + 1);
      if (close < 0) out += '\\[';
      else {
        const body = glob.slice(index + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        index = close;
      }
    } else out += char.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return out;
}

/**
 * The model's glob for listing and searching, matched in our code and not handed to ripgrep:
 * a ripgrep `--glob` that includes a file overrides `.gitignore`, so `*.json` would bring back
 * an ignored secrets file. As in ripgrep, a pattern without a slash names the file at any depth.
 */
export function globMatcher(glob: string): (relative: string) => boolean {
  const trimmed = glob.trim().replace(/^\.?\//, '');
  const pattern = globToRegExp(trimmed);
  return trimmed.includes('/') ? (relative) => pattern.test(relative) : (relative) => pattern.test(relative.slice(relative.lastIndexOf('/') + 1));
}

/** Whether the relative path, or a folder it is in, matches one of the patterns. */
export function matchesAny(relative: string, patterns: readonly RegExp[]): boolean {
  const parts = relative.split('/');
  for (let depth = 1; depth <= parts.length; depth++) {
    const prefix = parts.slice(0, depth).join('/');
    if (patterns.some((pattern) => pattern.test(prefix))) return true;
  }
  return false;
}

/** The ripgrep `--glob` that leaves out what the VS Code pattern matches: anchored at the folder, as VS Code's are. */
export function ripgrepExclude(glob: string): string {
  const trimmed = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  return `!${trimmed.startsWith('**') || trimmed.startsWith('/') ? trimmed : `/${trimmed}`}`;
}
