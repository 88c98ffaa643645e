/**
 * sprig's path functions: `base dir clean ext isAbs` are Go's path package, `osBase osDir
 * osClean osExt osIsAbs` its path/filepath. The upstream controller runs on Linux, where
 * path/filepath's separator is "/" and there are no volume names, so both sets are the same
 * functions. All of them are pure string work on "/" and ".", which are single bytes in UTF-8:
 * JavaScript string indexes are safe here.
 */
import { fn, type GoFunction } from './functions.ts';

/** path.Clean: the shortest equivalent path, by lexical processing only. */
export function clean(path: string): string {
  if (path === '') return '.';
  const rooted = path[0] === '/';
  const n = path.length;
  let out = rooted ? '/' : '';
  let r = rooted ? 1 : 0;
  // Where ".." must stop backtracking: after the root, or after a leading run of "../".
  let dotdot = rooted ? 1 : 0;
  while (r < n) {
    if (path[r] === '/') {
      r++;
    } else if (path[r] === '.' && (r + 1 === n || path[r + 1] === '/')) {
      r++;
    } else if (path[r] === '.' && path[r + 1] === '.' && (r + 2 === n || path[r + 2] === '/')) {
      r += 2;
      if (out.length > dotdot) {
        let w = out.length - 1;
        while (w > dotdot && out[w] !== '/') w--;
        out = out.slice(0, w);
      } else if (!rooted) {
        out += out.length > 0 ? '/..' : '..';
        dotdot = out.length;
      }
    } else {
      if ((rooted && out.length !== 1) || (!rooted && out.length !== 0)) out += '/';
      const next = path.indexOf('/', r);
      const end = next === -1 ? n : next;
      out += path.slice(r, end);
      r = end;
    }
  }
  return out === '' ? '.' : out;
}

/** path.Base: the last element, trailing slashes removed; "." for "", "/" for only slashes. */
export function base(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  const last = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return last === '' ? '/' : last;
}

/** path.Dir: everything before the last element, cleaned. */
export function dir(path: string): string {
  return clean(path.slice(0, path.lastIndexOf('/') + 1));
}

/** path.Ext: from the last "." of the last element, or "". */
export function ext(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== '/'; i--) {
    if (path[i] === '.') return path.slice(i);
  }
  return '';
}

export function isAbs(path: string): boolean {
  return path.startsWith('/');
}

const PATH_FUNCTIONS: ReadonlyArray<readonly [string, (p: string) => unknown]> = [
  ['base', base],
  ['dir', dir],
  ['clean', clean],
  ['ext', ext],
  ['isAbs', isAbs],
];

export const PATHS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>(
  PATH_FUNCTIONS.flatMap(([name, f]): Array<[string, GoFunction]> => {
    const g = fn(['string'], (_, [p]) => f(p as string));
    // filepath on Linux is path: same function under its os- name.
    return [
      [name, g],
      [`os${name[0]!.toUpperCase()}${name.slice(1)}`, g],
    ];
  }),
);
