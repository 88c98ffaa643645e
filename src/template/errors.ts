/**
 * The one error type the template engine throws. Messages follow Go's text/template:
 *   parse:     template: NAME:LINE:COL: MESSAGE
 *   execution: template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE
 * COL is Go's: the 0-based byte offset of the position within its line. (Go prints only the line for
 * parse errors; we add the column because it is what a user needs to find the fault.)
 */
export class TemplateError extends Error {
  /** Template name the error is reported against. */
  readonly templateName: string;
  /** 1-based line, or 0 when the error has no position (limits hit outside any node). */
  readonly line: number;
  /** 0-based byte column within the line, as Go reports it. */
  readonly col: number;

  constructor(message: string, templateName = '', line = 0, col = 0) {
    super(message);
    this.name = 'TemplateError';
    this.templateName = templateName;
    this.line = line;
    this.col = col;
  }
}

/** Line (1-based) and byte column (0-based) of a UTF-16 offset, the way Go's ErrorContext counts. */
export function lineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(pos, text.length)));
  const lastNewline = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, col: Buffer.byteLength(before.slice(lastNewline + 1), 'utf8') };
}

/** A parse error at a position in the source text. */
export function parseError(text: string, name: string, pos: number, message: string): TemplateError {
  const { line, col } = lineCol(text, pos);
  return new TemplateError(`template: ${name}:${line}:${col}: ${message}`, name, line, col);
}

/**
 * A sandbox limit was hit inside a function or formatter. The evaluator turns it into a
 * TemplateError at the current node (without Go's "error calling" prefix: it is not the
 * function's error, it is ours).
 */
export class LimitError extends Error {
  /** `size`: a value grew past the output limit; `depth`: a value nested too deeply (a cycle). */
  readonly kind: 'size' | 'depth';
  constructor(message: string, kind: 'size' | 'depth' = 'size') {
    super(message);
    this.name = 'LimitError';
    this.kind = kind;
  }
}
