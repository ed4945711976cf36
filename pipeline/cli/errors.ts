/** Problems that are not in the manuscript: a wrong command line or a missing tool. The CLI exits 2 on them. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export class EnvironmentError extends Error {
  override name = 'EnvironmentError'
}
