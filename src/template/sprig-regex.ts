/**
 * sprig's regular expression functions over Go's regexp (see regexp.ts). sprig's plain forms
 * compile with regexp.MustCompile, so a bad pattern is an error ("regexp: Compile(`(`): error
 * parsing regexp: ..."), except regexMatch, which swallows it and answers false; the must- forms
 * return the compile error itself.
 */
import { fn, type GoFunction } from './functions.ts';
import {
  compileRegex,
  findAllString,
  findString,
  matchString,
  mustCompile,
  quoteMeta,
  RegexCompileError,
  replaceAll,
  split,
} from './regexp.ts';

export const REGEX_FUNCTIONS: ReadonlyMap<string, GoFunction> = new Map<string, GoFunction>([
  [
    'regexMatch',
    fn(['string', 'string'], (_, [re, s]) => {
      try {
        return matchString(compileRegex(re as string), s as string);
      } catch (e) {
        if (e instanceof RegexCompileError) return false; // sprig ignores the compile error here
        throw e;
      }
    }),
  ],
  [
    'mustRegexMatch',
    fn(['string', 'string'], (_, [re, s]) => matchString(compileRegex(re as string), s as string)),
  ],
  ['regexFind', fn(['string', 'string'], (_, [re, s]) => findString(mustCompile(re as string), s as string))],
  [
    'mustRegexFind',
    fn(['string', 'string'], (_, [re, s]) => findString(compileRegex(re as string), s as string)),
  ],
  [
    'regexFindAll',
    fn(['string', 'string', 'int'], (_, [re, s, n]) =>
      findAllString(mustCompile(re as string), s as string, n as number),
    ),
  ],
  [
    'mustRegexFindAll',
    fn(['string', 'string', 'int'], (_, [re, s, n]) =>
      findAllString(compileRegex(re as string), s as string, n as number),
    ),
  ],
  [
    'regexReplaceAll',
    fn(['string', 'string', 'string'], (ctx, [re, s, r]) =>
      replaceAll(mustCompile(re as string), s as string, r as string, false, ctx.maxBytes),
    ),
  ],
  [
    'mustRegexReplaceAll',
    fn(['string', 'string', 'string'], (ctx, [re, s, r]) =>
      replaceAll(compileRegex(re as string), s as string, r as string, false, ctx.maxBytes),
    ),
  ],
  [
    'regexReplaceAllLiteral',
    fn(['string', 'string', 'string'], (ctx, [re, s, r]) =>
      replaceAll(mustCompile(re as string), s as string, r as string, true, ctx.maxBytes),
    ),
  ],
  [
    'mustRegexReplaceAllLiteral',
    fn(['string', 'string', 'string'], (ctx, [re, s, r]) =>
      replaceAll(compileRegex(re as string), s as string, r as string, true, ctx.maxBytes),
    ),
  ],
  [
    'regexSplit',
    fn(['string', 'string', 'int'], (_, [re, s, n]) =>
      split(mustCompile(re as string), s as string, n as number),
    ),
  ],
  [
    'mustRegexSplit',
    fn(['string', 'string', 'int'], (_, [re, s, n]) =>
      split(compileRegex(re as string), s as string, n as number),
    ),
  ],
  ['regexQuoteMeta', fn(['string'], (_, [s]) => quoteMeta(s as string))],
]);
