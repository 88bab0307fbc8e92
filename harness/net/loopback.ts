const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

/** Whether a URL's host is this machine: the only targets that floods, faults and high concurrency may hit without an opt-in. */
export const isLoopback = (url: string) => LOOPBACK.test(new URL(url).hostname)
