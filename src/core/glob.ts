// Shell-style globs (`*` any run of characters, `?` one, everything else literal) matched
// without regular expressions: a glob like `*a*a*a*a*b` compiled to a RegExp backtracks
// for minutes on a long name. This matcher remembers only the last `*`, so it takes at
// most (glob length × text length) steps, and usually one pass.

export type GlobMatcher = (text: string) => boolean;

export function globMatcher(glob: string, options: {ignoreCase?: boolean} = {}): GlobMatcher {
  const fold = (text: string) => (options.ignoreCase ? text.toLowerCase() : text);
  const pattern = [...fold(glob)];
  return (given) => {
    const text = [...fold(given)];
    let at = 0;
    let next = 0;
    // Where the last `*` was in the pattern, and where in the text its run would end next.
    let star = -1;
    let resume = 0;
    while (at < text.length) {
      const char = pattern[next];
      if (char === '*') {
        star = next++;
        resume = at;
      } else if (char !== undefined && (char === '?' || char === text[at])) {
        next++;
        at++;
      } else if (star >= 0) {
        next = star + 1;
        at = ++resume;
      } else return false;
    }
    while (pattern[next] === '*') next++;
    return next === pattern.length;
  };
}
