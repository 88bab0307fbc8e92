import type { StartOptions } from '../../../harness/process/process-group.ts'

/** The front proxies the matrix runs: Debian's packages, started on free loopback ports. */
export type FrontProduct = 'nginx' | 'haproxy' | 'caddy'

/**
 * Who writes the front's own error answers (413, 502, 503, 504, and 400/408 where
 * the product lets them be replaced): 'json' pages shaped like the app's
 * `{"detail": …}`, as production teams configure them, or the product's
 * 'stock' pages.
 */
export type ErrorPages = 'json' | 'stock'

/** What a front is asked to do; every product renders the same promises in its own config language. */
export interface FrontOptions {
  /** The front's own folder (inside the stack folder): its config, pid, temp and state files, nothing outside. */
  dir: string
  /** Plain HTTP on 127.0.0.1:listenPort. */
  listenPort: number
  /** The one app instance, host:port. */
  upstream: string
  /** Bodies over this many bytes are refused with 413 by the front, whatever their framing (Content-Length or chunked). */
  maxBodyBytes: number
  /**
   * Where the front reads the body size from: the bytes that arrive (default), or only the announced
   * Content-Length, a classic misconfiguration that lets a chunked upload of any size through.
   */
  bodyLimitReads?: 'bytes' | 'content-length'
  /** Whether the front keeps its connections to the app between requests (default) or closes each one. */
  upstreamReuse?: boolean
  /** How long the front waits for the app's response headers before it answers 504. */
  upstreamReadTimeoutMs: number
  errorPages: ErrorPages
  /** Where the front's stdout/stderr (and its logs, where it can write them there) go. */
  logFile: string
}

/** The tunable part of FrontOptions: what a stack's caller may override. */
export type FrontTuning = Pick<FrontOptions, 'maxBodyBytes' | 'upstreamReadTimeoutMs' | 'bodyLimitReads' | 'upstreamReuse'>

/** A rendered front: the files to write (absolute path → content), folders to create, and how to run it in the foreground. */
export interface RenderedFront {
  files: Readonly<Record<string, string>>
  dirs: readonly string[]
  launch: StartOptions
}

export interface FrontDefinition {
  product: FrontProduct
  binary: string
  /** The installed product's version, e.g. '1.22.1' (asked of the binary, once). */
  version(): string
  /**
   * Whether the product, left at its defaults (no header tweaks here), keeps its
   * version out of the Server header and its own pages.
   */
  hidesServerVersion: boolean
  render(options: FrontOptions): RenderedFront
}
