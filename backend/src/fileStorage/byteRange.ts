// HTTP byte ranges (RFC 9110 §14): one range of `bytes=a-b`, `bytes=a-` or
// the suffix `bytes=-n`. Several ranges are answered with the whole file (a
// server may ignore Range), as is a stale If-Range.

export type ByteRange = { start: number; end: number };

export function parseRange(header: string | undefined, size: number, ifRange?: string, etag?: string): ByteRange | null | "unsatisfiable" {
  if (!header) return null;
  if (ifRange !== undefined && ifRange !== etag) return null;
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null; // malformed or multiple ranges: ignore
  const [, first, last] = match;
  if (first === "" && last === "") return null;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return "unsatisfiable";
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return null; // invalid range: ignore it, serve the whole file
  return { start, end };
}
