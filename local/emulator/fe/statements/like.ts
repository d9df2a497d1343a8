/** SQL LIKE (`%`, `_`, `\` escapes) as an anchored RegExp. */
export function likeToRegExp(pattern: string, flags = ''): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (char === '\\' && index + 1 < pattern.length)
      source += (pattern[++index] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, `s${flags}`);
}
