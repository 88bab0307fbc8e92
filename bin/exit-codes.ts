/** The exit codes users script against (DESIGN §5). */
export const EXIT = {
  /** Every check at or above --fail-on passed. */
  conformant: 0,
  /** At least one check at or above --fail-on failed. */
  failing: 1,
  /** Bad usage or a bad profile. */
  usage: 2,
  /** The target gave no HTTP answer at all (DNS, TCP or TLS). */
  unreachable: 3,
  /** layercheck itself broke (a harness error, not the target's fault). */
  harness: 4,
} as const
