// The Go template renderer for override values. A rule's templates are the same text for every object
// it syncs, so each text is parsed once and the parse (or its error) is kept, by text, in a bounded
// cache: a huge template costs its parse once, not once per object.
import { parseTemplate, renderTemplate, type Template, TemplateError } from '../../template/index.ts';
import type { RenderFn } from './template-data.ts';

export interface RendererOptions {
  /** Distinct template texts kept parsed (least recently used dropped first). Default 512. */
  maxEntries?: number;
  /** The parser (default src/template's parseTemplate); tests count its calls. */
  parse?: (text: string) => Template;
}

export function templateRenderer(options: RendererOptions = {}): RenderFn & { readonly cacheSize: number } {
  const max = Math.max(1, options.maxEntries ?? 512);
  const cache = new Map<string, Template | TemplateError>();
  const parse = options.parse ?? ((text: string) => parseTemplate(text));
  const parsed = (text: string): Template => {
    let entry = cache.get(text);
    if (entry === undefined) {
      try {
        entry = parse(text);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        entry = err;
      }
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    } else {
      cache.delete(text);
    }
    cache.set(text, entry);
    if (entry instanceof TemplateError) throw entry;
    return entry;
  };
  const render = ((text, data) => renderTemplate(parsed(text), data)) as RenderFn & { cacheSize: number };
  Object.defineProperty(render, 'cacheSize', { get: () => cache.size });
  return render;
}
